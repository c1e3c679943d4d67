"""/api/timesheets: approve a person's week (locks it for them), unapprove it (owner), the
payroll CSV; the company's time settings and each person's hourly cost (owner only)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.models import TimeSettings, TimesheetApproval
from khs_crm.services.time import checks, timesheets
from khs_crm.services.time.schemas import (
    ApprovalIn,
    Day,
    HourlyCostIn,
    TimeSettingsIn,
    UnapprovalIn,
)

router = APIRouter(tags=["time"])
MONEY: JsonDict = {"examples": ["28.50"], "pattern": r"^[0-9]+\.[0-9]{2}$"}


class TimesheetOut(CamelModel):
    user_id: uuid.UUID
    week_start: date
    approved: bool
    decided_by: uuid.UUID
    decided_at: datetime
    reason: str


class TimeSettingsOut(CamelModel):
    week_start_day: int = Field(description="0 Monday … 6 Sunday")
    overtime_hours: str
    timezone: str = Field(description="The company's time zone (a server setting).")
    version: int


class HourlyCostOut(CamelModel):
    user_id: uuid.UUID
    hourly_cost: str | None = Field(json_schema_extra=MONEY)


def _sheet_json(row: TimesheetApproval) -> dict[str, Any]:
    return {
        "userId": str(row.user_id),
        "weekStart": row.week_start.isoformat(),
        "approved": row.approved,
        "decidedBy": str(row.decided_by),
        "decidedAt": row.decided_at.isoformat(),
        "reason": row.reason,
    }


def _settings_json(row: TimeSettings) -> dict[str, Any]:
    return {
        "weekStartDay": row.week_start_day,
        "overtimeHours": f"{Decimal(row.overtime_hours):.2f}",
        "timezone": checks.timezone(),
        "version": row.version,
    }


def _cost_json(user_id: uuid.UUID, cost: Decimal | None) -> dict[str, Any]:
    return {"userId": str(user_id), "hourlyCost": None if cost is None else f"{cost:.2f}"}


SHEET_ERRORS = errors(*WRITE, *BODY, 404, 409)


@router.post(
    "/timesheets/{user_id}/{week_start}/approve",
    response_model=Envelope[TimesheetOut],
    responses=SHEET_ERRORS,
)
def approve(
    user_id: uuid.UUID, week_start: Day, body: ApprovalIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Approve a person's company week (office); ``weekStart`` is its first day. The worker
    can no longer change its entries: a punch into it is kept for the office to review."""
    row = timesheets.approve_week(
        session, user_id=user_id, week_start=week_start, reason=body.reason, actor=user
    )
    return ok(_sheet_json(row))


@router.post(
    "/timesheets/{user_id}/{week_start}/unapprove",
    response_model=Envelope[TimesheetOut],
    responses=SHEET_ERRORS,
)
def unapprove(
    user_id: uuid.UUID, week_start: Day, body: UnapprovalIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Open an approved week again (owner only: an admin gets 403), with a reason; 409 when
    it is not approved."""
    row = timesheets.unapprove_week(
        session, user_id=user_id, week_start=week_start, reason=body.reason, actor=user
    )
    return ok(_sheet_json(row))


CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV download"}
}


@router.get(
    "/timesheets/export.csv",
    response_class=StreamingResponse,
    responses={**CSV, **errors(*SIGNED_IN, 404, 422)},
)
def export_payroll(
    user: OfficeUser,
    session: SessionDep,
    first: Annotated[Day | None, Query(alias="from", description="company day, inclusive")] = None,
    last: Annotated[Day | None, Query(alias="to", description="company day, inclusive")] = None,
) -> StreamingResponse:
    """Closed entries for payroll: person, date, job, start, end, breaks (minutes), hours,
    overtime (that entry's hours past the weekly threshold)."""
    chunks = timesheets.payroll_csv(session, first=first, last=last)
    filename = f"timesheets-{datetime.now(UTC):%Y-%m-%d}.csv"
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/time-settings", response_model=Envelope[TimeSettingsOut], responses=errors(*SIGNED_IN, 404)
)
def read_settings(user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The company's week start, overtime threshold and time zone (office)."""
    return ok(_settings_json(checks.time_settings(session)))


@router.put(
    "/time-settings", response_model=Envelope[TimeSettingsOut], responses=errors(*WRITE, *BODY, 404)
)
def change_settings(body: TimeSettingsIn, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """Change the week's first day or the overtime threshold (owner only: an admin gets 403)."""
    return ok(_settings_json(timesheets.update_settings(session, data=body, actor=user)))


@router.get(
    "/users/{user_id}/hourly-cost",
    response_model=Envelope[HourlyCostOut],
    responses=errors(*SIGNED_IN, 403, 404, 422),
)
def read_hourly_cost(user_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """What an hour of this person's work costs the company (owner only)."""
    return ok(_cost_json(user_id, timesheets.hourly_cost(session, user_id=user_id, actor=user)))


@router.put(
    "/users/{user_id}/hourly-cost",
    response_model=Envelope[HourlyCostOut],
    responses=errors(*WRITE, *BODY, 404),
)
def change_hourly_cost(
    user_id: uuid.UUID, body: HourlyCostIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Set (or, with null, clear) a person's hourly cost (owner only: an admin gets 403)."""
    cost = timesheets.set_hourly_cost(session, user_id=user_id, cost=body.hourly_cost, actor=user)
    return ok(_cost_json(user_id, cost))
