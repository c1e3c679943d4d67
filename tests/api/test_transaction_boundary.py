"""The request is the transaction (decision 0001): a commit that fails is never a 200, and
one device operation is one new version of the rows it changes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, select

from khs_crm.models import ActivityLog, Customer, Job, JobStatus
from khs_crm.services.core.versioning import current_version
from tests.support.factories import bearer

# What a request really commits, read back on a connection of its own.
pytestmark = pytest.mark.real_commits


def _stored(engine, customer_id: uuid.UUID) -> tuple[Customer, int, int]:
    """The customer as committed, the change counter, and how many activity rows it has."""
    with Session(engine) as fresh:
        customer = fresh.get(Customer, customer_id)
        logged = fresh.exec(select(ActivityLog.id).where(ActivityLog.entity_id == customer_id))
        return customer, current_version(fresh), len(logged.all())


def assert_unchanged(engine, customer_id: uuid.UUID, before: tuple[Customer, int, int]) -> None:
    customer, counter, logged = _stored(engine, customer_id)
    assert (customer.name, customer.version) == (before[0].name, before[0].version)
    assert (counter, logged) == before[1:]  # no version taken, no activity written


def test_a_commit_that_fails_answers_500_and_keeps_nothing(client, engine, cast):
    before = _stored(engine, cast.customer.id)
    armed = [True]

    def refuse(_conn) -> None:
        if armed and armed.pop():
            raise RuntimeError("the disk is full")

    event.listen(engine, "commit", refuse)
    try:
        response = client.put(
            f"/api/customers/{cast.customer.id}",
            json={"name": "Never saved"},
            headers=bearer(cast.owner),
        )
    finally:
        event.remove(engine, "commit", refuse)
    assert armed == []  # the request's commit was the one refused
    assert response.status_code == 500, response.text
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert_unchanged(engine, cast.customer.id, before)


REFUSE_AT_COMMIT = """
CREATE FUNCTION khs_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
CREATE CONSTRAINT TRIGGER khs_test_refuse AFTER UPDATE ON customers
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.name = 'Refused at commit')
EXECUTE FUNCTION khs_test_refuse();
"""


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_deferred_constraint_failing_at_commit_answers_500(client, engine, cast):
    before = _stored(engine, cast.customer.id)
    with engine.begin() as conn:
        conn.execute(text(REFUSE_AT_COMMIT))
    try:
        response = client.put(
            f"/api/customers/{cast.customer.id}",
            json={"name": "Refused at commit"},
            headers=bearer(cast.owner),
        )
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER khs_test_refuse ON customers"))
            conn.execute(text("DROP FUNCTION khs_test_refuse()"))
    assert response.status_code == 500, response.text
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert_unchanged(engine, cast.customer.id, before)


def test_a_device_operation_on_title_and_status_is_one_new_version(client, engine, cast):
    assert cast.job.status == JobStatus.scheduled  # the office may move it to in progress
    with Session(engine) as fresh:
        counter = current_version(fresh)
    op = {
        "opId": str(uuid.uuid4()),
        "seq": 1,
        "entity": "job",
        "entityId": str(cast.job.id),
        "action": "update",
        "changes": {"title": "Porch rebuild", "status": "in_progress"},
        "baseVersion": cast.job.version,
    }
    response = client.post(
        "/api/sync/push",
        json={"clientId": "office-tablet", "operations": [op]},
        headers=bearer(cast.owner),
    )
    assert response.status_code == 200, response.text
    (result,) = response.json()["data"]["results"]
    assert result["status"] == "applied", result
    with Session(engine) as fresh:
        job = fresh.get(Job, cast.job.id)
        assert (job.title, job.status) == ("Porch rebuild", JobStatus.in_progress)
        assert job.version == result["version"] == counter + 1
        assert job.status_version == job.version
        assert current_version(fresh) == counter + 1
    changes = client.get(
        "/api/sync/pull", params={"cursor": counter, "scope": "all"}, headers=bearer(cast.owner)
    ).json()["data"]["changes"]
    assert [(c["entity"], c["version"]) for c in changes] == [("job", counter + 1)]
