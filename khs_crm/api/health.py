"""GET /api/health: is the app and every dependency it needs answering."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from khs_crm import db
from khs_crm.api.envelope import meta
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.integrations import redis as redis_integration
from khs_crm.integrations.storage import get_storage

router = APIRouter(tags=["health"])


class HealthOut(CamelModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "down"]
    redis: Literal["ok", "down", "disabled"]
    storage: Literal["ok", "down"]


def _check() -> dict[str, str]:
    database = "ok" if db.ping() else "down"
    redis_state = redis_integration.ping()
    storage = "ok" if get_storage().ping() else "down"
    healthy = database == "ok" and redis_state in ("ok", "disabled") and storage == "ok"
    return {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "redis": redis_state,
        "storage": storage,
    }


@router.get(
    "/health",
    response_model=Envelope[HealthOut],
    responses={503: {"model": Envelope[HealthOut], "description": "A dependency is down."}},
)
async def health() -> JSONResponse:
    """Whether the app and every dependency it needs answer: 503 (same shape) when one is down."""
    data = await run_in_threadpool(_check)
    status = 200 if data["status"] == "ok" else 503
    return JSONResponse({"data": data, "meta": meta()}, status_code=status)
