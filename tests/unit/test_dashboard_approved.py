"""The dashboard's "Approved, waiting for a date": approval never schedules a job, so the
office sees every open job the customer approved until someone gives it a date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from khs_crm.models import JobStatus
from khs_crm.office.approved_waiting import waiting_for_a_date
from khs_crm.office.dashboard import read_figures
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money import public
from khs_crm.services.money.schemas import EstimateCreate
from tests.support.factories import make_job

LINE = {"kind": "labor", "description": "Demo", "quantity": "2", "unitPrice": "100.00"}


def _approved(session, cast, job, *, price: str = "100.00", hours_ago: int = 0):
    data = EstimateCreate.model_validate({"lines": [{**LINE, "unitPrice": price}], "taxRate": "0"})
    estimate = estimate_service.create_estimate(session, job_id=job.id, data=data, actor=cast.owner)
    _sent, token = estimate_service.send_estimate(
        session, estimate_id=estimate.id, actor=cast.owner
    )
    public.approve(session, token=token, name="Pat Muñoz", ip="127.0.0.1", user_agent="test")
    estimate.approved_at = datetime.now(UTC) - timedelta(hours=hours_ago)
    session.add(estimate)
    session.commit()
    return estimate


def test_open_unscheduled_approved_jobs_are_listed_newest_approval_first(session, cast):
    older = make_job(session, cast.customer, title="Deck")
    newer = make_job(session, cast.customer, title="Bathroom")
    dated = make_job(session, cast.customer, title="Roof")
    dropped = make_job(session, cast.customer, title="Fence")
    only_sent = make_job(session, cast.customer, title="Porch")
    first = _approved(session, cast, older, hours_ago=5)
    _approved(session, cast, newer, price="50.00", hours_ago=4)
    latest = _approved(session, cast, newer, price="612.25", hours_ago=1)  # a second approval
    _approved(session, cast, dated, hours_ago=2)
    _approved(session, cast, dropped, hours_ago=3)
    dated.scheduled_start = datetime.now(UTC) + timedelta(days=3)
    dropped.status = JobStatus.cancelled
    session.add_all([dated, dropped])
    data = EstimateCreate.model_validate({"lines": [LINE], "taxRate": "0"})
    sent = estimate_service.create_estimate(
        session, job_id=only_sent.id, data=data, actor=cast.owner
    )
    estimate_service.send_estimate(session, estimate_id=sent.id, actor=cast.owner)
    session.commit()

    rows = waiting_for_a_date(session, limit=10)

    assert [(r.title, r.number, r.value) for r in rows] == [
        ("Bathroom", latest.number, "$1,224.50"),
        ("Deck", first.number, "$200.00"),
    ]
    assert rows[0].job_id == str(newer.id) and rows[0].estimate_id == str(latest.id)
    assert rows[0].customer == cast.customer.name and rows[0].approved != ""
    assert [r.title for r in waiting_for_a_date(session, limit=1)] == ["Bathroom"]


def test_the_list_is_one_query_in_the_dashboard_figures(session, engine, cast):
    for number in range(4):
        _approved(session, cast, make_job(session, cast.customer, title=f"Job {number}"))
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        rows = waiting_for_a_date(session, limit=10)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(rows) == 4 and len(statements) == 1  # no query per row
    figures = read_figures(session, cast.owner)
    assert [r.title for r in figures.approved_waiting] == [r.title for r in rows]
