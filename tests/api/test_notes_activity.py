"""/api job notes and /api/activity."""

from __future__ import annotations

import uuid

import pytest

from tests.support.databases import sqlite_only
from tests.support.factories import bearer


def auth(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


ROLES = ["owner", "admin", "worker_a", "worker_b", "anonymous"]


@sqlite_only
@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 201), ("admin", 201), ("worker_a", 201), ("worker_b", 404), ("anonymous", 401)],
)
def test_add_note_role_matrix(client, cast, role, expected):
    response = client.post(
        f"/api/jobs/{cast.job.id}/notes", json={"body": "Arrived"}, headers=auth(cast, role)
    )
    assert response.status_code == expected, response.text


@sqlite_only
@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 200), ("admin", 200), ("worker_a", 200), ("worker_b", 404), ("anonymous", 401)],
)
def test_list_notes_role_matrix(client, cast, role, expected):
    response = client.get(f"/api/jobs/{cast.job.id}/notes", headers=auth(cast, role))
    assert response.status_code == expected


def test_notes_carry_their_author_newest_first(client, cast):
    url = f"/api/jobs/{cast.job.id}/notes"
    first = client.post(url, json={"body": "  Tile delivered "}, headers=bearer(cast.worker_a))
    assert first.status_code == 201
    note = first.json()["data"]
    assert set(note) == {
        "id", "jobId", "authorId", "authorName", "body", "version", "createdAt", "updatedAt",
    }  # fmt: skip
    assert note["body"] == "Tile delivered"
    assert note["authorId"] == str(cast.worker_a.id) and note["authorName"] == cast.worker_a.name
    client.post(url, json={"body": "Customer called"}, headers=bearer(cast.owner))
    listed = client.get(url, headers=bearer(cast.worker_a)).json()
    assert [n["body"] for n in listed["data"]] == ["Customer called", "Tile delivered"]
    assert listed["data"][0]["authorName"] == cast.owner.name
    assert listed["pagination"]["total"] == 2


@sqlite_only
@pytest.mark.parametrize(
    "body",
    [{"body": ""}, {"body": "   "}, {"body": "x" * 10001}, {}, {"body": "x", "authorId": "y"}],
)
def test_bad_note_is_422(client, cast, body):
    response = client.post(f"/api/jobs/{cast.job.id}/notes", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422


def test_note_with_a_client_id_is_created_once(client, cast):
    body = {"id": str(uuid.uuid4()), "body": "Offline note"}
    url = f"/api/jobs/{cast.job.id}/notes"
    assert client.post(url, json=body, headers=bearer(cast.worker_a)).status_code == 201
    assert client.post(url, json=body, headers=bearer(cast.worker_a)).status_code == 409


# Activity -----------------------------------------------------------------------------------


@sqlite_only
@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 200), ("admin", 200), ("worker_a", 404), ("worker_b", 404), ("anonymous", 401)],
)
def test_activity_role_matrix(client, cast, role, expected):
    assert client.get("/api/activity", headers=auth(cast, role)).status_code == expected


def test_activity_lists_every_write_newest_first(client, cast):
    owner, job = bearer(cast.owner), cast.job.id
    client.put(f"/api/jobs/{job}", json={"title": "Kitchen and bath"}, headers=owner)
    client.put(f"/api/jobs/{job}/status", json={"status": "in_progress"}, headers=owner)
    material = client.post(
        f"/api/jobs/{job}/materials", json={"name": "Tile"}, headers=bearer(cast.worker_a)
    ).json()["data"]
    client.post(f"/api/jobs/{job}/notes", json={"body": "Started"}, headers=owner)

    everything = client.get("/api/activity", headers=owner).json()
    assert [(a["entity"], a["action"]) for a in everything["data"]] == [
        ("note", "create"),
        ("material", "create"),
        ("job", "status"),
        ("job", "update"),
    ]
    assert everything["pagination"]["total"] == 4
    latest_material = everything["data"][1]
    assert set(latest_material) == {
        "id", "actorId", "actorName", "entity", "entityId", "jobId", "action", "changes",
        "createdAt",
    }  # fmt: skip
    assert latest_material["actorId"] == str(cast.worker_a.id)
    assert latest_material["actorName"] == cast.worker_a.name
    assert latest_material["jobId"] == str(job)
    assert latest_material["changes"]["jobId"] == {"old": None, "new": str(job)}
    assert latest_material["changes"]["name"] == {"old": None, "new": "Tile"}

    for_job = client.get(
        "/api/activity", params={"entity": "job", "entityId": str(job)}, headers=owner
    ).json()
    assert [a["action"] for a in for_job["data"]] == ["status", "update"]
    assert for_job["data"][0]["changes"] == {"status": {"old": "scheduled", "new": "in_progress"}}
    only = client.get("/api/activity", params={"entityId": material["id"]}, headers=owner).json()[
        "data"
    ]
    assert [a["entity"] for a in only] == ["material"]


def test_activity_pages_and_rejects_bad_filters(client, cast):
    owner = bearer(cast.owner)
    for n in range(3):
        client.post(f"/api/jobs/{cast.job.id}/notes", json={"body": f"n{n}"}, headers=owner)
    page = client.get("/api/activity?page=2&pageSize=2", headers=owner).json()
    assert page["pagination"] == {"page": 2, "pageSize": 2, "total": 3, "totalPages": 2}
    assert len(page["data"]) == 1
    assert client.get("/api/activity?entityId=nope", headers=owner).status_code == 422
    assert client.get("/api/activity?pageSize=0", headers=owner).status_code == 422
