"""Timesheets: a person's company week approved (locked for the worker) or unapproved, the
company's time settings, each person's hourly cost, a job's labor cost, overtime and the
payroll CSV."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.models import (
    ActivityAction,
    Job,
    LaborRate,
    Role,
    TimeEntry,
    TimeSettings,
    TimesheetApproval,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import require_office
from khs_crm.services.core.common import mark_written
from khs_crm.services.core.csv_io import BOM, neutralise
from khs_crm.services.core.errors import Conflict, Forbidden, NotFound
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.time import checks, rules
from khs_crm.services.time.entries import day_bounds
from khs_crm.services.time.schemas import TimeSettingsIn

SETTINGS_ENTITY = uuid.UUID(int=2)  # the activity log names rows by UUID: the settings' one


def _owner(actor: User, action: str) -> None:
    if actor.role != Role.owner:
        raise Forbidden(f"Only the owner can {action}.")


def _week(session: Session, user_id: uuid.UUID, week_start: date) -> tuple[User, date]:
    """The person and the week; NotFound for a day that does not start a company week."""
    person = session.get(User, user_id)
    day = checks.time_settings(session).week_start_day
    if person is None or rules.week_start(week_start, day) != week_start:
        raise NotFound("No such timesheet.")
    return person, week_start


def _decide(
    session: Session,
    *,
    user_id: uuid.UUID,
    week_start: date,
    approved: bool,
    reason: str,
    actor: User,
) -> TimesheetApproval:
    lock_writes(session)
    person, week = _week(session, user_id, week_start)
    row = session.exec(
        select(TimesheetApproval).where(
            TimesheetApproval.user_id == person.id, TimesheetApproval.week_start == week
        )
    ).first()
    if not approved and (row is None or not row.approved):
        raise Conflict("This week is not approved.")
    was = bool(row and row.approved)
    row = row or TimesheetApproval(user_id=person.id, week_start=week, decided_by=actor.id)
    row.approved, row.decided_by, row.decided_at, row.reason = approved, actor.id, utcnow(), reason
    row.updated_at, row.version = row.decided_at, row.version + 1
    session.add(row)
    start, end = day_bounds(week, week + timedelta(days=6))
    for entry in session.exec(
        select(TimeEntry).where(
            TimeEntry.user_id == person.id,
            col(TimeEntry.started_at) >= start,
            col(TimeEntry.started_at) < end,
            TimeEntry.approved != approved,
        )
    ).all():
        entry.approved = approved
        mark_written(session, entry)  # the phone's pull learns the week is (un)locked
    activity.record(
        session,
        actor=actor,
        entity="timesheet",
        entity_id=row.id,
        action=ActivityAction.update,
        changes=activity.diff({"approved": (was, approved), "reason": (None, reason)}),
    )
    session.flush()
    return row


def approve_week(
    session: Session, *, user_id: uuid.UUID, week_start: date, reason: str, actor: User
) -> TimesheetApproval:
    """Approve a person's company week (office): their entries in it are locked for them."""
    require_office(actor, "approve timesheets")
    return _decide(
        session, user_id=user_id, week_start=week_start, approved=True, reason=reason, actor=actor
    )


def unapprove_week(
    session: Session, *, user_id: uuid.UUID, week_start: date, reason: str, actor: User
) -> TimesheetApproval:
    """Open an approved week again (owner only, with a reason)."""
    _owner(actor, "unapprove a timesheet")
    return _decide(
        session, user_id=user_id, week_start=week_start, approved=False, reason=reason, actor=actor
    )


def update_settings(session: Session, *, data: TimeSettingsIn, actor: User) -> TimeSettings:
    """Change the week's first day or the overtime threshold (owner only), logged."""
    _owner(actor, "change the time settings")
    lock_writes(session)
    row = checks.time_settings(session)
    changed = {}
    for name, value in data.model_dump(exclude_unset=True).items():
        if getattr(row, name) != value:
            changed[name] = (str(getattr(row, name)), str(value))
            setattr(row, name, value)
    if changed:
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        activity.record(
            session, actor=actor, entity="time_settings", entity_id=SETTINGS_ENTITY,
            action=ActivityAction.update, changes=activity.diff(changed),
        )  # fmt: skip
        session.flush()
    return row


def hourly_cost(session: Session, *, user_id: uuid.UUID, actor: User) -> Decimal | None:
    """A person's hourly cost (owner only)."""
    _owner(actor, "see hourly costs")
    if session.get(User, user_id) is None:
        raise NotFound("Person not found.")
    rate = session.get(LaborRate, user_id)
    return rate.hourly_cost if rate else None


