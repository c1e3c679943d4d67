"""What a phone or the office sends about time: entries, edits, approvals, settings, costs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from khs_crm.models.time import MAX_BREAKS, Reason, TimeNote
from khs_crm.services.core.schemas import InputModel, not_null


def _utc(value: datetime) -> datetime:
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:  # year 1 at +01:00, year 9999 at -01:00
        raise ValueError("out of range") from exc


# A device or office time; a time with no zone is read as UTC.
Moment = Annotated[datetime, AfterValidator(_utc)]


class BreakIn(InputModel):
    started_at: Moment
    ended_at: Moment | None = None


Breaks = Annotated[list[BreakIn], Field(max_length=MAX_BREAKS)]


class TimeEntryCreate(InputModel):
    """A new entry: from a phone (its id chosen there) or from the office."""

    id: uuid.UUID | None = None
    user_id: uuid.UUID
    job_id: uuid.UUID
    started_at: Moment
    ended_at: Moment | None = None
    breaks: Breaks = []
    note: TimeNote = ""


class TimeEntryChanges(InputModel):
    """A change to an entry: only the fields sent (``endedAt: null`` reopens it)."""

    user_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    started_at: Moment | None = None
    ended_at: Moment | None = None
    breaks: Breaks | None = None
    note: TimeNote | None = None

    _required = field_validator("user_id", "job_id", "started_at", "breaks", "note")(
        classmethod(not_null)
    )


class TimeEntryEdit(TimeEntryChanges):
    """The office's edit: why it was made is required, and logged with the old and new times."""

    reason: Reason


class ApprovalIn(InputModel):
    reason: Annotated[str, Field(max_length=500)] = ""


class UnapprovalIn(InputModel):
    reason: Reason


class TimeSettingsIn(InputModel):
    week_start_day: Annotated[int, Field(ge=0, le=6)] | None = None
    overtime_hours: Annotated[Decimal, Field(ge=0, le=168, decimal_places=2)] | None = None

    _required = field_validator("week_start_day", "overtime_hours")(classmethod(not_null))


class HourlyCostIn(InputModel):
    hourly_cost: Annotated[Decimal, Field(ge=0, le=Decimal("9999.99"), decimal_places=2)] | None
