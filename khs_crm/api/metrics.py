"""GET /metrics for Prometheus (bearer KHS_METRICS_TOKEN), and the middleware that times
every HTTP answer by route template (Reflex events are timed by ``khs_crm.reflex_metrics``).

Without a configured token the path does not exist (404), so nothing is exposed by
accident; a wrong or missing bearer token is 401. Kept out of /api/openapi.json: it is for
the scraper, not for API clients. See docs/operations.md.
"""

from __future__ import annotations

import hmac
import time

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khs_crm import reflex_metrics
from khs_crm.api.envelope import ApiError
from khs_crm.integrations import jobqueue
from khs_crm.observability import route_template
from khs_crm.services.ops import metrics
from khs_crm.settings import get_settings

router = APIRouter()
# Photo uploads: the API's, the presigned upload's completion, and the office's Reflex upload.
UPLOAD_ROUTES = ("/photos", "/complete", "/_upload")


def _authorised(request: Request) -> None:
    token = get_settings().metrics_token
    if not token:
        raise ApiError(404, "Not found.")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(
            401, "A valid metrics token is needed.", headers={"WWW-Authenticate": "Bearer"}
        )


def _pool_use() -> dict[str, int] | None:
    from khs_crm import db

    pool = getattr(db.get_engine(), "pool", None)
    if not isinstance(pool, QueuePool):
        return None
    return {
        "in_use": pool.checkedout(),
        "idle": pool.checkedin(),
        "overflow": max(pool.overflow(), 0),
    }


def _refresh_gauges() -> bytes:
    metrics.set_gauges(queue_depth=jobqueue.depth(), pool=_pool_use())
    return metrics.exposition()


@router.get("/metrics", include_in_schema=False)
async def scrape(request: Request) -> Response:
    """The Prometheus text format: every metric of this process (of all, in multiprocess mode)."""
    _authorised(request)
    body = await run_in_threadpool(_refresh_gauges)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def _route_label(scope: Scope) -> str:
    route = route_template(scope)
    if route:
        return route
    path = scope.get("path", "")
    if path == "/_upload":
        return path
    return "/api/(unknown)" if path.startswith("/api/") else "(app)"


class MetricsMiddleware:
    """Count each HTTP answer by method, route template and status, with its latency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _route_label(scope)
            metrics.observe_request(
                scope.get("method", ""), route, status[0], time.perf_counter() - started
            )
            is_upload = scope.get("method") == "POST" and route.endswith(UPLOAD_ROUTES)
            if is_upload and status[0] >= 400:
                metrics.photo_failed("upload")


def install(api: FastAPI) -> None:
    """Time every request and every Reflex event, and serve /metrics beside /api."""
    reflex_metrics.install()
    api.add_middleware(MetricsMiddleware)
    api.include_router(router)
