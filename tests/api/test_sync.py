"""The sync protocol over HTTP: push, pull, status, conflicts — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from khs_crm.models import JobStatus, Material
from khs_crm.services.core.versioning import next_version
from tests.support.factories import bearer, make_customer, make_job


def op(entity, action, entity_id=None, changes=None, base=None, seq=1, op_id=None, **extra):
    return {
        "opId": str(op_id or uuid.uuid4()),
        "seq": seq,
        "entity": entity,
        "entityId": str(entity_id or uuid.uuid4()),
        "action": action,
        "changes": changes or {},
        "baseVersion": base,
        "clientTimestamp": "2026-11-26T08:00:00Z",
        **extra,
    }


def push(client, user, *ops, client_id="phone-1"):
    response = client.post(
        "/api/sync/push",
        json={"clientId": client_id, "operations": list(ops)},
        headers=bearer(user),
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def pull_all(client, user, cursor=0, limit=500, scope="week"):
    changes = []
    while True:
        response = client.get(
            "/api/sync/pull",
            params={"cursor": cursor, "limit": limit, "scope": scope},
            headers=bearer(user),
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        changes += data["changes"]
        assert data["cursor"] >= cursor
        cursor = data["cursor"]
        if not data["hasMore"]:
            return changes, cursor


def add_material(session, job, **fields):
    material = Material(
        job_id=job.id, name=fields.pop("name", "Screws"), version=next_version(session), **fields
    )
    session.add(material)
    session.commit()
    session.refresh(material)
    return material


def test_worker_creates_a_material_exactly_once(client, session, cast):
    create = op(
        "material",
        "create",
        changes={"jobId": str(cast.job.id), "name": "Tile grout", "quantity": 3},
    )
    first = push(client, cast.worker_a, create)["results"][0]
    assert first["status"] == "applied" and first["version"] > 0
    again = push(client, cast.worker_a, create)["results"][0]
    assert again["status"] == "duplicate"
    assert again["version"] == first["version"]
    rows = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()[
        "data"
    ]
    assert [m["name"] for m in rows] == ["Tile grout"]


def test_same_op_id_with_a_different_payload_is_rejected(client, cast):
    create = op("material", "create", changes={"jobId": str(cast.job.id), "name": "A"})
    push(client, cast.worker_a, create)
    tampered = {**create, "changes": {"jobId": str(cast.job.id), "name": "B"}}
    result = push(client, cast.worker_a, tampered)["results"][0]
    assert result["status"] == "rejected"
    assert "different change" in result["error"]["message"]


def test_a_bad_operation_never_fails_the_rest(client, cast):
    good = op(
        "note", "create", changes={"jobId": str(cast.job.id), "body": "Gate code 1234"}, seq=2
    )
    invalid_fields = op(
        "material", "create", changes={"jobId": str(cast.job.id), "quantity": -1}, seq=3
    )
    unknown_entity = {**op("material", "create", seq=4), "entity": "banana"}
    forbidden = op(
        "customer", "update", cast.customer.id, {"name": "X"}, base=cast.customer.version, seq=5
    )
    results = push(client, cast.worker_a, good, invalid_fields, unknown_entity, forbidden)[
        "results"
    ]
    by_id = {r["opId"]: r for r in results}
    assert by_id[good["opId"]]["status"] == "applied"
    assert by_id[invalid_fields["opId"]]["status"] == "rejected"
    assert by_id[invalid_fields["opId"]]["error"]["code"] == "VALIDATION_ERROR"
    assert by_id[unknown_entity["opId"]]["status"] == "rejected"
    assert by_id[forbidden["opId"]]["status"] == "rejected"
    assert by_id[forbidden["opId"]]["error"]["code"] == "FORBIDDEN"
    assert by_id[forbidden["opId"]]["serverRow"]["name"] == "Pat Customer"


def test_field_merge_records_what_it_overwrote_and_office_can_restore_it(client, session, cast):
    material = add_material(session, cast.job, quantity=2, unit="box")
    base = material.version
    office = client.put(
        f"/api/materials/{material.id}", json={"quantity": 10}, headers=bearer(cast.owner)
    )
    assert office.status_code == 200
    change = op("material", "update", material.id, {"quantity": 4, "unit": "pcs"}, base=base)
    result = push(client, cast.worker_a, change)["results"][0]
    assert result["status"] == "applied"
    assert result["conflicts"] == [
        {
            "field": "quantity",
            "serverValue": 10,
            "clientValue": 4,
            "serverVersion": office.json()["data"]["version"],
        }
    ]
    current = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()[
        "data"
    ][0]
    assert (current["quantity"], current["unit"]) == (4, "pcs")
    listed = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()
    (conflict,) = listed["data"]
    assert conflict["serverValue"] == 10 and conflict["clientValue"] == 4
    assert conflict["serverUserName"] == cast.owner.name
    assert conflict["clientUserName"] == cast.worker_a.name
    resolved = client.post(
        f"/api/sync/conflicts/{conflict['id']}/resolve",
        json={"keep": "server"},
        headers=bearer(cast.admin),
    )
    assert resolved.status_code == 200 and resolved.json()["data"]["resolution"] == "server"
    current = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()[
        "data"
    ][0]
    assert current["quantity"] == 10
    assert client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"] == []


def test_worker_status_change_loses_to_a_later_office_change(client, cast):
    base = cast.job.version
    moved = client.put(
        f"/api/jobs/{cast.job.id}/status", json={"status": "on_hold"}, headers=bearer(cast.owner)
    )
    assert moved.status_code == 200
    change = op("job", "update", cast.job.id, {"status": "in_progress"}, base=base)
    result = push(client, cast.worker_a, change)["results"][0]
    assert result["status"] == "conflict"
    assert result["serverRow"]["status"] == "on_hold"
    (conflict,) = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"]
    assert (conflict["kind"], conflict["serverValue"], conflict["clientValue"]) == (
        "refused",
        "on_hold",
        "in_progress",
    )
    # Keeping the crew's value applies it now.
    client.post(
        f"/api/sync/conflicts/{conflict['id']}/resolve",
        json={"keep": "client"},
        headers=bearer(cast.owner),
    )
    job = client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).json()["data"]
    assert job["status"] == "in_progress"


def test_worker_status_change_with_a_current_base_applies(client, cast):
    change = op("job", "update", cast.job.id, {"status": "in_progress"}, base=cast.job.version)
    assert push(client, cast.worker_a, change)["results"][0]["status"] == "applied"
    illegal = op("job", "update", cast.job.id, {"status": "lead"}, base=None, seq=2)
    result = push(client, cast.worker_a, illegal)["results"][0]
    assert result["status"] == "conflict"


def test_an_edit_never_resurrects_a_deleted_material(client, session, cast):
    material = add_material(session, cast.job)
    base = material.version
    assert client.delete(
        f"/api/materials/{material.id}", headers=bearer(cast.owner)
    ).status_code in (200, 204)
    result = push(
        client, cast.worker_a, op("material", "update", material.id, {"purchased": True}, base=base)
    )["results"][0]
    assert result["status"] == "conflict"
    assert result["serverRow"]["deletedAt"] is not None
    assert (
        client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()["data"]
        == []
    )


def test_materials_created_on_two_devices_all_survive(client, cast):
    job = str(cast.job.id)
    push(
        client,
        cast.worker_a,
        op("material", "create", changes={"jobId": job, "name": "From phone A"}),
        client_id="a",
    )
    push(
        client,
        cast.owner,
        op("material", "create", changes={"jobId": job, "name": "From desktop"}),
        client_id="b",
    )
    names = {
        m["name"]
        for m in client.get(f"/api/jobs/{job}/materials", headers=bearer(cast.owner)).json()["data"]
    }
    assert names == {"From phone A", "From desktop"}


def test_a_job_the_worker_was_removed_from_is_answered_as_missing(client, cast):
    assert (
        client.post(
            f"/api/jobs/{cast.job.id}/assign",
            json={"userIds": [str(cast.worker_b.id)]},
            headers=bearer(cast.owner),
        ).status_code
        == 200
    )
    note = op("note", "create", changes={"jobId": str(cast.job.id), "body": "Done for today"})
    nowhere = op("note", "create", changes={"jobId": str(uuid.uuid4()), "body": "x"}, seq=2)
    results = push(client, cast.worker_a, note, nowhere)["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["error"] == results[1]["error"]  # exactly as a job that does not exist
    assert results[0]["serverRow"] is None


def test_client_clocks_do_not_matter(client, session, cast):
    material = add_material(session, cast.job)
    future = op(
        "material",
        "update",
        material.id,
        {"name": "Later"},
        base=material.version,
        clientTimestamp="2027-12-01T00:00:00Z",
    )
    result = push(client, cast.worker_a, future)["results"][0]
    past = op(
        "material",
        "update",
        material.id,
        {"name": "Earlier"},
        base=result["version"],
        seq=2,
        clientTimestamp="2025-01-01T00:00:00Z",
    )
    assert push(client, cast.worker_a, past)["results"][0]["status"] == "applied"
    names = [
        m["name"]
        for m in client.get(
            f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)
        ).json()["data"]
    ]
    assert names == ["Earlier"]  # server order decides, not the clocks


def test_push_limits(client, cast):
    too_many = [op("note", "create", seq=i) for i in range(501)]
    response = client.post(
        "/api/sync/push",
        json={"clientId": "x", "operations": too_many},
        headers=bearer(cast.worker_a),
    )
    assert response.status_code == 422
    huge = [op("note", "create", changes={"body": "x" * 60000}, seq=i) for i in range(100)]
    response = client.post(
        "/api/sync/push", json={"clientId": "x", "operations": huge}, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_status_reports_cursor_last_seq_and_gaps(client, cast):
    job = str(cast.job.id)
    push(
        client,
        cast.worker_a,
        op("note", "create", changes={"jobId": job, "body": "one"}, seq=1),
        op("note", "create", changes={"jobId": job, "body": "four"}, seq=4),
    )
    data = client.get(
        "/api/sync/status", params={"clientId": "phone-1"}, headers=bearer(cast.worker_a)
    ).json()["data"]
    assert data["lastAckedSeq"] == 4
    assert data["seqGaps"] == [[2, 3]]
    assert data["cursor"] > 0 and data["serverTime"]
    assert data["openConflicts"] == 0


def test_worker_pull_holds_only_their_jobs(client, session, cast):
    other_customer = make_customer(session, name="Someone Else")
    other = make_job(session, other_customer, crew=[cast.worker_b], status=JobStatus.scheduled)
    add_material(session, cast.job, name="Mine")
    add_material(session, other, name="Not mine")
    changes, _ = pull_all(client, cast.worker_a)
    seen = {(c["entity"], c["entityId"]) for c in changes}
    assert ("job", str(cast.job.id)) in seen
    assert ("customer", str(cast.customer.id)) in seen
    assert ("job", str(other.id)) not in seen
    assert ("customer", str(other_customer.id)) not in seen
    assert {c["row"]["name"] for c in changes if c["entity"] == "material"} == {"Mine"}


def test_paged_pulls_see_every_change_once_in_version_order(client, session, cast):
    for i in range(23):
        add_material(session, cast.job, name=f"Item {i}")
    changes, cursor = pull_all(client, cast.owner, limit=5, scope="all")
    versions = [c["version"] for c in changes]
    assert versions == sorted(versions)
    materials = [c["entityId"] for c in changes if c["entity"] == "material"]
    assert len(materials) == len(set(materials)) == 23
    more, _ = pull_all(client, cast.owner, cursor=cursor, scope="all")
    assert more == []


def test_assignment_brings_older_rows_and_unassignment_removes_them(client, session, cast):
    material = add_material(session, cast.job, name="Old stock")
    _, cursor_b = pull_all(client, cast.worker_b)
    client.post(
        f"/api/jobs/{cast.job.id}/assign",
        json={"userIds": [str(cast.worker_a.id), str(cast.worker_b.id)]},
        headers=bearer(cast.owner),
    )
    changes, cursor_b = pull_all(client, cast.worker_b, cursor=cursor_b)
    seen = {(c["entity"], c["entityId"], c["action"]) for c in changes}
    assert ("job", str(cast.job.id), "upsert") in seen
    assert ("material", str(material.id), "upsert") in seen
    assert ("customer", str(cast.customer.id), "upsert") in seen
    client.post(
        f"/api/jobs/{cast.job.id}/assign",
        json={"userIds": [str(cast.worker_a.id)]},
        headers=bearer(cast.owner),
    )
    changes, _ = pull_all(client, cast.worker_b, cursor=cursor_b)
    removed = {(c["entity"], c["entityId"]) for c in changes if c["action"] == "remove"}
    assert removed == {
        ("job", str(cast.job.id)),
        ("material", str(material.id)),
        ("customer", str(cast.customer.id)),
    }
    assert all(c["row"] is None for c in changes if c["action"] == "remove")


def test_deleted_rows_travel_as_tombstones(client, session, cast):
    material = add_material(session, cast.job)
    _, cursor = pull_all(client, cast.worker_a)
    client.delete(f"/api/materials/{material.id}", headers=bearer(cast.owner))
    changes, _ = pull_all(client, cast.worker_a, cursor=cursor)
    (change,) = [c for c in changes if c["entity"] == "material"]
    assert change["action"] == "delete" and change["row"]["deletedAt"]


@pytest.mark.parametrize("user", ["anonymous", "worker_b"])
def test_sync_routes_need_a_user_and_resolve_needs_the_office(client, cast, user):
    headers = {} if user == "anonymous" else bearer(cast.worker_b)
    expected = 401 if user == "anonymous" else 404
    assert (
        client.post(
            f"/api/sync/conflicts/{uuid.uuid4()}/resolve", json={"keep": "server"}, headers=headers
        ).status_code
        == expected
    )
    if user == "anonymous":
        assert client.get("/api/sync/pull", headers=headers).status_code == 401
        assert (
            client.post(
                "/api/sync/push", json={"clientId": "x", "operations": []}, headers=headers
            ).status_code
            == 401
        )


def test_worker_move_from_a_status_with_no_worker_moves_is_refused(client, session, cast):
    for status in ("in_progress", "completed"):
        moved = client.put(
            f"/api/jobs/{cast.job.id}/status", json={"status": status}, headers=bearer(cast.owner)
        )
        assert moved.status_code == 200
    job = client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).json()["data"]
    change = op("job", "update", cast.job.id, {"status": "on_hold"}, base=job["version"])
    result = push(client, cast.worker_a, change)["results"][0]
    assert result["status"] == "conflict"
    assert result["serverRow"]["status"] == "completed"


def test_numbers_beyond_the_columns_are_422_not_500(client, cast):
    huge = 2**63
    pulled = client.get("/api/sync/pull", params={"cursor": huge}, headers=bearer(cast.worker_a))
    assert pulled.status_code == 422
    bad = op("note", "create", changes={"jobId": str(cast.job.id), "body": "x"}, seq=huge)
    result = push(client, cast.worker_a, bad)["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "VALIDATION_ERROR"


def test_a_caught_up_pull_reads_only_the_counter_and_the_next_change_still_comes(
    client, session, engine, cast
):
    """A phone's usual poll finds nothing new: the counter says so in one read, without
    asking each kind of row; a change committed after it comes with the next pull."""
    from khs_crm.services.sync import pull as sync_pull
    from tests.api.test_sync_runs import counted_statements

    _, cursor = pull_all(client, cast.worker_a, scope="all")
    with counted_statements(engine) as statements:
        page = sync_pull.pull(
            session, user=cast.worker_a, cursor=cursor, limit=7, scope="all", tz_name="UTC"
        )
    assert (page.changes, page.cursor, page.has_more) == ([], cursor, False)
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == [
        s for s in statements if "change_counter" in s
    ]
    assert len(statements) <= 2  # the counter's read, and the SAVEPOINT that may begin it

    material = add_material(session, cast.job, name="Caulk")
    changes, after = pull_all(client, cast.worker_a, cursor=cursor, scope="all")
    assert [(c["entity"], c["entityId"]) for c in changes] == [("material", str(material.id))]
    assert after == material.version
