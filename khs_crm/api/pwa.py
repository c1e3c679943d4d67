"""The installable app's server side: the service worker and the app shell's cache headers.

``GET /api/pwa/sw.js`` serves ``assets/sw.js`` with this build's precache list and version
filled in. The hashed file names exist only after the frontend build, so the list is read
from the build folder when asked for (and kept until the build changes). The response says
``Service-Worker-Allowed: /`` so the worker controls the whole origin.

``install_cache_headers(api)`` adds the ASGI middleware that marks hashed build assets
immutable for a year and everything else the frontend serves (pages, our un-hashed scripts,
the stylesheet, manifest, icons) ``no-cache``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from reflex.utils.prerequisites import get_web_dir
from reflex_base.constants import Dirs
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khs_crm.api.envelope import ApiError

router = APIRouter(prefix="/pwa", tags=["pwa"])

ROOT = Path(__file__).resolve().parents[2]
SW_TEMPLATE = ROOT / "assets" / "sw.js"
HASHED = "/assets/"  # the build's hashed files: immutable here, cache-first in the worker
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SKIP_SUFFIXES = (".gz", ".br", ".zst", ".map")
SKIP_FILES = {"sw.js", "404.html", "__spa-fallback.html"}


def build_dir() -> Path:
    """Where ``reflex run --env prod`` / ``reflex export`` put the compiled frontend."""
    return get_web_dir() / Dirs.STATIC


def page_url(relative: str) -> str | None:
    """The URL of a prerendered page (``field/jobs/index.html`` → ``/field/jobs/``), else None.

    With the slash: the static server redirects ``/field`` to ``/field/``, and a cached
    redirect cannot answer a navigation.
    """
    if relative == "index.html" or relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return None


def precache_entries(client: Path) -> list[tuple[str, Path]]:
    """(URL, file) for every page and static file of the build, pages first."""
    pages: list[tuple[str, Path]] = []
    files: list[tuple[str, Path]] = []
    for path in sorted(p for p in client.rglob("*") if p.is_file()):
        relative = path.relative_to(client).as_posix()
        if relative in SKIP_FILES or relative.endswith(SKIP_SUFFIXES):
            continue
        if not relative.endswith(".html"):
            files.append(("/" + relative, path))
        elif url := page_url(relative):
            pages.append((url, path))
    return pages + files


def build_version(entries: list[tuple[str, Path]]) -> str:
    """A hash of the file list and contents (our un-hashed files change between builds too)."""
    digest = hashlib.sha256(SW_TEMPLATE.read_bytes())
    for url, path in entries:
        digest.update(url.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


_cache: dict[tuple, str] = {}


def _stamp(client: Path) -> tuple:
    paths = (client, client / "assets", client / "index.html", SW_TEMPLATE)
    return tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


def service_worker_source(client: Path | None = None) -> str:
    """``assets/sw.js`` with this build's version and precache list filled in."""
    client = client or build_dir()
    if not (client / "index.html").is_file():
        raise ApiError(404, "No production build here: the service worker needs one.")
    key = (str(client), _stamp(client))
    if key not in _cache:
        entries = precache_entries(client)
        source = SW_TEMPLATE.read_text(encoding="utf-8")
        source = source.replace("__KHS_VERSION__", build_version(entries))
        source = source.replace("__KHS_HASHED__", HASHED)
        source = source.replace("/*__KHS_PRECACHE__*/ []", json.dumps([u for u, _ in entries]))
        _cache.clear()
        _cache[key] = source
    return _cache[key]


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    """The service worker for this build (never cached by the browser's HTTP cache)."""
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Cache-Control": REVALIDATE, "Service-Worker-Allowed": "/"},
    )


# Routes that set their own Cache-Control: the customers' link pages (no-store: a token and
# money figures stay out of every cache).
OWN_POLICY = ("/api/", "/_", "/e/", "/i/", "/c/")


def cache_policy(path: str) -> str | None:
    """Cache-Control for a frontend path; None leaves the response alone (API, Reflex, the
    customer link pages)."""
    if path.startswith(OWN_POLICY) or path in ("/api", "/ping"):
        return None
    return IMMUTABLE if path.startswith(HASHED) else REVALIDATE


class CacheHeaders:
    """ASGI middleware: Cache-Control on successful GET/HEAD responses of the frontend."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            policy = cache_policy(scope["path"])
        if policy is None:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                MutableHeaders(raw=message["headers"])["Cache-Control"] = policy
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_cache_headers(api: FastAPI) -> None:
    """Add the cache-header middleware to the app that wraps the Reflex frontend."""
    api.add_middleware(CacheHeaders)
