"""GET /api/health: is the app and every dependency it needs answering; how old the last
backup is and how many background jobs wait (these two never make it unhealthy)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from khs_crm import db
from khs_crm.api.envelope import meta
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.integrations import jobqueue
from khs_crm.integrations import redis as redis_integration
from khs_crm.integrations.storage import get_storage
from khs_crm.services.ops.status import backup_status

router = APIRouter(tags=["health"])


class HealthOut(CamelModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "down"]
    redis: Literal["ok", "down", "disabled"]
    storage: Literal["ok", "down"]
    last_backup_age_hours: float | None = Field(
        description="Hours since the last finished backup; null when none has run."
    )
    backup_overdue: bool = Field(
        description="No backup, or none for KHS_BACKUP_WARN_HOURS (48): the owner is warned."
        " Does not make the app unhealthy."
    )
    job_queue_depth: int | None = Field(
        description="Background jobs waiting (thumbnails); null when it cannot be read."
    )


def _check() -> dict[str, object]:
    database = "ok" if db.ping() else "down"
    redis_state = redis_integration.ping()
    storage = "ok" if get_storage().ping() else "down"
    healthy = database == "ok" and redis_state in ("ok", "disabled") and storage == "ok"
    backups = backup_status()
    return {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "redis": redis_state,
        "storage": storage,
        "lastBackupAgeHours": backups.age_hours,
        "backupOverdue": backups.overdue,
        "jobQueueDepth": jobqueue.depth() if redis_state != "down" else None,
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
