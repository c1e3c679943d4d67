"""/api/time-entries: the crew's time, each person's own; the office's entries and edits.

A phone clocks in and out through sync (entity ``time_entry``); these routes are for reading
a week and for the office's corrections (docs/time.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope, Page, PageParams, page_response
from khs_crm.models import TimeEntry
from khs_crm.models.base import utcnow
from khs_crm.services.time import checks, location, rules
from khs_crm.services.time import entries as time_service
from khs_crm.services.time.schemas import Day, TimeEntryCreate, TimeEntryEdit

router = APIRouter(tags=["time"])
HOURS: JsonDict = {"examples": ["8.25"], "pattern": r"^[0-9]+\.[0-9]{2}$"}
Flag = Literal["over_16h", "open_past_midnight", "late_sync", "edited", "after_approval"]


class BreakOut(CamelModel):
    started_at: datetime
    ended_at: datetime | None


class TimeEntryOut(CamelModel):
    """A time entry: the device's times, the server's receive time and what it counts."""

    id: uuid.UUID
    user_id: uuid.UUID
    job_id: uuid.UUID
    started_at: datetime
    ended_at: datetime | None = Field(description="null while clocked in")
    breaks: list[BreakOut]
    note: str
    hours: str | None = Field(json_schema_extra=HOURS, description="null while clocked in")
    received_at: datetime = Field(description="The server's time of the first sync.")
    flags: list[Flag]
    approved: bool
    source: Literal["device", "office"]
    in_lat: float | None = Field(
        description="Where the person clocked in, to 3 decimals (~110 m); null: not stamped."
    )
    in_lng: float | None
    out_lat: float | None = Field(
        description="Where they clocked out, to 3 decimals; null: not stamped."
    )
    out_lng: float | None
    version: int
    created_at: datetime
    updated_at: datetime


def time_entry_json(entry: Any, now: datetime | None = None) -> dict[str, Any]:
    """An entry (a row or a pulled record) as the API and the sync show it; its flags as of
    ``now`` (an entry still open past midnight is flagged while it stays open)."""
    breaks = rules.breaks_of(entry.breaks or [])
    return {
        "id": str(entry.id),
        "userId": str(entry.user_id),
        "jobId": str(entry.job_id),
        "startedAt": entry.started_at.isoformat(),
        "endedAt": entry.ended_at.isoformat() if entry.ended_at else None,
        "breaks": rules.breaks_json(breaks),
        "note": entry.note,
        "hours": rules.hours_text(rules.hours(entry.started_at, entry.ended_at, breaks)),
        "receivedAt": entry.received_at.isoformat(),
        "flags": rules.all_flags(
            entry.flags or [], entry.started_at, entry.ended_at, now or utcnow(), checks.timezone()
        ),
        "approved": entry.approved,
        "source": entry.source,
        **location.stamps_json(entry),
        "version": entry.version,
        "createdAt": entry.created_at.isoformat(),
        "updatedAt": entry.updated_at.isoformat(),
    }


def _paging(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=100)] = 100,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


@router.get("/time-entries", response_model=Page[TimeEntryOut], responses=errors(*SIGNED_IN, 422))
def list_time_entries(
    user: CurrentUser,
    session: SessionDep,
    user_id: Annotated[uuid.UUID | None, Query(alias="userId")] = None,
    job_id: Annotated[uuid.UUID | None, Query(alias="jobId")] = None,
    first: Annotated[Day | None, Query(alias="from", description="company day, inclusive")] = None,
    last: Annotated[Day | None, Query(alias="to", description="company day, inclusive")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=100)] = 100,
) -> JSONResponse:
    """Entries that start in the company days ``from``..``to``, oldest first (a worker: only
    their own, whatever ``userId`` says)."""
    params = _paging(page, page_size)
    rows, total = time_service.list_entries(
        session,
        user=user,
        user_id=user_id,
        job_id=job_id,
        first=first,
        last=last,
        offset=params.offset,
        limit=params.page_size,
    )
    now = utcnow()
    return page_response([time_entry_json(e, now) for e in rows], params=params, total=total)


@router.post(
    "/time-entries",
    status_code=201,
    response_model=Envelope[TimeEntryOut],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def create_time_entry(body: TimeEntryCreate, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """Enter time for a person (office). 409 when it overlaps their other time, its times do
    not fit together, or one is ahead of the server's clock."""
    entry = time_service.create_entry(session, data=body, actor=user, by_device=False)
    return ok(time_entry_json(entry), 201)


@router.put(
    "/time-entries/{entry_id}",
    response_model=Envelope[TimeEntryOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def edit_time_entry(
    entry_id: uuid.UUID,
    body: TimeEntryEdit,
    user: OfficeUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Correct an entry (office): the fields sent, with the ``reason`` (required), logged with
    the old and new times; the entry is flagged ``edited`` (``after_approval`` in an approved
    week)."""
    entry: TimeEntry = time_service.office_edit(
        session, entry_id=entry_id, data=body, actor=user, expected_version=expected
    )
    return ok(time_entry_json(entry))