def set_hourly_cost(
    session: Session, *, user_id: uuid.UUID, cost: Decimal | None, actor: User
) -> Decimal | None:
    """Set (or, None, clear) what an hour of a person's work costs (owner only), logged."""
    old = hourly_cost(session, user_id=user_id, actor=actor)
    rate = session.get(LaborRate, user_id)
    if cost is None and rate is not None:
        session.delete(rate)
    elif cost is not None:
        rate = rate or LaborRate(user_id=user_id, hourly_cost=cost)
        rate.hourly_cost, rate.updated_at = cost, utcnow()
        session.add(rate)
    if old != cost:
        activity.record(
            session, actor=actor, entity="user", entity_id=user_id, action=ActivityAction.update,
            changes=activity.diff({"hourly_cost": (_text(old), _text(cost))}),
        )  # fmt: skip
    session.flush()
    return cost


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _closed(session: Session, *conditions) -> list[TimeEntry]:
    query = select(TimeEntry).where(
        col(TimeEntry.deleted_at).is_(None), col(TimeEntry.ended_at).is_not(None), *conditions
    )
    return list(session.exec(query.order_by(col(TimeEntry.started_at))).all())


def entry_hours(entry: TimeEntry) -> Decimal:
    worked = rules.hours(entry.started_at, entry.ended_at, rules.breaks_of(entry.breaks))
    return worked if worked is not None else rules.ZERO_HOURS


def job_labor_cost(session: Session, job_id: uuid.UUID) -> Decimal:
    """Σ hours × the person's hourly cost over the job's closed entries (a person without a
    cost counts nothing), half-up to the cent once. For the office's money card only."""
    entries = _closed(session, TimeEntry.job_id == job_id)
    people = {e.user_id for e in entries}
    rates: dict[uuid.UUID, Decimal] = {}
    if people:
        found = session.exec(
            select(col(LaborRate.user_id), col(LaborRate.hourly_cost)).where(
                col(LaborRate.user_id).in_(people)
            )
        ).all()
        rates = {user_id: Decimal(cost) for user_id, cost in found}
    return rules.labor_cost(
        (entry_hours(e), rates[e.user_id]) for e in entries if e.user_id in rates
    )


def overtime_of(session: Session, entries: list[TimeEntry]) -> dict[uuid.UUID, Decimal]:
    """Each entry's overtime hours, its whole company week counted (entries of the week
    outside ``entries`` included)."""
    settings = checks.time_settings(session)
    tz, day = checks.timezone(), settings.week_start_day
    weeks = {(e.user_id, rules.week_of(e.started_at, tz, day)) for e in entries}
    whole: dict[uuid.UUID, TimeEntry] = {e.id: e for e in entries}
    for user_id, week in weeks:
        start, end = day_bounds(week, week + timedelta(days=6))
        for e in _closed(
            session,
            TimeEntry.user_id == user_id,
            col(TimeEntry.started_at) >= start,
            col(TimeEntry.started_at) < end,
        ):
            whole[e.id] = e
    worked = [rules.Worked(e.id, e.user_id, e.started_at, entry_hours(e)) for e in whole.values()]
    return rules.overtime(worked, Decimal(settings.overtime_hours), tz, day)


PAYROLL_COLUMNS = ("person", "date", "job", "start", "end", "breaks", "hours", "overtime")


def payroll_csv(session: Session, *, first: date | None, last: date | None) -> Iterator[str]:
    """Closed entries starting in company days ``first``..``last``, for payroll: person,
    date, job, start, end, break minutes, hours and the entry's overtime hours."""
    start, end = day_bounds(first, last)
    bounds = [col(TimeEntry.started_at) >= start] if start else []
    bounds += [col(TimeEntry.started_at) < end] if end else []
    entries = _closed(session, *bounds)
    extra = overtime_of(session, entries)
    people, jobs = {e.user_id for e in entries}, {e.job_id for e in entries}
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_(people))).all())
    titles = dict(session.exec(select(Job.id, Job.title).where(col(Job.id).in_(jobs))).all())
    zone = ZoneInfo(checks.timezone())
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PAYROLL_COLUMNS)
    for e in sorted(entries, key=lambda e: (names.get(e.user_id, ""), e.started_at)):
        began, ended = e.started_at.astimezone(zone), (e.ended_at or e.started_at).astimezone(zone)
        breaks = rules.breaks_of(e.breaks)
        pause = sum(((b.ended_at or b.started_at) - b.started_at).total_seconds() for b in breaks)
        writer.writerow(
            [
                neutralise(names.get(e.user_id, "")),
                began.date().isoformat(),
                neutralise(titles.get(e.job_id, "")),
                began.strftime("%H:%M"),
                ended.strftime("%H:%M"),
                str(round(pause / 60)),
                rules.hours_text(entry_hours(e)),
                rules.hours_text(extra.get(e.id, rules.ZERO_HOURS)),
            ]
        )
    yield buffer.getvalue()
