"""ASGI middleware around the whole app (API and Reflex pages).

The FastAPI app given to ``rx.App(api_transformer=...)`` wraps Reflex's own app, so what is
installed here sees every request: ``/api``, the built pages and the ``/_event`` websocket.
All of it is pure ASGI; websocket scopes pass through untouched.

From the outside in: X-Forwarded-Proto from trusted proxies (``proxy``), request id +
access log, security headers (``security_headers``), (Reflex's CORS), the office-session gate
on ``/_upload`` (``upload_gate``), request body limits (``body_limits``), gzip, then FastAPI's
exception handlers (database or Redis unreachable -> 503: ``unavailable``).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from khs_crm.api.body_limits import BodyLimitMiddleware
from khs_crm.api.proxy import ForwardedProtoMiddleware
from khs_crm.api.security_headers import SecurityHeadersMiddleware
from khs_crm.api.unavailable import install_unavailable_handlers
from khs_crm.api.upload_gate import UploadGateMiddleware
from khs_crm.observability import RequestContextMiddleware, configure_logging, init_sentry
from khs_crm.settings import get_settings

GZIP_MIN_BYTES = 1024


def install(api: FastAPI) -> None:
    """Add the app-wide middleware (security headers, logging, limits) to ``api``."""
    settings = get_settings()
    configure_logging()
    init_sentry(settings.sentry_dsn, settings.env)
    install_unavailable_handlers(api)
    api.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    api.add_middleware(BodyLimitMiddleware)
    api.add_middleware(UploadGateMiddleware)  # outermost of the three: before any body read

    # Outside FastAPI's own ServerErrorMiddleware, so 500 answers get the id and headers too.
    build_stack = api.build_middleware_stack

    def outermost() -> ASGIApp:
        inner = SecurityHeadersMiddleware(build_stack())
        return ForwardedProtoMiddleware(RequestContextMiddleware(inner))

    api.build_middleware_stack = outermost  # type: ignore[method-assign]
