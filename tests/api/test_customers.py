"""/api/customers: read, write, pagination, sort, If-Match, soft delete, activity, roles."""

import uuid

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Customer, Job
from khs_crm.services.customers.service import create_customer
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_customer

ANN = {
    "name": "Ann Smith",
    "phone": "(512) 555-0101",
    "email": "ann@example.com",
    "address": "12 Main St, Austin",
    "notes": "Prefers mornings",
}
SERVER_OWNED = [
    {"version": 7},
    {"createdAt": "2020-01-01T00:00:00Z"},
    {"updatedAt": "2020-01-01T00:00:00Z"},
    {"deletedAt": "2020-01-01T00:00:00Z"},
    {"phoneDigits": "5125550101"},
]


def _stored(session, customer_id) -> Customer:
    session.expire_all()
    return session.get(Customer, uuid.UUID(str(customer_id)))


def _actions(session, customer_id) -> list[tuple[str, uuid.UUID]]:
    rows = session.exec(
        select(ActivityLog)
        .where(ActivityLog.entity_id == uuid.UUID(str(customer_id)))
        .order_by(ActivityLog.created_at)
    ).all()
    return [(r.action, r.actor_id) for r in rows]


def test_create_returns_the_customer_and_logs_it(client, cast, session):
    response = client.post("/api/customers", json=ANN, headers=bearer(cast.admin))
    assert response.status_code == 201
    body = response.json()["data"]
    assert {k: body[k] for k in ANN} == ANN
    assert set(body) == {*ANN, "id", "version", "createdAt", "updatedAt"}
    assert response.headers["location"] == f"/api/customers/{body['id']}"
    assert response.headers["etag"] == f'"{body["version"]}"'
    stored = _stored(session, body["id"])
    assert stored.phone_digits == "5125550101"
    assert stored.version == body["version"] > cast.job.version
    assert _actions(session, body["id"]) == [("create", cast.admin.id)]


def test_create_accepts_a_client_chosen_id_once(client, cast):
    new_id = str(uuid.uuid4())
    first = client.post(
        "/api/customers", json={"id": new_id, "name": "Offline"}, headers=bearer(cast.owner)
    )
    again = client.post(
        "/api/customers", json={"id": new_id, "name": "Dup"}, headers=bearer(cast.owner)
    )
    assert first.status_code == 201 and first.json()["data"]["id"] == new_id
    assert again.status_code == 409 and again.json()["error"]["code"] == "CONFLICT"


