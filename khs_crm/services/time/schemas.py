"""What a phone or the office sends about time: entries, edits, approvals, settings, costs."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, field_validator

from khs_crm.models.time import MAX_BREAKS, Reason, TimeNote
from khs_crm.services.core.schemas import InputModel, not_null, whole
from khs_crm.services.money.schemas import Price
from khs_crm.services.time.location import Stamps


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


class DeviceTimeCreate(TimeEntryCreate, Stamps):
    """A phone's clock-in: an entry, with where the person was if they share it."""


class DeviceTimeChanges(TimeEntryChanges, Stamps):
    """A phone's change to its entry: clock out, a break, a note, a position."""


class ApprovalIn(InputModel):
    reason: Annotated[str, Field(max_length=500)] = ""


class UnapprovalIn(InputModel):
    reason: Reason


WEEK_DAY_SAID = "Choose the day the week starts on: 0 (Monday) to 6 (Sunday)."
OVERTIME_SAID = "Enter the weekly overtime hours as a whole number from 0 to 168, e.g. 40."


def _whole_in(low: int, high: int, said: str) -> BeforeValidator:
    """A JSON whole number from ``low`` to ``high``; anything else is refused with ``said``
    (one sentence a person can act on, the same for text, fractions and out of range)."""

    def check(value: Any) -> int:
        try:
            number = whole(value)
        except ValueError:
            raise ValueError(said) from None
        if not low <= number <= high:
            raise ValueError(said)
        return number

    return BeforeValidator(check)


# Whole numbers in a range, said so in the schema (written out: mypy needs a type alias).
WeekDay = Annotated[  # 0 Monday … 6 Sunday
    int,
    _whole_in(0, 6, WEEK_DAY_SAID),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 6}),
]
WeekHours = Annotated[
    int,
    _whole_in(0, 168, OVERTIME_SAID),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 168}),
]


SETTINGS_SAID = {"week_start_day": WEEK_DAY_SAID, "overtime_hours": OVERTIME_SAID}


class TimeSettingsIn(InputModel):
    """The owner's time rules: the week's first day, the weekly overtime threshold."""

    week_start_day: WeekDay | None = None
    overtime_hours: WeekHours | None = None

    @field_validator("week_start_day", "overtime_hours")
    @classmethod
    def _present(cls, value: Any, info: Any) -> Any:
        if value is None:
            raise ValueError(SETTINGS_SAID[info.field_name])
        return value


class HourlyCostIn(InputModel):
    hourly_cost: Price | None = Field(description='"28.50"; null: no cost')


def _iso_day(value: Any) -> Any:
    """A day as ``YYYY-MM-DD`` text, nothing else (no timestamps)."""
    if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        raise ValueError("Enter a date as YYYY-MM-DD.")
    return value


# A company day in a query or a path: ``2026-12-01``.
Day = Annotated[date, BeforeValidator(_iso_day)]
