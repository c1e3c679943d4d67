"""The crew time clock: time entries (synced with the phone that made them), approved
timesheet weeks, the company's time settings and each person's hourly cost.

How hours, flags, overtime and labor cost are computed: services/time/rules.py. The hourly
cost lives beside the person, not on the synced or shared user row, so no phone and no
worker-facing route ever carries it (as a material's unit cost lives in material_costs).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import pydantic
from sqlalchemy import JSON, Date, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, Timestamped, UTCDateTime, new_id, ts_field, utcnow

# Each limit once (the column, services/time/schemas.py and the field app read it).
TimeNote = Annotated[str, pydantic.Field(max_length=2000)]
Reason = Annotated[str, pydantic.Field(min_length=1, max_length=500)]
MAX_BREAKS = 20


class TimeEntry(Syncable, table=True):
    """One stretch of work by one person on one job: the device's times of each tap
    (``started_at``/``ended_at``, None while clocked in; ``breaks``: ``[{startedAt,
    endedAt}]``, ISO strings, the last one's end None while on a break), and the server's
    time of the first sync beside them (``received_at``). ``flags``: what the office should
    look at (services/time/rules.py). ``approved``: its person-week is approved (kept on the
    row, so the phone's pull learns that the week is locked)."""

    __tablename__ = "time_entries"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    started_at: datetime = Field(sa_type=UTCDateTime(), index=True)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    breaks: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"nullable": False}
    )
    note: TimeNote = ""
    received_at: datetime = ts_field()
    flags: list[str] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"nullable": False}
    )
    approved: bool = False
    # "device" (a phone's punch, through sync) or "office" (entered through the API).
    source: str = Field(default="device", max_length=16)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # Where the person was at clock in / clock out, if they share it: rounded to 3 decimals
    # (~110 m) by the server (services/time/location.py); None when not stamped.
    in_lat: Decimal | None = Field(default=None, sa_type=Numeric(6, 3))
    in_lng: Decimal | None = Field(default=None, sa_type=Numeric(6, 3))
    out_lat: Decimal | None = Field(default=None, sa_type=Numeric(6, 3))
    out_lng: Decimal | None = Field(default=None, sa_type=Numeric(6, 3))


class TimesheetApproval(Timestamped, table=True):
    """A person's week (``week_start``: the company week's first day, company time zone):
    approved or not, who decided and why. One row per person-week; its history is in the
    activity log."""

    __tablename__ = "timesheet_approvals"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    week_start: date = Field(sa_type=Date())
    approved: bool = True
    decided_by: uuid.UUID = Field(foreign_key="users.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    reason: str = Field(default="", max_length=500)
    version: int = 0


class TimeSettings(SQLModel, table=True):
    """The one row (id 1) of the company's time rules; the defaults until the owner saves.
    The company's time zone is ``Settings.timezone`` (khs_crm/settings.py)."""

    __tablename__ = "time_settings"

    id: int = Field(default=1, primary_key=True)
    week_start_day: int = 0  # 0 Monday … 6 Sunday (Python's weekday())
    overtime_hours: Decimal = Field(default=Decimal("40"), sa_type=Numeric(5, 2))
    version: int = 0
    updated_at: datetime = ts_field()


class LaborRate(SQLModel, table=True):
    """What one hour of a person's work costs the company (owner only; never sent to a
    worker)."""

    __tablename__ = "labor_rates"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    hourly_cost: Decimal = Field(sa_type=Numeric(12, 2))
    updated_at: datetime = ts_field()
