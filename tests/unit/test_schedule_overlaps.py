"""The double-booking rule (services.jobs.schedule), to the minute, and moving a job."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlmodel import select

from khs_crm.models import ActivityLog, Job, JobStatus
from khs_crm.services.core.errors import Forbidden, PreconditionFailed
from khs_crm.services.jobs import schedule
from khs_crm.services.jobs.schedule import Booking
from khs_crm.services.jobs.workflow import crew_ids
from tests.support.factories import make_job

CASEY = uuid.uuid4()
DAY = datetime(2026, 12, 6, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")  # the settings' default company time zone


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


def at(hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute)


def booking(start: datetime, end: datetime, who=CASEY, title="") -> Booking:
    return Booking(who, "Casey", uuid.uuid4(), title, start, end)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((at(8), at(12)), (at(12), at(16)), False),  # touching: 12:00 end, 12:00 start
        ((at(8), at(12)), (at(11, 59), at(16)), True),  # one minute together
        ((at(8), at(12)), (at(12, 1), at(16)), False),
        ((at(8), at(17)), (at(10), at(11)), True),  # one inside the other
        ((at(8), at(12)), (at(8), at(12)), True),  # the same time
        ((at(13), at(14)), (at(8), at(13)), False),  # touching, the other way round
    ],
    ids=["touching", "one-minute", "a-minute-apart", "inside", "same", "touching-reversed"],
)
def test_overlap_to_the_minute(a, b, expected):
    assert schedule.overlaps(booking(*a), booking(*b)) is expected
    assert schedule.overlaps(booking(*b), booking(*a)) is expected


def test_a_job_with_no_end_holds_its_crew_for_an_hour():
    assert schedule.span(at(8), None) == (at(8), at(9))
    assert schedule.span(at(8), at(8)) == (at(8), at(9))  # an end not after the start
    assert schedule.span(at(8), at(7)) == (at(8), at(9))
    assert schedule.span(at(8), at(8, 30)) == (at(8), at(8, 30))


def test_double_bookings_name_the_peak_and_every_job():
    a = booking(at(8), at(12), title="Kitchen")
    b = booking(at(8), at(10), title="Deck")
    c = booking(at(8), at(9), title="Fence")
    later = booking(at(13), at(15), title="Porch")  # alone: not a double booking
    [found] = schedule.double_bookings([later, c, b, a])
    assert (found.count, found.at, found.user_name) == (3, at(8), "Casey")
    assert {j.title for j in found.jobs} == {"Kitchen", "Deck", "Fence"}


def test_a_chain_of_overlaps_is_two_stretches():
    a = booking(at(8), at(10), title="A")
    b = booking(at(9), at(11, 30), title="B")
    c = booking(at(10, 30), at(12), title="C")
    found = schedule.double_bookings([a, b, c])
    assert [(d.at, d.count, [j.title for j in d.jobs]) for d in found] == [
        (at(9), 2, ["A", "B"]),
        (at(10, 30), 2, ["B", "C"]),
    ]


def test_other_people_and_touching_jobs_are_not_double_bookings():
    other = uuid.uuid4()
    items = [
        booking(at(8), at(12)),
        booking(at(12), at(16)),
        booking(at(8), at(12), who=other),
    ]
    assert schedule.double_bookings(items) == []
    assert schedule.clashes(items) == {}


def test_clashes_pair_each_job_with_the_others_it_meets():
    a, b, c = booking(at(8), at(12)), booking(at(11), at(13)), booking(at(12), at(14))
    found = schedule.clashes([a, b, c])
    assert found[(CASEY, a.job_id)] == [b]
    assert found[(CASEY, b.job_id)] == [a, c]
    assert found[(CASEY, c.job_id)] == [b]


def test_bookings_read_a_week_in_one_query(session, cast):
    worker = cast.worker_a
    kw = {"crew": [worker], "status": JobStatus.scheduled}
    make_job(session, cast.customer, title="Open end", scheduled_start=at(7, 30), **kw)
    make_job(session, cast.customer, title="Held", scheduled_start=at(8), **kw, scheduled_end=at(9))
    paused = {**kw, "status": JobStatus.on_hold}
    make_job(session, cast.customer, title="Paused", scheduled_start=at(8), **paused)
    make_job(session, cast.customer, title="Before", scheduled_start=at(6), **kw)
    make_job(session, cast.customer, title="No date", **kw)
    queries = []
    engine = session.get_bind()

    def listen(conn, cursor, statement, *args) -> None:
        # the reads only: how the session's transaction begins (a SAVEPOINT) is not a query
        if statement.lstrip().upper().startswith("SELECT"):
            queries.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        found = schedule.bookings(session, start=at(8), end=at(8) + timedelta(days=7))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(queries) == 1
    # "Open end" runs 7:30-8:30 (an hour), "Before" 6:00-7:00 ends before the window
    assert [b.title for b in found] == ["Open end", "Held"]
    [clash] = schedule.double_bookings(found)
    assert (clash.at, clash.count) == (at(8), 2)


def test_job_clashes_name_who_else_is_busy_then(session, cast):
    a, b = cast.worker_a, cast.worker_b
    kw = {"status": JobStatus.scheduled}
    job = make_job(
        session, cast.customer, crew=[a], scheduled_start=at(8), scheduled_end=at(12), **kw
    )
    make_job(session, cast.customer, title="Deck", crew=[a, b], scheduled_start=at(11), **kw)
    make_job(session, cast.customer, title="After", crew=[b], scheduled_start=at(12), **kw)
    found = schedule.job_clashes(session, job=job)
    assert {who: [x.title for x in items] for who, items in found.items()} == {
        a.id: ["Deck"],
        b.id: ["Deck"],
    }
    job.status = JobStatus.on_hold
    assert schedule.job_clashes(session, job=job) == {}


def test_move_job_keeps_its_length_and_hands_it_over(session, cast):
    job = cast.job
    job.scheduled_start, job.scheduled_end = at(8), at(11, 30)
    session.add(job)
    session.commit()
    before = job.version
    moved = schedule.move_job(
        session,
        job_id=job.id,
        from_day=local_day(at(8)),
        to_day=local_day(at(8)) + timedelta(days=2),
        actor=cast.owner,
        expected_version=before,
        leaving=cast.worker_a.id,
        joining=cast.worker_b.id,
    )
    session.flush()
    assert (moved.scheduled_start, moved.scheduled_end) == (
        at(8) + timedelta(days=2),
        at(11, 30) + timedelta(days=2),
    )
    assert crew_ids(session, [job.id])[job.id] == [cast.worker_b.id]
    assert moved.version > before
    assert session.exec(select(ActivityLog).where(ActivityLog.entity_id == job.id)).all()


def test_move_job_places_an_unscheduled_job_for_a_working_day(session, cast):
    job = make_job(session, cast.customer, title="Waiting", status=JobStatus.quoted)
    schedule.move_job(
        session,
        job_id=job.id,
        to_day=date(2026, 12, 7),
        actor=cast.owner,
        expected_version=job.version,
        joining=cast.worker_b.id,
    )
    placed = session.get(Job, job.id)
    eight = datetime(2026, 12, 7, 8, tzinfo=ZONE)
    assert (placed.scheduled_start, placed.scheduled_end) == (eight, eight + timedelta(hours=8))
    assert crew_ids(session, [job.id])[job.id] == [cast.worker_b.id]


def test_move_job_keeps_the_wall_clock_time_across_a_clock_change(session, cast):
    job = cast.job
    job.scheduled_start = datetime(2026, 10, 30, 8, tzinfo=ZONE)  # before the clocks go back
    job.scheduled_end = datetime(2026, 10, 30, 12, tzinfo=ZONE)
    session.add(job)
    session.commit()
    schedule.move_job(
        session, job_id=job.id, to_day=date(2026, 11, 2), actor=cast.owner, expected_version=None
    )
    moved = session.get(Job, job.id)
    assert moved.scheduled_start.astimezone(ZONE).hour == 8
    assert moved.scheduled_end - moved.scheduled_start == timedelta(hours=4)


def test_move_job_refuses_a_stale_version(session, cast):
    with pytest.raises(PreconditionFailed):
        schedule.move_job(
            session,
            job_id=cast.job.id,
            to_day=date(2026, 12, 7),
            actor=cast.owner,
            expected_version=cast.job.version - 1,
        )
    assert session.get(Job, cast.job.id).scheduled_start is None


def test_a_worker_cannot_move_jobs(session, cast):
    with pytest.raises(Forbidden):
        schedule.move_job(
            session,
            job_id=cast.job.id,
            to_day=DAY.date(),
            actor=cast.worker_a,
            expected_version=None,
        )
