"""Who is booked when: the one double-booking rule, and moving a job on the schedule.

A job holds its crew from ``scheduled_start`` up to, not including, ``scheduled_end`` (a
half-open span, to the minute): a job ending at 12:00 and one starting at 12:00 do not
overlap. A job with a start and no end (or an end not after its start) holds its crew for
``DEFAULT_LENGTH``, as the calendar feed shows it. A job with no start holds nobody. Closed
jobs (completed, cancelled) and jobs on hold (paused: their time is not kept) hold nobody
either. The schedule, the job page and the dashboard all read ``overlaps`` through
``bookings`` / ``double_bookings``; nothing else decides what a double booking is.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.models import Job, JobAssignment, JobStatus, User
from khs_crm.services.core.access import get_visible_job, require_office
from khs_crm.services.core.common import check_version
from khs_crm.services.jobs import service as job_service
from khs_crm.services.jobs.calendar_feed import DEFAULT_LENGTH
from khs_crm.services.jobs.workflow import CLOSED, assign_crew, crew_ids
from khs_crm.settings import get_settings

# A job placed on the schedule for the first time (it had no start): a working day from 8 AM.
FIRST_PLACEMENT_AT = time(8, 0)
FIRST_PLACEMENT_LENGTH = timedelta(hours=8)
# Statuses whose time does not hold the crew.
NOT_HOLDING: tuple[JobStatus, ...] = (*CLOSED, JobStatus.on_hold)


@dataclass(frozen=True)
class Booking:
    """One person's time on one job."""

    user_id: uuid.UUID
    user_name: str
    job_id: uuid.UUID
    title: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DoubleBooking:
    """A stretch of time in which one person is on two or more jobs at once: ``count`` jobs
    at ``at`` (the first moment the most of them run together), ``jobs`` all of them."""

    user_id: uuid.UUID
    user_name: str
    at: datetime
    count: int
    jobs: tuple[Booking, ...]


def span(start: datetime, end: datetime | None) -> tuple[datetime, datetime]:
    """The time a job starting at ``start`` holds its crew: [start, end)."""
    if end is None or end <= start:
        return start, start + DEFAULT_LENGTH
    return start, end


def overlaps(a: Booking, b: Booking) -> bool:
    """THE rule: two bookings overlap when each starts before the other ends."""
    return a.start < b.end and b.start < a.end


def bookings(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    user_ids: Iterable[uuid.UUID] | None = None,
) -> list[Booking]:
    """Every booking of live jobs whose time meets [start, end), in one query, by start.

    ``user_ids`` limits it to these people (None: everybody)."""
    query = (
        select(JobAssignment.user_id, User.name, Job)
        .join(Job, col(Job.id) == JobAssignment.job_id)
        .join(User, col(User.id) == JobAssignment.user_id)
        .where(
            col(Job.deleted_at).is_(None),
            col(Job.status).not_in(NOT_HOLDING),
            col(Job.scheduled_start) < end,
            # a job with no end holds DEFAULT_LENGTH: the exact span is checked below
            (col(Job.scheduled_end) > start) | (col(Job.scheduled_start) > start - DEFAULT_LENGTH),
        )
        .order_by(col(Job.scheduled_start), col(Job.id))
    )
    if user_ids is not None:
        query = query.where(col(JobAssignment.user_id).in_(list(user_ids)))
    window = Booking(uuid.UUID(int=0), "", uuid.UUID(int=0), "", start, end)
    found = []
    for user_id, name, job in session.exec(query).all():
        assert job.scheduled_start is not None, "the query reads scheduled jobs only"
        booking = Booking(
            user_id, name, job.id, job.title, *span(job.scheduled_start, job.scheduled_end)
        )
        if overlaps(booking, window):
            found.append(booking)
    return found


def job_clashes(session: Session, *, job: Job) -> dict[uuid.UUID, list[Booking]]:
    """Everybody's other bookings overlapping ``job``'s time, by person, in one query: who
    would be (or is) double-booked on it. Empty when the job holds nobody."""
    if job.scheduled_start is None or job.status in NOT_HOLDING:
        return {}
    first, last = span(job.scheduled_start, job.scheduled_end)
    found: dict[uuid.UUID, list[Booking]] = defaultdict(list)
    for booking in bookings(session, start=first, end=last):
        if booking.job_id != job.id:
            found[booking.user_id].append(booking)
    return dict(found)


def clashes(items: Iterable[Booking]) -> dict[tuple[uuid.UUID, uuid.UUID], list[Booking]]:
    """For each (person, job): that person's other bookings overlapping it."""
    found: dict[tuple[uuid.UUID, uuid.UUID], list[Booking]] = defaultdict(list)
    for mine in _by_person(items).values():
        for i, one in enumerate(mine):
            for other in mine[i + 1 :]:
                if other.start >= one.end:
                    break
                if overlaps(one, other):
                    found[(one.user_id, one.job_id)].append(other)
                    found[(other.user_id, other.job_id)].append(one)
    return dict(found)