@sqlite_only
@pytest.mark.parametrize(
    "body",
    [
        {"name": "   "},
        {"name": "x" * 201},
        {"phone": "555-0101"},
        {"name": "A", "phone": "call me"},
        {"name": "A", "phone": "123456"},
        {"name": "A", "phone": "1234567890123456"},
        {"name": "A", "phone": "5" * 41},
        {"name": "A", "email": "not-an-email"},
        {"name": "A", "address": "a" * 501},
        {"name": "A", "notes": "n" * 5001},
        {"name": "Nul\x00byte"},
        {"name": 42},
        {"name": "A", "nickname": "unknown field"},
        *({"name": "A", **field} for field in SERVER_OWNED),
    ],
)
def test_create_rejects_invalid_bodies(client, cast, session, body):
    response = client.post("/api/customers", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"]
    assert len(session.exec(select(Customer)).all()) == 1  # only cast.customer


def test_create_accepts_edge_values(client, cast):
    body = {"name": "x" * 200, "phone": "+1 (512) 555-0101 ext. 12", "notes": "n" * 5000}
    response = client.post("/api/customers", json=body, headers=bearer(cast.owner))
    assert response.status_code == 201
    assert response.json()["data"]["phone"] == body["phone"]


def test_get_one_and_missing_and_bad_id(client, cast):
    headers = bearer(cast.owner)
    response = client.get(f"/api/customers/{cast.customer.id}", headers=headers)
    assert response.status_code == 200
    assert response.json()["data"]["name"] == cast.customer.name
    assert client.get(f"/api/customers/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get("/api/customers/not-a-uuid", headers=headers).status_code == 422


def test_partial_put_changes_only_what_was_sent(client, cast, session):
    url = f"/api/customers/{cast.customer.id}"
    response = client.put(url, json={"name": "Pat Renamed"}, headers=bearer(cast.owner))
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["phone"]) == ("Pat Renamed", "(512) 555-0100")
    assert data["version"] > cast.customer.version
    response = client.put(url, json={"phone": "737.555.0199"}, headers=bearer(cast.owner))
    stored = _stored(session, cast.customer.id)
    assert (stored.name, stored.phone, stored.phone_digits) == (
        "Pat Renamed",
        "737.555.0199",
        "7375550199",
    )
    log = session.exec(select(ActivityLog).where(ActivityLog.action == "update")).all()
    assert [r.changes.get("name") for r in log] == [
        {"old": "Pat Customer", "new": "Pat Renamed"},
        None,
    ]


def test_put_with_nothing_new_writes_nothing(client, cast, session):
    url = f"/api/customers/{cast.customer.id}"
    response = client.put(url, json={"name": cast.customer.name}, headers=bearer(cast.owner))
    assert response.status_code == 200
    assert response.json()["data"]["version"] == cast.customer.version
    assert _actions(session, cast.customer.id) == []


def test_put_null_clears_optional_fields_but_not_the_name(client, cast, session):
    url = f"/api/customers/{cast.customer.id}"
    headers = bearer(cast.owner)
    assert client.put(url, json={"name": None}, headers=headers).status_code == 422
    assert client.put(url, json={"phone": None}, headers=headers).status_code == 200
    assert (_stored(session, cast.customer.id).phone_digits) == ""


@sqlite_only
@pytest.mark.parametrize("field", [{"id": str(uuid.uuid4())}, {"bogus": 1}, *SERVER_OWNED])
def test_put_rejects_unknown_and_server_owned_fields(client, cast, session, field):
    url = f"/api/customers/{cast.customer.id}"
    response = client.put(url, json={"name": "New", **field}, headers=bearer(cast.owner))
    assert response.status_code == 422
    assert _stored(session, cast.customer.id).name == "Pat Customer"


def test_if_match_guards_put_and_delete(client, cast, session):
    url = f"/api/customers/{cast.customer.id}"
    version = cast.customer.version
    stale = {**bearer(cast.owner), "If-Match": str(version - 1)}
    response = client.put(url, json={"name": "Lost update"}, headers=stale)
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "PRECONDITION_FAILED"
    assert client.delete(url, headers=stale).status_code == 412
    assert _stored(session, cast.customer.id).name == "Pat Customer"
    bad = client.put(url, json={"name": "X"}, headers={**stale, "If-Match": "abc"})
    assert bad.status_code == 422
    current = {**bearer(cast.owner), "If-Match": f'"{version}"'}
    response = client.put(url, json={"name": "Fresh"}, headers=current)
    assert response.status_code == 200
    assert response.json()["data"]["version"] > version


def test_soft_delete_keeps_the_row_and_the_jobs(client, cast, session):
    url = f"/api/customers/{cast.customer.id}"
    headers = bearer(cast.owner)
    version = cast.customer.version
    response = client.delete(url, headers=headers)
    assert response.status_code == 200
    assert response.json()["data"]["deleted"] is True
    assert client.get(url, headers=headers).status_code == 404
    assert client.put(url, json={"name": "Zombie"}, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404
    assert client.get("/api/customers", headers=headers).json()["pagination"]["total"] == 0
    stored = _stored(session, cast.customer.id)
    assert stored.deleted_at is not None and stored.version > version
    assert session.get(Job, cast.job.id).deleted_at is None
    assert _actions(session, cast.customer.id) == [("delete", cast.owner.id)]


def test_pagination(client, cast, session):
    for n in range(29):
        create_customer(session, data={"name": f"Customer {n:02d}"}, actor=cast.owner)
    headers = bearer(cast.owner)
    body = client.get("/api/customers?page=3&pageSize=10", headers=headers).json()
    assert body["pagination"] == {"page": 3, "pageSize": 10, "total": 30, "totalPages": 3}
    assert [c["name"] for c in body["data"]] == [
        *(f"Customer {n}" for n in range(20, 29)),
        "Pat Customer",
    ]
    last = client.get("/api/customers?page=4&pageSize=8", headers=headers).json()
    assert [c["name"] for c in last["data"]] == [
        "Customer 24",
        "Customer 25",
        "Customer 26",
        "Customer 27",
        "Customer 28",
        "Pat Customer",
    ]
    beyond = client.get("/api/customers?page=5&pageSize=8", headers=headers).json()
    assert beyond["data"] == [] and beyond["pagination"]["total"] == 30
    default = client.get("/api/customers", headers=headers).json()
    assert len(default["data"]) == 25 and default["pagination"]["pageSize"] == 25
    assert len(client.get("/api/customers?pageSize=100", headers=headers).json()["data"]) == 30
    for bad in ("page=0", "pageSize=0", "pageSize=101", "page=-1", "page=x"):
        assert client.get(f"/api/customers?{bad}", headers=headers).status_code == 422, bad
        assert client.get(f"/api/customers/search?q=c&{bad}", headers=headers).status_code == 422


def test_sort_orders(client, cast, session):
    for name in ("carol", "Bob", "alice"):
        create_customer(session, data={"name": name}, actor=cast.owner)
    headers = bearer(cast.owner)

    def names(sort: str) -> list[str]:
        response = client.get(f"/api/customers?sort={sort}", headers=headers)
        assert response.status_code == 200
        return [c["name"] for c in response.json()["data"]]

    assert names("name") == ["alice", "Bob", "carol", "Pat Customer"]
    assert names("-name") == ["Pat Customer", "carol", "Bob", "alice"]
    assert names("updatedAt") == ["Pat Customer", "carol", "Bob", "alice"]
    assert names("-updatedAt") == ["alice", "Bob", "carol", "Pat Customer"]
    for bad in ("email", "updated_at", "", "name,-name"):
        assert client.get(f"/api/customers?sort={bad}", headers=headers).status_code == 422


def test_workers_see_only_customers_of_their_jobs(client, cast, session):
    make_customer(session, name="Somebody Else")
    seen_by_a = client.get("/api/customers", headers=bearer(cast.worker_a)).json()
    assert [c["name"] for c in seen_by_a["data"]] == ["Pat Customer"]
    assert seen_by_a["pagination"]["total"] == 1
    seen_by_b = client.get("/api/customers", headers=bearer(cast.worker_b)).json()
    assert seen_by_b["data"] == [] and seen_by_b["pagination"]["total"] == 0
    cast.job.deleted_at = cast.job.updated_at
    session.add(cast.job)
    session.commit()
    assert client.get("/api/customers", headers=bearer(cast.worker_a)).json()["data"] == []
