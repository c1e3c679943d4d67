"""The schedule, the job page's crew and the dashboard read double bookings the same way;
moves go through one event that refuses stale or unreadable requests in words."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.models import Job, JobStatus
from khs_crm.office import double_bookings
from khs_crm.office.schedule import today, week_of
from khs_crm.office.schedule_week import move_request, waiting_jobs, week_board
from khs_crm.office.views import company_tz
from khs_crm.services.jobs.schedule import DoubleBooking
from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.job import JobState
from khs_crm.state.office.schedule import ScheduleState
from tests.support.factories import make_job
from tests.unit.test_office_state import call, root_state, signed_in, sub


def at(days: int, hour: int) -> datetime:
    """``hour`` o'clock, ``days`` after today, in the company's time zone."""
    return datetime.combine(today() + timedelta(days=days), time(hour), company_tz())


@pytest.fixture
def clash(session, cast):
    """Worker A on the cast's job 8-12 today and on "Deck" 10-14; "Shed" on hold; "Gutter"
    waiting for a date."""
    job = cast.job
    job.scheduled_start, job.scheduled_end = at(0, 8), at(0, 12)
    session.add(job)
    session.commit()
    kw = {"crew": [cast.worker_a], "status": JobStatus.scheduled}
    cast.deck = make_job(session, cast.customer, title="Deck", **kw,
                         scheduled_start=at(0, 10), scheduled_end=at(0, 14))  # fmt: skip
    make_job(session, cast.customer, title="Shed", crew=[cast.worker_a], status=JobStatus.on_hold,
             scheduled_start=at(0, 9), scheduled_end=at(0, 10))  # fmt: skip
    cast.gutter = make_job(session, cast.customer, title="Gutter", status=JobStatus.quoted)
    return cast


def test_the_week_flags_both_cards_and_the_person(session, clash):
    days, rows, _page = week_board(session, first=week_of(today()), page=1, page_size=25)
    row = next(r for r in rows if r.worker_id == str(clash.worker_a.id))
    i = today().weekday()
    cards = {c.title: c for c in row.days[i].cards}
    assert cards["Deck"].clash == f"Double-booked: also on {clash.job.title}"
    assert cards[clash.job.title].clash == "Double-booked: also on Deck"
    assert cards["Shed"].clash == "" and cards["Shed"].on_hold  # on hold: holds nobody
    assert cards["Shed"].status_label.lower() == "on hold"
    assert row.clash.startswith("Double-booked on ")
    assert days[i].today and [d.weekend for d in days] == [False] * 5 + [True] * 2
    assert "Gutter" in [c.title for c in waiting_jobs(session)[0]]


def test_the_dashboard_says_who_has_how_many_jobs_when(session, clash):
    rows, total = double_bookings.upcoming(session)
    assert total == 1
    assert rows[0].sentence == f"{clash.worker_a.name} has 2 jobs at 10:00 AM today"
    assert [j.title for j in rows[0].jobs] == [clash.job.title, "Deck"]


@pytest.mark.parametrize(
    ("days", "words"), [(1, "tomorrow"), (3, "on ")], ids=["tomorrow", "later"]
)
def test_the_sentence_names_the_day(days, words):
    moment = at(days, 8)
    found = DoubleBooking(uuid.uuid4(), "Casey", moment, 3, ())
    said = double_bookings.sentence(found)
    assert said.startswith(f"Casey has 3 jobs at 8:00 AM {words}")
    if days == 3:
        assert said.endswith(f"{moment:%A, %b} {moment.day}")


def test_the_job_page_warns_before_and_after_assigning(session, clash):
    make_job(session, clash.customer, title="Fence", crew=[clash.worker_b],
             status=JobStatus.scheduled, scheduled_start=at(0, 11))  # fmt: skip
    state = sub(root_state(signed_in(session, clash.owner), f"/jobs/{clash.job.id}"), JobState)
    call(JobState.load, state)
    [mine] = state.crew_clashes
    assert mine.user_id == str(clash.worker_a.id) and [j.title for j in mine.jobs] == ["Deck"]
    assert state.busy[str(clash.worker_b.id)].startswith(
        f"{clash.worker_b.name} is already on “Fence”"
    )


def _move(job: Job, **fields: str) -> dict[str, str]:
    """The drop form: ``job`` to tomorrow, its crew kept."""
    tomorrow = (today() + timedelta(days=1)).isoformat()
    form = {"job": str(job.id), "version": str(job.version), "to_day": tomorrow}
    return {"from_day": "", "from_worker": "", "to_worker": "", **form, **fields}


def test_a_move_keeps_the_time_and_says_who_is_now_double_booked(session, clash):
    state = sub(root_state(signed_in(session, clash.owner), "/schedule"), ScheduleState)
    call(ScheduleState.load, state)
    deck = clash.deck
    call(ScheduleState.move, state, _move(clash.job, from_day=today().isoformat()))
    session.expire_all()
    moved = session.get(Job, clash.job.id)
    assert moved.scheduled_start == at(1, 8) and moved.scheduled_end == at(1, 12)
    assert state.notice.startswith(f"Moved “{clash.job.title}” to ")
    assert "Double-booked" not in state.notice
    call(ScheduleState.move, state, _move(deck, from_day=today().isoformat()))
    assert state.notice.endswith(f"Double-booked now: {clash.worker_a.name}.")


def test_a_stale_or_unreadable_move_is_refused_in_words(session, clash):
    state = sub(root_state(signed_in(session, clash.owner), "/schedule"), ScheduleState)
    call(ScheduleState.load, state)
    stale = _move(clash.gutter, version=str(clash.gutter.version - 1))
    call(ScheduleState.move, state, stale)
    assert state.error.startswith("“Gutter” was changed by someone else")
    call(ScheduleState.move, state, {**_move(clash.gutter), "job": "not-a-job"})
    assert state.error == "That move could not be read. Reload the schedule and try again."
    session.expire_all()
    assert session.get(Job, clash.gutter.id).scheduled_start is None


@pytest.mark.parametrize(
    "form",
    [{}, {"job": "x"}, {"version": "seven"}, {"to_day": "2026-13-01"}, {"to_worker": "nobody"}],
    ids=["empty", "bad-id", "bad-version", "bad-day", "bad-person"],
)
def test_move_request_reads_only_real_moves(form):
    good = {"job": str(uuid.uuid4()), "version": "3", "to_day": "2026-12-07"}
    assert move_request(good) is not None
    assert move_request({**good, **form} if form else {}) is None


def test_the_dashboard_loads_its_double_bookings(session, clash):
    state = sub(root_state(signed_in(session, clash.owner), "/"), DashboardState)
    call(DashboardState.load, state)
    assert state.double_total == 1 and state.double_bookings[0].sentence.endswith("today")
