"""/api/activity: who changed what, newest first (office only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic.alias_generators import to_camel

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.responses import SIGNED_IN, errors
from khs_crm.api.schemas import CamelModel, NoNul, Page, PageParams, page_params, page_response
from khs_crm.models import ActivityAction, ActivityLog
from khs_crm.services.core import activity as activity_service

router = APIRouter(tags=["activity"])


class ActivityOut(CamelModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_name: str | None = None
    entity: str
    entity_id: uuid.UUID
    job_id: uuid.UUID | None = None
    action: ActivityAction
    changes: dict[str, Any]
    created_at: datetime


def activity_json(row: ActivityLog, actor_name: str | None) -> dict[str, Any]:
    """One row as the API shows it: ``changes`` is ``{fieldName: {old, new}}``."""
    out = ActivityOut.model_validate(row)
    out.actor_name = actor_name
    out.changes = {to_camel(field): value for field, value in row.changes.items()}
    return out.dump()


@router.get("/activity", response_model=Page[ActivityOut], responses=errors(*SIGNED_IN, 404, 422))
def list_activity(
    user: OfficeUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    entity: Annotated[str | None, Query(max_length=32), NoNul] = None,
    entity_id: Annotated[uuid.UUID | None, Query(alias="entityId")] = None,
    job_id: Annotated[uuid.UUID | None, Query(alias="jobId")] = None,
) -> JSONResponse:
    """The activity log, newest first; filter by ``entity``, ``entityId`` and ``jobId``.

    ``jobId`` is a job's timeline: the job, its materials, notes, photos and crew. System
    housekeeping (thumbnails) is left out.
    """
    rows, total = activity_service.list_activity(
        session,
        entity=entity,
        entity_id=entity_id,
        job_id=job_id,
        offset=params.offset,
        limit=params.page_size,
    )
    items = [activity_json(row, name) for row, name in rows]
    return page_response(items, params=params, total=total)
