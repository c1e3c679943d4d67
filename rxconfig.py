"""Reflex configuration, read from khs_crm.settings (KHS_* variables)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from khs_crm.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="khs_crm",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=_settings.port,
    backend_port=_settings.port,
    redis_url=_settings.redis_url or None,
    cors_allowed_origins=_settings.allowed_origins,
    disable_plugins=[SitemapPlugin],
    plugins=[],
)
