"""The office's timesheet week: a row per person, a column per company day (hours and the
jobs under them), each person's week total, overtime, flags and approval.

``build_sheet`` is pure (tested without a database); ``week_sheet`` reads the week.
Rules (hours, weeks, flags, overtime): services/time/rules.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import Job, Role, TimeEntry, TimesheetApproval, User
from khs_crm.models.base import utcnow
from khs_crm.office.schedule import DayHeader, week_title
from khs_crm.services.time import checks, location, rules
from khs_crm.services.time.entries import list_entries

WEEK_DAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
# What each flag means, in the words the office uses.
FLAG_WORDS = {
    rules.OVER_16H: N_("Over 16 hours"),
    rules.OPEN_PAST_MIDNIGHT: N_("Ran past midnight"),
    rules.LATE: N_("Synced over a day late"),
    rules.EDITED: N_("Edited by the office"),
    rules.AFTER_APPROVAL: N_("Changed after approval"),
}
MAX_ENTRIES = 5000  # a week of a large crew; more than this is not a timesheet


def flag_words(flags: Iterable[str]) -> list[str]:
    present = set(flags)
    return [FLAG_WORDS[f] for f in rules.FLAGS if f in present]


def hours_label(value: Decimal) -> str:
    return f"{rules.hours_text(value)} h"


@dataclass(frozen=True)
class Punch:
    """One entry as the grid reads it (flags already as of now)."""

    id: uuid.UUID
    user_id: uuid.UUID
    job_id: uuid.UUID
    job: str
    started_at: datetime
    ended_at: datetime | None
    breaks: Sequence[rules.Break]
    flags: Sequence[str]
    note: str = ""
    version: int = 0
    in_map: str = ""  # where they clocked in / out, on a map ("" when not stamped)
    out_map: str = ""


class JobHours(BaseModel):
    job_id: str
    title: str
    hours: str


class DayCell(BaseModel):
    hours: str  # "" when no time that day
    jobs: list[JobHours]
    open: bool  # someone is still clocked in from that day
    flagged: bool


class EntryRow(BaseModel):
    id: str
    user_id: str
    person: str
    job_id: str
    job: str
    day: str
    date: str  # YYYY-MM-DD, company time (the form's value)
    start: str  # HH:MM
    end: str  # HH:MM, "" while clocked in
    breaks: str  # minutes
    hours: str
    flags: list[str]
    note: str
    version: int
    in_map: str = ""  # an OpenStreetMap link to the rounded clock-in stamp, "" when none
    out_map: str = ""


class PersonWeek(BaseModel):
    user_id: str
    name: str
    days: list[DayCell]
    total: str
    overtime: str  # "" when none
    approved: bool
    has_time: bool
    flags: list[str]


class WeekSheet(BaseModel):
    first: str
    last: str
    title: str
    days: list[DayHeader]
    rows: list[PersonWeek]
    entries: list[EntryRow]
    total: str
    overtime: str
    rules_text: str


def break_minutes(breaks: Sequence[rules.Break], end: datetime | None) -> int:
    seconds = sum(
        ((b.ended_at or end or b.started_at) - b.started_at).total_seconds() for b in breaks
    )
    return round(seconds / 60)


def _hours(p: Punch) -> Decimal | None:
    return rules.hours(p.started_at, p.ended_at, p.breaks)


def _cell(punches: list[Punch]) -> DayCell:
    by_job: dict[uuid.UUID, tuple[str, Decimal]] = {}
    for p in punches:
        title, before = by_job.get(p.job_id, (p.job, rules.ZERO_HOURS))
        by_job[p.job_id] = (title, before + (_hours(p) or rules.ZERO_HOURS))
    total = sum((h for _, h in by_job.values()), rules.ZERO_HOURS)
    is_open = any(p.ended_at is None for p in punches)
    return DayCell(
        hours=hours_label(total) if punches and (total or not is_open) else "",
        jobs=[
            JobHours(job_id=str(k), title=t, hours=hours_label(h)) for k, (t, h) in by_job.items()
        ],
        open=is_open,
        flagged=any(p.flags for p in punches),
    )


def _entry_row(p: Punch, person: str, zone: ZoneInfo) -> EntryRow:
    began = p.started_at.astimezone(zone)
    hours = _hours(p)
    return EntryRow(
        id=str(p.id),
        user_id=str(p.user_id),
        person=person,
        job_id=str(p.job_id),
        job=p.job,
        day=f"{began:%a} {began:%b} {began.day}",
        date=began.date().isoformat(),
        start=began.strftime("%H:%M"),
        end=p.ended_at.astimezone(zone).strftime("%H:%M") if p.ended_at else "",
        breaks=str(break_minutes(p.breaks, p.ended_at)),
        hours=hours_label(hours) if hours is not None else N_("Clocked in"),
        flags=flag_words(p.flags),
        note=p.note,
        version=p.version,
        in_map=p.in_map,
        out_map=p.out_map,
    )


def _person_week(
    user_id: uuid.UUID, name: str, punches: list[Punch], first: date, ctx: _Context
) -> PersonWeek:
    days: list[list[Punch]] = [[] for _ in range(7)]
    for p in punches:
        index = (rules.local_date(p.started_at, ctx.tz) - first).days
        if 0 <= index < 7:
            days[index].append(p)
    total = sum((_hours(p) or rules.ZERO_HOURS for p in punches), rules.ZERO_HOURS)
    extra = rules.weekly_overtime(total, ctx.threshold)
    return PersonWeek(
        user_id=str(user_id),
        name=name,
        days=[_cell(d) for d in days],
        total=hours_label(total),
        overtime=hours_label(extra) if extra > 0 else "",
        approved=user_id in ctx.approved,
        has_time=bool(punches),
        flags=flag_words(f for p in punches for f in p.flags),
    )


@dataclass(frozen=True)
class _Context:
    tz: str
    threshold: Decimal
    approved: frozenset[uuid.UUID]


def build_sheet(
    *,
    first: date,
    people: Sequence[tuple[uuid.UUID, str]],
    punches: Sequence[Punch],
    approved: Iterable[uuid.UUID],
    tz: str,
    threshold: Decimal,
    week_start_day: int,
    today: date,
) -> WeekSheet:
    """The week from ``first``: a row for each person (the listed ones, and anyone with time
    that week), by name; each day's hours and jobs; totals and overtime (hours past
    ``threshold``)."""
    ctx = _Context(tz, threshold, frozenset(approved))
    names = dict(people)
    mine: dict[uuid.UUID, list[Punch]] = {uid: [] for uid in names}
    for p in sorted(punches, key=lambda p: p.started_at):
        mine.setdefault(p.user_id, []).append(p)
        names.setdefault(p.user_id, N_("Former person"))
    order = sorted(mine, key=lambda uid: (names[uid].casefold(), str(uid)))
    rows = [_person_week(uid, names[uid], mine[uid], first, ctx) for uid in order]
    zone = ZoneInfo(tz)
    entries = [_entry_row(p, names[uid], zone) for uid in order for p in mine[uid]]
    total = sum((_hours(p) or rules.ZERO_HOURS for p in punches), rules.ZERO_HOURS)
    overtime = sum(
        (rules.weekly_overtime(
            sum((_hours(p) or rules.ZERO_HOURS for p in mine[uid]), rules.ZERO_HOURS), threshold
        ) for uid in order),
        rules.ZERO_HOURS,
    )  # fmt: skip
    last = first + timedelta(days=6)
    return WeekSheet(
        first=first.isoformat(),
        last=last.isoformat(),
        title=week_title(first),
        days=[
            DayHeader(label=f"{d:%a} {d.day}", today=d == today)
            for d in (first + timedelta(days=i) for i in range(7))
        ],
        rows=rows,
        entries=entries,
        total=hours_label(total),
        overtime=hours_label(overtime),
        rules_text=(
            f"Weeks start on {WEEK_DAYS[week_start_day]}; "
            f"overtime is time past {threshold.normalize():f} hours a week."
        ),
    )


def company_today() -> date:
    return datetime.now(ZoneInfo(checks.timezone())).date()


def week_first(session: Session, raw: str) -> date:
    """The company week's first day holding ``raw`` (YYYY-MM-DD), or this week's."""
    day = checks.time_settings(session).week_start_day
    try:
        wanted = date.fromisoformat(raw)
    except ValueError:
        wanted = company_today()
    return rules.week_start(wanted, day)


def _approved(session: Session, first: date) -> set[uuid.UUID]:
    return set(
        session.exec(
            select(TimesheetApproval.user_id).where(
                TimesheetApproval.week_start == first, col(TimesheetApproval.approved).is_(True)
            )
        ).all()
    )


def _punch(entry: TimeEntry, job: str, now: datetime, tz: str) -> Punch:
    return Punch(
        id=entry.id,
        user_id=entry.user_id,
        job_id=entry.job_id,
        job=job,
        started_at=entry.started_at,
        ended_at=entry.ended_at,
        breaks=rules.breaks_of(entry.breaks or []),
        flags=rules.all_flags(entry.flags or [], entry.started_at, entry.ended_at, now, tz),
        note=entry.note,
        version=entry.version,
        in_map=location.map_href(entry.in_lat, entry.in_lng),
        out_map=location.map_href(entry.out_lat, entry.out_lng),
    )


def week_sheet(session: Session, *, first: date, actor: User) -> WeekSheet:
    """The company week from ``first`` (the office's view): active workers and anyone
    with time that week."""
    settings, tz = checks.time_settings(session), checks.timezone()
    found, _ = list_entries(
        session, user=actor, first=first, last=first + timedelta(days=6), limit=MAX_ENTRIES
    )
    ids = {e.user_id for e in found}
    people = session.exec(
        select(User.id, User.name).where(
            (col(User.active).is_(True) & (User.role == Role.worker)) | col(User.id).in_(ids)
        )
    ).all()
    jobs = {e.job_id for e in found}
    titles = dict(session.exec(select(Job.id, Job.title).where(col(Job.id).in_(jobs))).all())
    now = utcnow()
    return build_sheet(
        first=first,
        people=[(uid, name) for uid, name in people],
        punches=[_punch(e, titles.get(e.job_id, ""), now, tz) for e in found],
        approved=_approved(session, first),
        tz=tz,
        threshold=Decimal(settings.overtime_hours),
        week_start_day=settings.week_start_day,
        today=company_today(),
    )
