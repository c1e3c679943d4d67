"""The time clock's refusals and the checks that raise them: times that do not fit, device
times ahead of the server, overlaps, approved weeks. Rules: services/time/rules.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from khs_crm.models import Job, TimeEntry, TimeSettings, TimesheetApproval
from khs_crm.services.core.errors import Conflict
from khs_crm.services.sync import messages
from khs_crm.services.time import rules
from khs_crm.settings import get_settings


class TimeRefused(Conflict):
    """A time-clock rule said no (409). ``reason``/``params``: a code of
    services/sync/messages.py and its parameters; ``keep``: the device's punch is kept as
    refused work for the office (it overlaps the office's time, or lands in an approved
    week) rather than only refused."""

    def __init__(self, reason: str, params: dict[str, Any], *, keep: bool = False) -> None:
        super().__init__(
            messages.render(reason, params), details=[{"field": "time", "message": reason}]
        )
        self.reason = reason
        self.params = params
        self.keep = keep

    def said(self, language: str) -> tuple[str, list[dict[str, str]]]:
        return messages.render(self.reason, self.params, language), self.details


def timezone() -> str:
    """The company's time zone (khs_crm/settings.py)."""
    return get_settings().timezone


def time_settings(session: Session) -> TimeSettings:
    """The company's time rules (the defaults until the owner saves them)."""
    return session.get(TimeSettings, 1) or TimeSettings(id=1)


def week_of(session: Session, moment: datetime) -> Any:
    """The company week (its first day) a time falls in."""
    return rules.week_of(moment, timezone(), time_settings(session).week_start_day)


def week_approved(session: Session, user_id: uuid.UUID, moment: datetime) -> bool:
    """Whether the person's company week holding ``moment`` is approved."""
    found = session.exec(
        select(TimesheetApproval.approved).where(
            TimesheetApproval.user_id == user_id,
            TimesheetApproval.week_start == week_of(session, moment),
        )
    ).first()
    return bool(found)


def check_times(
    started_at: datetime, ended_at: datetime | None, breaks: list[rules.Break], now: datetime
) -> None:
    """Refuse times that do not fit together, or any more than 10 minutes ahead of ``now``."""
    if rules.shape_problem(started_at, ended_at, breaks):
        raise TimeRefused(messages.TIME_TIMES_INVALID, {})
    moments = [started_at, ended_at, *(t for b in breaks for t in (b.started_at, b.ended_at))]
    ahead = rules.ahead_of(moments, now)
    if ahead is not None:
        raise TimeRefused(messages.TIME_IN_FUTURE, {"time": messages.local_text(ahead)})


def check_week(session: Session, entry: TimeEntry, *moments: datetime) -> None:
    """A device's punch into an approved week is kept for the office, not applied."""
    if entry.approved or any(week_approved(session, entry.user_id, m) for m in moments):
        week = week_of(session, moments[0] if moments else entry.started_at)
        raise TimeRefused(
            messages.TIME_WEEK_APPROVED,
            {"week": week.isoformat(), "job": _title(session, entry.job_id)},
            keep=True,
        )


def check_overlap(session: Session, entry: TimeEntry, *, by_device: bool) -> None:
    """One open entry per person, and none of a person's entries overlap."""
    found = session.exec(
        select(TimeEntry)
        .where(
            TimeEntry.user_id == entry.user_id,
            TimeEntry.id != entry.id,
            col(TimeEntry.deleted_at).is_(None),
            or_(col(TimeEntry.ended_at).is_(None), col(TimeEntry.ended_at) > entry.started_at),
            *([col(TimeEntry.started_at) < entry.ended_at] if entry.ended_at else []),
        )
        .order_by(col(TimeEntry.started_at))
        .limit(1)
    ).first()
    if found is None:
        return
    params = {
        "job": _title(session, found.job_id),
        "start": messages.local_text(found.started_at),
        "end": messages.local_text(found.ended_at),
    }
    if found.ended_at is None and entry.ended_at is None:
        raise TimeRefused(messages.TIME_ALREADY_OPEN, params)
    office = by_device and found.source == "office"
    raise TimeRefused(
        messages.TIME_OFFICE_OVERLAP if office else messages.TIME_OVERLAP, params, keep=office
    )


def _title(session: Session, job_id: uuid.UUID) -> str:
    job = session.get(Job, job_id)
    return job.title if job is not None else "…"
