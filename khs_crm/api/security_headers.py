"""Security headers on every answer: a Content-Security-Policy that hashes the build's inline
scripts (no ``unsafe-inline``), HSTS in production, and the rest of the usual set."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khs_crm.settings import Settings, get_settings

HSTS = "max-age=63072000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)

# Content-Security-Policy ------------------------------------------------------------------


def inline_script_hashes(build_dir: Path) -> list[str]:
    """CSP sources (``'sha256-...'``) for every inline <script> in the built pages.

    React Router's prerendered pages carry a few inline scripts (theme, scroll restoration,
    route module imports, hydration); hashing them lets the policy refuse every other inline
    script without 'unsafe-inline'.

    A folder or page that is gone by the time it is read (a build replacing the folder, e.g.
    the test suite's production build beside an in-process app) is skipped, not a 500 on
    every route: ``os.walk`` passes over folders it cannot list.
    """
    hashes: set[str] = set()
    for folder, _subfolders, files in os.walk(build_dir):
        for name in files:
            if not name.endswith(".html"):
                continue
            try:
                html = (Path(folder) / name).read_bytes()
            except FileNotFoundError:
                continue
            for body in _INLINE_SCRIPT.findall(html):
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