def double_bookings(items: Iterable[Booking]) -> list[DoubleBooking]:
    """Each stretch in which someone is on two or more jobs at once, soonest first."""
    found = [
        episode
        for mine in _by_person(items).values()
        for episode in _episodes(mine)
        if episode.count > 1
    ]
    return sorted(found, key=lambda d: (d.at, d.user_name, str(d.user_id)))


def _by_person(items: Iterable[Booking]) -> dict[uuid.UUID, list[Booking]]:
    people: dict[uuid.UUID, dict[uuid.UUID, Booking]] = defaultdict(dict)
    for booking in items:
        people[booking.user_id].setdefault(booking.job_id, booking)
    return {
        user: sorted(jobs.values(), key=lambda b: (b.start, b.end, str(b.job_id)))
        for user, jobs in people.items()
    }


def _episodes(mine: list[Booking]) -> list[DoubleBooking]:
    """Walk one person's time in pieces no booking starts or ends inside; a stretch lasts
    while two or more bookings overlap piece after piece."""
    moments = sorted({b.start for b in mine} | {b.end for b in mine})
    episodes: list[DoubleBooking] = []
    jobs: dict[uuid.UUID, Booking] = {}
    peak, at = 0, moments[0] if moments else None
    for first, last in zip(moments, moments[1:], strict=False):
        piece = Booking(mine[0].user_id, "", mine[0].job_id, "", first, last)
        running = [b for b in mine if overlaps(b, piece)]
        if len(running) > 1:
            jobs.update((b.job_id, b) for b in running)
            if len(running) > peak:
                peak, at = len(running), first
            continue
        if jobs and at is not None:
            episodes.append(_episode(mine[0], at, peak, jobs))
        jobs, peak = {}, 0
    if jobs and at is not None:
        episodes.append(_episode(mine[0], at, peak, jobs))
    return episodes


def _episode(who: Booking, at: datetime, peak: int, jobs: dict) -> DoubleBooking:
    ordered = tuple(sorted(jobs.values(), key=lambda b: (b.start, b.title, str(b.job_id))))
    return DoubleBooking(who.user_id, who.user_name, at, peak, ordered)


# Moving a job -------------------------------------------------------------------------


def _new_crew(current: list[uuid.UUID], leaving: uuid.UUID | None, joining: uuid.UUID | None):
    if joining is None or joining == leaving:
        return current
    kept = [user for user in current if user != leaving]
    return kept if joining in kept else [*kept, joining]


def _new_start(job: Job, to_day: date, from_day: date | None) -> datetime:
    """The same wall-clock time, ``to_day - from_day`` days later (a job spanning days keeps
    its shape wherever it is picked up); an unscheduled job starts at FIRST_PLACEMENT_AT."""
    zone = ZoneInfo(get_settings().timezone)
    if job.scheduled_start is None:
        return datetime.combine(to_day, FIRST_PLACEMENT_AT, zone).astimezone(UTC)
    start = job.scheduled_start.astimezone(zone)
    days = (to_day - (from_day or start.date())).days
    # in UTC from here: a length added across a clock change stays that many hours
    return datetime.combine(start.date() + timedelta(days=days), start.timetz()).astimezone(UTC)


def move_job(
    session: Session,
    *,
    job_id: uuid.UUID,
    to_day: date,
    actor: User,
    expected_version: int | None,
    from_day: date | None = None,
    leaving: uuid.UUID | None = None,
    joining: uuid.UUID | None = None,
) -> Job:
    """Move a job by ``to_day - from_day`` days (from its start day when ``from_day`` is None)
    keeping its time and length, and hand it from ``leaving`` to ``joining`` (office only):
    the schedule's drag and drop and its "Move to…" dialog both end here.

    A job that had no start is placed at FIRST_PLACEMENT_AT for FIRST_PLACEMENT_LENGTH.
    One transaction, one version; PreconditionFailed (412) when the job changed since
    ``expected_version``.
    """
    job = get_visible_job(session, job_id=job_id, user=actor)
    require_office(actor, "reschedule jobs")
    check_version(job, expected_version)
    start = _new_start(job, to_day, from_day)
    if job.scheduled_start is None:
        end: datetime | None = start + FIRST_PLACEMENT_LENGTH
    elif job.scheduled_end is None:
        end = None
    else:
        end = start + (job.scheduled_end - job.scheduled_start)
    update = job_service.JobUpdate(scheduled_start=start, scheduled_end=end)
    job_service.update_job(session, job_id=job.id, data=update, actor=actor)
    crew = crew_ids(session, [job.id])[job.id]
    wanted = _new_crew(crew, leaving, joining)
    if wanted != crew:
        assign_crew(session, job_id=job.id, user_ids=wanted, actor=actor)
    return job
