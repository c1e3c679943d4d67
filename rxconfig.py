"""Reflex configuration, read from khs_crm.settings (KHS_* variables)."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from khs_crm.first_paint import FirstPaint
from khs_crm.settings import get_settings

_settings = get_settings()

# A backend-only replica (behind a proxy) must not name a frontend port: Reflex refuses it.
_backend_only = os.environ.get("REFLEX_BACKEND_ONLY", "").lower() in ("1", "true", "yes")
_ports = {"backend_port": _settings.port}
if not _backend_only:
    _ports["frontend_port"] = _settings.port

# With Redis, a tab's state stays in memory in the worker that holds the tab's lock, between
# its events and for a few seconds after (Reflex's opportunistic lock: REFLEX_OPLOCK_*), and
# is written to Redis when that time ends or another worker asks for the tab. A page load's
# events then read the tab's state from Redis once instead of once each (BENCHMARKS.md,
# office capacity). Set REFLEX_OPLOCK_ENABLED=false to read and write it on every event.
if _settings.redis_url:
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")

config = rx.Config(
    app_name="khs_crm",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    **_ports,
    redis_url=_settings.redis_url or None,
    cors_allowed_origins=_settings.allowed_origins,
    disable_plugins=[SitemapPlugin],
    plugins=[FirstPaint()],
)
