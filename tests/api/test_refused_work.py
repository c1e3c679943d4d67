"""Refused crew work reaches the office: kept as a conflict, listed, restored or dismissed."""

from __future__ import annotations

from khs_crm.models import Material
from khs_crm.services.core.versioning import next_version
from tests.api.test_sync import op, push
from tests.support.factories import bearer


def _countertop(session, job) -> Material:
    material = Material(job_id=job.id, name="Quartz countertop", version=next_version(session))
    session.add(material)
    session.commit()
    return material


def _tick_deleted(client, session, cast) -> tuple[Material, dict]:
    """The office deletes a material; a crew member, offline, ticks it as bought."""
    material = _countertop(session, cast.job)
    base = material.version
    assert client.delete(f"/api/materials/{material.id}", headers=bearer(cast.owner)).is_success
    tick = op("material", "update", material.id, {"purchased": True}, base=base)
    return material, push(client, cast.worker_a, tick)["results"][0]


def _conflicts(client, cast, **params) -> list[dict]:
    response = client.get("/api/sync/conflicts", params=params, headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _resolve(client, cast, conflict_id: str, keep: str) -> dict:
    response = client.post(
        f"/api/sync/conflicts/{conflict_id}/resolve",
        json={"keep": keep},
        headers=bearer(cast.owner),
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_a_tick_on_a_deleted_material_is_kept_for_the_office(client, session, cast):
    material, result = _tick_deleted(client, session, cast)
    assert result["status"] == "conflict" and result["conflictId"]
    label = f"Quartz countertop on {cast.job.title}"
    assert result["error"]["reason"] == "deleted_by_office"
    assert result["error"]["message"] == (
        f"{label} was deleted by the office; your tick was not applied."
    )
    (conflict,) = _conflicts(client, cast)
    assert conflict["id"] == result["conflictId"]
    assert (conflict["kind"], conflict["entity"], conflict["entityId"]) == (
        "deleted",
        "material",
        str(material.id),
    )
    assert conflict["label"] == label
    assert conflict["changes"] == {"purchased": True}
    assert conflict["clientUserName"] == cast.worker_a.name and conflict["createdAt"]


def test_restoring_brings_the_row_back_with_the_crews_change(client, session, cast):
    material, result = _tick_deleted(client, session, cast)
    settled = _resolve(client, cast, result["conflictId"], "client")
    assert settled["resolution"] == "client" and settled["resolvedAt"]
    (row,) = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner)).json()[
        "data"
    ]
    assert (row["id"], row["purchased"]) == (str(material.id), True)
    assert _conflicts(client, cast) == []
    again = client.post(
        f"/api/sync/conflicts/{result['conflictId']}/resolve",
        json={"keep": "client"},
        headers=bearer(cast.owner),
    )
    assert again.status_code == 409


def test_dismissing_leaves_it_deleted(client, session, cast):
    _material, result = _tick_deleted(client, session, cast)
    _resolve(client, cast, result["conflictId"], "server")
    listed = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.owner))
    assert listed.json()["data"] == []
    (settled,) = _conflicts(client, cast, state="all")
    assert settled["resolution"] == "server"


def test_a_retried_push_answers_the_same_conflict(client, session, cast):
    material = _countertop(session, cast.job)
    assert client.delete(f"/api/materials/{material.id}", headers=bearer(cast.owner)).is_success
    tick = op("material", "update", material.id, {"purchased": True}, base=material.version)
    first = push(client, cast.worker_a, tick)["results"][0]
    retry = push(client, cast.worker_a, tick)["results"][0]
    assert retry["status"] == "duplicate" and retry["conflictId"] == first["conflictId"]
    assert len(_conflicts(client, cast)) == 1


def test_a_refused_move_names_the_job_and_both_statuses(client, cast):
    base = cast.job.version
    moved = client.put(
        f"/api/jobs/{cast.job.id}/status", json={"status": "on_hold"}, headers=bearer(cast.owner)
    )
    assert moved.status_code == 200
    change = op("job", "update", cast.job.id, {"status": "in_progress"}, base=base)
    result = push(client, cast.worker_a, change)["results"][0]
    assert result["status"] == "conflict" and result["error"]["reason"] == "office_status_wins"
    assert result["error"]["message"] == (
        f"The office moved {cast.job.title} to on hold after you did; your move to in progress "
        "was not applied."
    )
    (conflict,) = _conflicts(client, cast)
    assert (conflict["kind"], conflict["field"], conflict["label"]) == (
        "refused",
        "status",
        cast.job.title,
    )
    assert conflict["message"] == result["error"]["message"]


def test_a_job_the_worker_cannot_see_records_nothing(client, session, cast):
    from tests.support.factories import make_job

    other = make_job(session, cast.customer)
    change = op("job", "update", other.id, {"status": "in_progress"}, base=other.version)
    result = push(client, cast.worker_a, change)["results"][0]
    assert (result["status"], result["error"]["code"], result["serverRow"]) == (
        "rejected",
        "NOT_FOUND",
        None,
    )
    assert _conflicts(client, cast) == []
