"""The timesheet screen's forms (plain strings) read into the time services' inputs: an
office entry (a forgotten punch), an edit with its reason, an unapproval's reason, a
person's hourly cost; and the choices the forms offer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import Job, LaborRate, Role, User
from khs_crm.office.views import Option
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.time import rules
from khs_crm.services.time.schemas import TimeEntryCreate, TimeEntryEdit

MAX_OPTIONS = 500
SAID = {
    "person": N_("Choose whose time this is."),
    "job": N_("Choose the job."),
    "date": N_("Enter the day, e.g. 2026-12-01."),
    "start": N_("Enter the start time, e.g. 07:30."),
    "end": N_("Enter the end time, e.g. 15:30."),
    "breaks": N_("Enter the break in whole minutes, e.g. 30."),
    "reason": N_("Say why the time is changed; it is kept with the change."),
    "unapprove": N_("Say why the week is opened again; it is kept in the activity log."),
    "hourly_cost": N_("Enter the cost of an hour in dollars and cents, e.g. 28.50."),
}


def _fail(*names: str, message: str = N_("Check the marked fields.")) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": n, "message": SAID[n]} for n in names])


def _text(form: dict[str, Any], name: str) -> str:
    return str(form.get(name, "") or "").strip()


def _id(form: dict[str, Any], name: str) -> uuid.UUID:
    try:
        return uuid.UUID(_text(form, name))
    except ValueError:
        raise _fail(name) from None


def _clock(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def entry_times(form: dict[str, Any], tz: str) -> tuple[datetime, datetime | None, int]:
    """Day, start and end (company time; an end before the start is the next day) and the
    break minutes, as UTC times. An empty end: still clocked in."""
    wrong = []
    try:
        day = date.fromisoformat(_text(form, "date"))
    except ValueError:
        day, wrong = date.min, ["date"]
    start, end_raw = _clock(_text(form, "start")), _text(form, "end")
    end = _clock(end_raw)
    wrong += ["start"] if start is None else []
    wrong += ["end"] if end_raw and end is None else []
    minutes_raw = _text(form, "breaks") or "0"
    minutes = int(minutes_raw) if minutes_raw.isdigit() else -1
    wrong += ["breaks"] if minutes < 0 else []
    if wrong or start is None:
        raise _fail(*wrong)
    zone = ZoneInfo(tz)
    began = datetime.combine(day, start, zone).astimezone(UTC)
    ended = None
    if end is not None:
        finish = datetime.combine(day, end, zone)
        if finish.astimezone(UTC) <= began:
            finish = datetime.combine(day + timedelta(days=1), end, zone)
        ended = finish.astimezone(UTC)
    if minutes and (ended is None or timedelta(minutes=minutes) >= ended - began):
        raise ValidationFailed(
            N_("The break is longer than the time worked."),
            details=[{"field": "breaks", "message": N_("Make the break shorter than the shift.")}],
        )
    return began, ended, minutes


def breaks_for(
    began: datetime, ended: datetime | None, minutes: int, current: Sequence[rules.Break] = ()
) -> list[rules.Break]:
    """The entry's breaks: the current ones when they still add up to ``minutes`` and fit
    the new times; else one break of ``minutes`` in the middle of the entry."""
    if minutes <= 0 or ended is None:
        return [b for b in current if ended is None and b.started_at >= began]
    seconds = sum(((b.ended_at or ended) - b.started_at).total_seconds() for b in current)
    fits = all(
        b.started_at >= began and b.ended_at is not None and b.ended_at <= ended for b in current
    )
    if current and fits and round(seconds / 60) == minutes:
        return list(current)
    middle = began + (ended - began) / 2
    start = (middle - timedelta(minutes=minutes) / 2).replace(microsecond=0)
    return [rules.Break(start, start + timedelta(minutes=minutes))]


def _breaks_in(breaks: Sequence[rules.Break]) -> list[dict[str, Any]]:
    return rules.breaks_json(breaks)


def new_entry(form: dict[str, Any], tz: str) -> TimeEntryCreate:
    """The office's entry for someone (e.g. a forgotten punch)."""
    person, job = _id(form, "person"), _id(form, "job")
    began, ended, minutes = entry_times(form, tz)
    return TimeEntryCreate.model_validate(
        {
            "userId": person,
            "jobId": job,
            "startedAt": began,
            "endedAt": ended,
            "breaks": _breaks_in(breaks_for(began, ended, minutes)),
            "note": _text(form, "note"),
        }
    )


def entry_edit(form: dict[str, Any], tz: str, current: Sequence[rules.Break]) -> TimeEntryEdit:
    """The office's change to an entry; the reason is required."""
    reason = _text(form, "reason")
    if not reason:
        raise _fail("reason", message=N_("Say why the time is changed."))
    job = _id(form, "job")
    began, ended, minutes = entry_times(form, tz)
    return TimeEntryEdit.model_validate(
        {
            "jobId": job,
            "startedAt": began,
            "endedAt": ended,
            "breaks": _breaks_in(breaks_for(began, ended, minutes, current)),
            "note": _text(form, "note"),
            "reason": reason[:500],
        }
    )


def unapprove_reason(form: dict[str, Any]) -> str:
    reason = _text(form, "reason")
    if not reason:
        raise ValidationFailed(
            N_("Say why the week is opened again."),
            details=[{"field": "reason", "message": SAID["unapprove"]}],
        )
    return reason[:500]


def people_options(session: Session) -> list[Option]:
    """Everyone who can clock in (active people), by name."""
    rows = session.exec(
        select(User.id, User.name, User.role)
        .where(col(User.active).is_(True))
        .order_by(col(User.role) != Role.worker, col(User.name))
        .limit(MAX_OPTIONS)
    ).all()
    return [Option(value=str(uid), label=name) for uid, name, _ in rows]


def job_options(session: Session) -> list[Option]:
    """Live jobs, by title."""
    rows = session.exec(
        select(Job.id, Job.title)
        .where(col(Job.deleted_at).is_(None))
        .order_by(col(Job.title), col(Job.id))
        .limit(MAX_OPTIONS)
    ).all()
    return [Option(value=str(jid), label=title) for jid, title in rows]


def hourly_costs(session: Session, actor: User, ids: Sequence[str]) -> dict[str, str]:
    """Each listed person's hourly cost as "$28.50" (the owner only; {} for anyone else)."""
    if actor.role != Role.owner or not ids:
        return {}
    wanted = [uuid.UUID(i) for i in ids]
    rows = session.exec(
        select(col(LaborRate.user_id), col(LaborRate.hourly_cost)).where(
            col(LaborRate.user_id).in_(wanted)
        )
    ).all()
    return {str(uid): f"{Decimal(cost):.2f}" for uid, cost in rows}


def parse_cost(form: dict[str, Any]) -> Decimal | None:
    """An hourly cost from the form ("28.50", "$28.5"); empty: no cost."""
    raw = _text(form, "hourly_cost").replace("$", "").replace(",", "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _fail("hourly_cost") from None
    if (
        not value.is_finite()
        or value < 0
        or value >= Decimal("1000000")
        or value != round(value, 2)
    ):
        raise _fail("hourly_cost")
    return value.quantize(Decimal("0.01"))
