"""A push's runs of material creates on one job are applied together, and each operation
still gets exactly the answer it would get alone (both databases)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import event
from sqlmodel import select

from khs_crm.models import ActivityLog, Material, SyncOperation
from tests.api.test_sync import add_material, op, push
from tests.support.factories import bearer, make_job


def creates(job, count, *, first_seq=1, **changes):
    return [
        op(
            "material",
            "create",
            changes={"jobId": str(job.id), "name": f"Item {i}", **changes},
            seq=first_seq + i,
        )
        for i in range(count)
    ]


def test_each_create_of_a_run_gets_its_own_version_ledger_row_and_activity(client, session, cast):
    ops = creates(cast.job, 6)
    results = push(client, cast.worker_a, *ops)["results"]
    assert [r["status"] for r in results] == ["applied"] * 6
    versions = [r["version"] for r in results]
    assert len(set(versions)) == 6 and versions == sorted(versions)
    ids = [uuid.UUID(o["entityId"]) for o in ops]
    rows = session.exec(select(Material).where(Material.id.in_(ids))).all()
    assert sorted(m.version for m in rows) == versions
    ledger = session.exec(
        select(SyncOperation).where(SyncOperation.op_id.in_([uuid.UUID(o["opId"]) for o in ops]))
    ).all()
    assert len(ledger) == 6 and {row.status for row in ledger} == {"applied"}
    logged = session.exec(select(ActivityLog).where(ActivityLog.entity_id.in_(ids))).all()
    assert sorted(a.entity_id for a in logged) == sorted(ids)
    assert {a.job_id for a in logged} == {cast.job.id}

    again = push(client, cast.worker_a, *ops)["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 6
    assert [r["version"] for r in again] == versions


def test_a_taken_id_in_a_run_refuses_that_create_only(client, session, cast):
    existing = add_material(session, cast.job, name="Already here")
    ops = creates(cast.job, 5)
    ops[2]["entityId"] = str(existing.id)
    results = push(client, cast.worker_a, *ops)["results"]
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "rejected",
        "applied",
        "applied",
    ]
    assert results[2]["error"]["code"] == "CONFLICT"
    names = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()
    assert sorted(m["name"] for m in names["data"]) == [
        "Already here",
        "Item 0",
        "Item 1",
        "Item 3",
        "Item 4",
    ]


def test_an_invalid_create_in_a_run_is_rejected_and_the_rest_applied(client, cast):
    ops = creates(cast.job, 4)
    ops[1]["changes"]["quantity"] = "lots"
    ops[3]["changes"]["name"] = ""
    results = push(client, cast.worker_a, *ops)["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "applied", "rejected"]
    assert {results[1]["error"]["code"], results[3]["error"]["code"]} == {"VALIDATION_ERROR"}


def test_a_run_on_a_job_the_worker_is_not_on_is_answered_as_missing(client, session, cast):
    other = make_job(session, cast.customer, title="Someone else's job")
    results = push(client, cast.worker_a, *creates(other, 3))["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert {r["error"]["code"] for r in results} == {"NOT_FOUND"}
    assert session.exec(select(Material).where(Material.job_id == other.id)).all() == []


def test_the_same_op_twice_in_one_push_is_applied_once(client, session, cast):
    ops = creates(cast.job, 3)
    results = push(client, cast.worker_a, *ops, dict(ops[1]))["results"]  # in seq order
    assert [r["status"] for r in results] == ["applied", "applied", "duplicate", "applied"]
    assert results[2]["version"] == results[1]["version"]
    job_rows = session.exec(select(Material).where(Material.job_id == cast.job.id)).all()
    assert len(job_rows) == 3


def ticks(materials, *, first_seq=1, **changes):
    return [
        op(
            "material",
            "update",
            m.id,
            changes or {"purchased": True},
            base=m.version,
            seq=first_seq + i,
        )
        for i, m in enumerate(materials)
    ]


def test_each_tick_of_a_run_gets_its_own_version_stamps_and_activity(client, session, cast):
    rows = [add_material(session, cast.job, name=f"Row {i}") for i in range(5)]
    results = push(client, cast.worker_a, *ticks(rows))["results"]
    assert [r["status"] for r in results] == ["applied"] * 5
    versions = [r["version"] for r in results]
    assert len(set(versions)) == 5 and min(versions) > max(m.version for m in rows)
    for row, version in zip(rows, versions, strict=True):
        session.refresh(row)
        assert (row.purchased, row.purchased_by, row.version) == (True, cast.worker_a.id, version)
        assert row.purchased_at is not None
        assert row.field_versions["purchased"] == version
    logged = session.exec(
        select(ActivityLog).where(ActivityLog.entity_id.in_([m.id for m in rows]))
    ).all()
    assert len(logged) == 5
    assert all(a.changes["purchased"] == {"old": False, "new": True} for a in logged)


def test_a_deleted_material_in_a_run_of_ticks_is_kept_for_the_office(client, session, cast):
    rows = [add_material(session, cast.job, name=f"Row {i}") for i in range(4)]
    gone = client.delete(f"/api/materials/{rows[2].id}", headers=bearer(cast.owner))
    assert gone.status_code in (200, 204)
    results = push(client, cast.worker_a, *ticks(rows))["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "conflict", "applied"]
    assert results[2]["conflictId"] and results[2]["error"]["reason"] == "deleted_by_office"
    (kept,) = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"]
    assert (kept["kind"], kept["entityId"]) == ("deleted", str(rows[2].id))


def test_a_stale_tick_in_a_run_records_the_field_it_overwrote(client, session, cast):
    rows = [add_material(session, cast.job, name=f"Row {i}", quantity=1) for i in range(3)]
    office = client.put(
        f"/api/materials/{rows[1].id}", json={"quantity": 10}, headers=bearer(cast.owner)
    )
    assert office.status_code == 200
    results = push(client, cast.worker_a, *ticks(rows, quantity=4))["results"]
    assert [r["status"] for r in results] == ["applied"] * 3
    assert [len(r["conflicts"]) for r in results] == [0, 1, 0]
    assert results[1]["conflicts"][0]["serverValue"] == 10


def test_two_edits_of_one_material_in_a_push_are_two_versions(client, session, cast):
    (row,) = [add_material(session, cast.job, name="Row")]
    first, second = ticks([row, row], quantity=2)
    second["changes"] = {"quantity": 3}
    results = push(client, cast.worker_a, first, second)["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[0]["version"] < results[1]["version"]
    session.refresh(row)
    assert (row.quantity, row.version) == (3, results[1]["version"])


def test_a_tick_of_a_material_on_another_job_is_answered_as_missing(client, session, cast):
    other = make_job(session, cast.customer, title="Someone else's job")
    rows = [add_material(session, cast.job, name="Mine"), add_material(session, other)]
    results = push(client, cast.worker_a, *ticks(rows))["results"]
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert results[1]["error"]["code"] == "NOT_FOUND"
    session.refresh(rows[1])
    assert rows[1].purchased is False


@contextmanager
def counted_statements(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_run_costs_the_same_statements_whatever_its_length(client, engine, cast):
    """Round trips, not their speed, were the push's cost: a run of creates takes a fixed
    number of statements (the insertmanyvalues pages aside), not several per operation."""
    with counted_statements(engine) as short:
        push(client, cast.worker_a, *creates(cast.job, 20))
    with counted_statements(engine) as long:
        push(client, cast.worker_a, *creates(cast.job, 200, first_seq=100))
    assert len(long) <= len(short) + 6, (len(short), len(long))
    assert len(long) < 60


def test_a_run_of_ticks_costs_the_same_statements_whatever_its_length(
    client, engine, session, cast
):
    rows = [add_material(session, cast.job, name=f"Row {i}") for i in range(220)]
    with counted_statements(engine) as short:
        push(client, cast.worker_a, *ticks(rows[:20]))
    with counted_statements(engine) as long:
        push(client, cast.worker_a, *ticks(rows[20:], first_seq=100))
    assert len(long) <= len(short) + 10, (len(short), len(long))
    assert len(long) < 80
