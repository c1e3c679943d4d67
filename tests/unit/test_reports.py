from datetime import UTC, datetime, timedelta

from khs_crm.models import JobStatus
from khs_crm.services.core.reports import dashboard_summary, day_bounds, todays_jobs
from tests.support.factories import make_customer, make_job


def test_day_bounds_follow_the_company_time_zone():
    # 03:00 UTC on the 2nd is still the evening of the 1st in Chicago.
    start, end = day_bounds("America/Chicago", datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    assert start.isoformat() == "2026-03-01T00:00:00-06:00"
    assert end - start == timedelta(days=1)


def test_todays_jobs_are_the_workers_own_jobs_for_today(session, cast):
    now = datetime.now(UTC)
    start, _ = day_bounds("America/Chicago", now)
    other = make_customer(session, name="Other Person")
    today = make_job(
        session,
        cast.customer,
        crew=[cast.worker_a],
        title="Deck build",
        status=JobStatus.scheduled,
        scheduled_start=start + timedelta(hours=9),
        scheduled_end=start + timedelta(hours=17),
    )
    make_job(
        session,
        other,
        crew=[cast.worker_b],
        title="Not mine",
        status=JobStatus.scheduled,
        scheduled_start=start + timedelta(hours=9),
    )
    make_job(
        session,
        cast.customer,
        crew=[cast.worker_a],
        title="Next week",
        status=JobStatus.scheduled,
        scheduled_start=start + timedelta(days=7),
    )
    jobs = todays_jobs(session, user=cast.worker_a, tz_name="America/Chicago")
    assert [(j.id, j.title, j.customer_name) for j in jobs] == [
        (str(today.id), "Deck build", "Pat Customer")
    ]
    office = todays_jobs(session, user=cast.owner, tz_name="America/Chicago")
    assert {j.title for j in office} == {"Deck build", "Not mine"}


def test_dashboard_summary_counts(session, cast):
    summary = dashboard_summary(session)
    assert summary.customers == 1
    assert summary.open_jobs == 1
    by_status = {s.status: s.count for s in summary.jobs_by_status}
    assert by_status["scheduled"] == 1 and by_status["lead"] == 0
