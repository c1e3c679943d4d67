"""ASGI middleware around the whole app (API and Reflex pages).

The FastAPI app given to ``rx.App(api_transformer=...)`` wraps Reflex's own app, so what is
installed here sees every request: ``/api``, the built pages and the ``/_event`` websocket.
All of it is pure ASGI; websocket scopes pass through untouched.

From the outside in: X-Forwarded-Proto from trusted proxies, request id + access log,
security headers, (Reflex's CORS), request body limits, gzip, then FastAPI's exception
handlers (database or Redis unreachable -> 503).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khs_crm.api.envelope import error_response
from khs_crm.api.upload_gate import REFLEX_UPLOAD_PATH, UploadGateMiddleware
from khs_crm.observability import RequestContextMiddleware, configure_logging, init_sentry
from khs_crm.services.photos_batch import MAX_BATCH_BYTES
from khs_crm.settings import Settings, get_settings

log = logging.getLogger("khs_crm.api")

MB = 1024 * 1024
BODY_LIMIT = 1 * MB
UPLOAD_LIMIT = 16 * MB
UPLOAD_PATHS = (
    re.compile(r"^/api/jobs/[^/]+/photos/?$"),
    re.compile(r"^/api/customers/import/?$"),
)
# Reflex uploads: the office's CSV import, and a job's photos several at once (each file at
# most 15 MB, at most 10 files, checked in the browser), plus the form around them.
REFLEX_UPLOAD_LIMIT = MAX_BATCH_BYTES + MB
SYNC_PUSH_LIMIT = 5 * MB  # a device's batch of up to 500 operations
SYNC_PUSH_PATH = re.compile(r"^/api/sync/push/?$")
GZIP_MIN_BYTES = 1024
HSTS = "max-age=63072000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)


# Content-Security-Policy ------------------------------------------------------------------


def inline_script_hashes(build_dir: Path) -> list[str]:
    """CSP sources (``'sha256-...'``) for every inline <script> in the built pages.

    React Router's prerendered pages carry a few inline scripts (theme, scroll restoration,
    route module imports, hydration); hashing them lets the policy refuse every other inline
    script without 'unsafe-inline'.
    """
    hashes: set[str] = set()
    for page in sorted(build_dir.rglob("*.html")):
        for body in _INLINE_SCRIPT.findall(page.read_bytes()):
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def storage_origins(settings: Settings) -> list[str]:
    """The S3 origins a browser may reach (presigned uploads, when S3 is used)."""
    if settings.storage_backend != "s3":
        return []
    if settings.s3_endpoint_url:
        origin = _origin(settings.s3_endpoint_url)
        return [origin] if origin else []
    bucket, region = settings.s3_bucket, settings.s3_region
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]


def content_security_policy(script_hashes: Iterable[str], extra_origins: Iterable[str] = ()) -> str:
    """The policy for every response: scripts from this origin or hashed, no eval, no framing.

    Styles allow 'unsafe-inline': emotion (Reflex's CSS-in-JS) inserts <style> tags at run
    time and React renders style attributes; neither can carry a hash.
    """
    extra = " ".join(extra_origins)
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob: {extra}".strip(),
        "font-src": "'self' data:",
        "connect-src": f"'self' {extra}".strip(),
        "worker-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def static_build_dir() -> Path:
    """The folder Reflex serves the built frontend from (``.web/build/client``)."""
    from reflex.utils.prerequisites import get_web_dir
    from reflex_base.constants import Dirs

    return get_web_dir() / Dirs.STATIC


@lru_cache
def _policy_for(build: Path, extra_origins: tuple[str, ...]) -> str:
    hashes = inline_script_hashes(build) if build.is_dir() else []
    return content_security_policy(hashes, extra_origins)


def current_policy(settings: Settings) -> str:
    """The policy for the built pages this process serves (hashed once per process)."""
    return _policy_for(static_build_dir(), tuple(storage_origins(settings)))


def security_headers(settings: Settings, policy: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (HSTS only when KHS_ENV=production)."""
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=()",
    }
    if settings.env == "production":
        headers["Strict-Transport-Security"] = HSTS
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response; ``/api`` answers are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        added = security_headers(settings, current_policy(settings))
        if scope["path"].startswith("/api"):
            added.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {key.lower() for key, _ in headers}
                headers.extend((k, v) for k, v in added if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Behind a proxy ------------------------------------------------------------------------------


def _trusted(peer: str, proxies: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(peer)
        return any(address in ipaddress.ip_network(p, strict=False) for p in proxies)
    except ValueError:
        return False


class ForwardedProtoMiddleware:
    """Believe X-Forwarded-Proto from KHS_TRUSTED_PROXIES: behind TLS-terminating nginx the
    app then sees https (``__Host-`` session cookie, correct same-origin checks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            proto = dict(scope.get("headers", ())).get(b"x-forwarded-proto", b"").lower()
            client = scope.get("client")
            proxies = get_settings().trusted_proxies
            if proto == b"https" and client and proxies and _trusted(client[0], proxies):
                scope["scheme"] = "https" if scope["type"] == "http" else "wss"
        await self.app(scope, receive, send)


# Request body limits ------------------------------------------------------------------------


def body_limit(path: str) -> int:
    """16 MB for a photo or customer import through /api, 151 MB for the office's uploads
    (several photos at once), 5 MB for a sync push, 1 MB otherwise."""
    if any(p.match(path) for p in UPLOAD_PATHS):
        return UPLOAD_LIMIT
    if REFLEX_UPLOAD_PATH.match(path):
        return REFLEX_UPLOAD_LIMIT
    return SYNC_PUSH_LIMIT if SYNC_PUSH_PATH.match(path) else BODY_LIMIT


def _too_large(limit: int) -> str:
    return f"The request body is larger than {limit // MB} MB."


class BodyLimitMiddleware:
    """413 in the error envelope for bodies over the limit, declared or streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, _too_large(limit))(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                # FastAPI re-raises HTTPException while reading a body: it becomes the envelope.
                raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, counting_receive, send)


# Dependencies down -> 503 -------------------------------------------------------------------


def _unavailable(what: str):
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, sa_exc.DBAPIError) and not _is_disconnect(exc):
            raise exc
        log.warning(
            "%s unavailable", what, extra={"error": type(exc).__name__, "path": request.url.path}
        )
        return error_response(
            503,
            "The service is briefly unavailable. Try again in a moment.",
            headers={"Retry-After": "2"},
        )

    return handler


def _is_disconnect(exc: sa_exc.DBAPIError) -> bool:
    return exc.connection_invalidated or isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError
    )


def install_unavailable_handlers(api: FastAPI) -> None:
    """A database or Redis that cannot be reached answers 503 SERVICE_UNAVAILABLE, not 500."""
    for error in (sa_exc.DBAPIError, sa_exc.TimeoutError):
        api.add_exception_handler(error, _unavailable("database"))
    for error in (redis.ConnectionError, redis.TimeoutError):
        api.add_exception_handler(error, _unavailable("redis"))


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
