"""/api materials: role matrix, array in / array out, all-or-nothing, purchased stamps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Material
from khs_crm.services.core.versioning import next_version
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_job


def auth(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def add_material(session, job, **fields) -> Material:
    fields.setdefault("name", "Tile")
    material = Material(job_id=job.id, version=next_version(session), **fields)
    session.add(material)
    session.commit()
    session.refresh(material)
    return material


def live_materials(session, job) -> list[Material]:
    session.expire_all()
    return session.exec(
        select(Material).where(Material.job_id == job.id, Material.deleted_at.is_(None))
    ).all()


def actions(session, entity_id) -> list[str]:
    rows = session.exec(select(ActivityLog).where(ActivityLog.entity_id == entity_id)).all()
    return [r.action for r in rows]


@pytest.fixture
def tile(session, cast) -> Material:
    return add_material(session, cast.job, name="Tile", quantity=40, unit="sq ft")


ROUTES = [
    ("get", "/api/jobs/{job}/materials", None, {"worker_b": 404}),
    ("post", "/api/jobs/{job}/materials", {"name": "Grout"}, {"default": 201, "worker_b": 404}),
    ("put", "/api/materials/{material}", {"purchased": True}, {"worker_b": 404}),
    (
        "put",
        "/api/materials/bulk-update",
        "bulk",
        {"worker_b": 404},
    ),
    ("delete", "/api/materials/{material}", None, {"worker_a": 403, "worker_b": 404}),
]


@sqlite_only
@pytest.mark.parametrize("role", ["owner", "admin", "worker_a", "worker_b", "anonymous"])
@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES)
def test_role_matrix(client, cast, tile, role, method, path, body, expected):
    if body == "bulk":
        body = {"ids": [str(tile.id)], "changes": {"purchased": True}}
    url = path.format(job=cast.job.id, material=tile.id)
    kwargs = {"headers": auth(cast, role)} | ({"json": body} if body is not None else {})
    response = client.request(method, url, **kwargs)
    want = 401 if role == "anonymous" else expected.get(role, expected.get("default", 200))
    assert response.status_code == want, response.text


def test_list_materials_in_the_order_added(client, session, cast, tile):
    add_material(session, cast.job, name="Grout")
    add_material(session, cast.job, name="Old", deleted_at=datetime.now(UTC))
    response = client.get(f"/api/jobs/{cast.job.id}/materials", headers=bearer(cast.worker_a))
    data = response.json()["data"]
    assert [m["name"] for m in data] == ["Tile", "Grout"]
    assert set(data[0]) == {
        "id", "version", "createdAt", "updatedAt", "jobId", "name", "quantity", "unit",
        "supplier", "purchased", "purchasedAt", "purchasedBy", "notes",
    }  # fmt: skip
    assert data[0]["quantity"] == 40 and data[0]["unit"] == "sq ft"


def test_object_in_object_out(client, session, cast):
    body = {"name": "Grout", "quantity": 2.5, "unit": "bag", "supplier": "Depot", "notes": "grey"}
    response = client.post(
        f"/api/jobs/{cast.job.id}/materials", json=body, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert isinstance(data, dict)
    assert {k: data[k] for k in body} == body
    assert data["purchased"] is False and data["purchasedAt"] is None and data["version"] > 0
    assert actions(session, uuid.UUID(data["id"])) == ["create"]


def test_array_in_array_out(client, session, cast):
    chosen = str(uuid.uuid4())
    body = [{"name": "Nails", "id": chosen}, {"name": "Screws", "purchased": True}]
    response = client.post(
        f"/api/jobs/{cast.job.id}/materials", json=body, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert [m["name"] for m in data] == ["Nails", "Screws"]
    assert data[0]["id"] == chosen and data[0]["quantity"] == 1
    assert data[1]["purchasedBy"] == str(cast.worker_a.id) and data[1]["purchasedAt"]
    assert data[0]["version"] < data[1]["version"]
    single = client.post(
        f"/api/jobs/{cast.job.id}/materials", json=[{"name": "One"}], headers=bearer(cast.owner)
    )
    assert isinstance(single.json()["data"], list)


@sqlite_only
@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Tile", "quantity": 0}, "quantity"),
        ({"name": "Tile", "quantity": -1}, "quantity"),
        ({"name": "Tile", "quantity": 1_000_001}, "quantity"),
        ({"name": "Tile", "quantity": "3"}, "quantity"),
        ({"name": "Tile", "unit": "x" * 41}, "unit"),
        ({"name": "Tile", "supplier": "x" * 201}, "supplier"),
        ({"name": "Tile", "notes": "x" * 2001}, "notes"),
        ({"name": "Tile", "purchasedAt": "2026-01-01T00:00:00Z"}, "purchasedAt"),
        ({"name": "Tile", "purchasedBy": str(uuid.uuid4())}, "purchasedBy"),
        ({"name": "Tile", "version": 3}, "version"),
        ({"name": "Tile", "jobId": str(uuid.uuid4())}, "jobId"),
    ],
)
def test_bad_material_is_422_and_a_bad_item_spoils_the_batch(client, session, cast, item, field):
    url, owner = f"/api/jobs/{cast.job.id}/materials", bearer(cast.owner)
    one = client.post(url, json=item, headers=owner)
    assert one.status_code == 422, one.text
    assert field in [d["field"] for d in one.json()["error"]["details"]]
    batch = client.post(url, json=[{"name": "Fine"}, item], headers=owner)
    assert batch.status_code == 422
    assert f"1.{field}" in [d["field"] for d in batch.json()["error"]["details"]]
    assert live_materials(session, cast.job) == []


def test_batch_is_all_or_nothing_on_a_taken_id(client, session, cast, tile):
    body = [{"name": "New"}, {"name": "Clash", "id": str(tile.id)}]
    response = client.post(
        f"/api/jobs/{cast.job.id}/materials", json=body, headers=bearer(cast.owner)
    )
    assert response.status_code == 409
    assert [m.name for m in live_materials(session, cast.job)] == ["Tile"]
    empty = client.post(f"/api/jobs/{cast.job.id}/materials", json=[], headers=bearer(cast.owner))
    assert empty.status_code == 422


def test_purchased_stamps_and_clears(client, session, cast, tile):
    url = f"/api/materials/{tile.id}"
    bought = client.put(url, json={"purchased": True}, headers=bearer(cast.worker_a))
    assert bought.status_code == 200
    data = bought.json()["data"]
    assert data["purchased"] is True and data["purchasedBy"] == str(cast.worker_a.id)
    stamped = datetime.fromisoformat(data["purchasedAt"])
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60
    again = client.put(url, json={"purchased": True}, headers=bearer(cast.owner)).json()["data"]
    assert again["purchasedBy"] == str(cast.worker_a.id) and again["version"] == data["version"]
    cleared = client.put(url, json={"purchased": False}, headers=bearer(cast.owner)).json()["data"]
    assert cleared["purchasedAt"] is None and cleared["purchasedBy"] is None
    assert actions(session, tile.id) == ["update", "update"]


def test_update_material_is_partial_with_if_match(client, session, cast, tile):
    url, owner = f"/api/materials/{tile.id}", bearer(cast.owner)
    stale = client.put(url, json={"quantity": 2}, headers={**owner, "If-Match": "1"})
    assert stale.status_code == 412
    response = client.put(
        url,
        json={"quantity": 12, "supplier": "Depot"},
        headers={**owner, "If-Match": f'"{tile.version}"'},
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["quantity"], data["supplier"]) == ("Tile", 12, "Depot")
    for bad in ({"quantity": 0}, {"name": None}, {"purchased": "yes"}, {"jobId": str(cast.job.id)}):
        assert client.put(url, json=bad, headers=owner).status_code == 422


def test_bulk_update_changes_every_row(client, session, cast, tile):
    grout = add_material(session, cast.job, name="Grout")
    body = {
        "ids": [str(tile.id), str(grout.id)],
        "changes": {"purchased": True, "supplier": "Depot"},
    }
    response = client.put("/api/materials/bulk-update", json=body, headers=bearer(cast.worker_a))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [m["id"] for m in data] == body["ids"]
    assert all(m["purchased"] and m["purchasedBy"] == str(cast.worker_a.id) for m in data)
    assert all(m["supplier"] == "Depot" for m in data)
    assert actions(session, grout.id) == ["update"]


def test_bulk_update_is_all_or_nothing(client, session, cast, tile):
    other_job = make_job(session, cast.customer, title="Not A's")
    hidden = add_material(session, other_job, name="Hidden")
    deleted = add_material(session, cast.job, name="Gone", deleted_at=datetime.now(UTC))
    missing = uuid.uuid4()
    for stranger in (hidden.id, deleted.id, missing):
        body = {"ids": [str(tile.id), str(stranger)], "changes": {"purchased": True}}
        response = client.put(
            "/api/materials/bulk-update", json=body, headers=bearer(cast.worker_a)
        )
        assert response.status_code == 404, response.text
        assert response.json()["error"]["details"] == [{"field": "ids", "message": str(stranger)}]
    session.expire_all()
    assert session.get(Material, tile.id).purchased is False
    assert actions(session, tile.id) == []
    bad = {"ids": [str(tile.id)], "changes": {"purchasedAt": "2026-01-01T00:00:00Z"}}
    assert (
        client.put("/api/materials/bulk-update", json=bad, headers=bearer(cast.owner)).status_code
        == 422
    )
    assert (
        client.put(
            "/api/materials/bulk-update",
            json={"ids": [], "changes": {}},
            headers=bearer(cast.owner),
        ).status_code
        == 422
    )


def test_delete_material_is_office_only_and_soft(client, session, cast, tile):
    url = f"/api/materials/{tile.id}"
    refused = client.delete(url, headers=bearer(cast.worker_a))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    response = client.delete(url, headers=bearer(cast.admin))
    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(tile.id)
    session.expire_all()
    assert session.get(Material, tile.id).deleted_at is not None
    assert client.put(url, json={"name": "X"}, headers=bearer(cast.owner)).status_code == 404
    assert client.delete(url, headers=bearer(cast.owner)).status_code == 404
    assert actions(session, tile.id) == ["delete"]


def test_materials_of_a_deleted_job_are_out_of_reach(client, session, cast, tile):
    assert client.delete(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).status_code == 200
    owner = bearer(cast.owner)
    assert client.get(f"/api/jobs/{cast.job.id}/materials", headers=owner).status_code == 404
    assert (
        client.put(f"/api/materials/{tile.id}", json={"name": "X"}, headers=owner).status_code
        == 404
    )
