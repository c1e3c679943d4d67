"""/api/users: office-only user management, owner rules, sign-ins ended on deactivation."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Role, User
from tests.support.databases import sqlite_only
from tests.support.factories import PASSWORD, bearer, make_user

NEW_PASSWORD = "a-brand-new-password"
USER_FIELDS = {
    "id",
    "email",
    "name",
    "role",
    "active",
    "language",
    "version",
    "createdAt",
    "updatedAt",
}


def auth(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def reload(session, user: User) -> User:
    session.expire_all()
    return session.get(User, user.id)


def user_activity(session, user: User) -> list[tuple[str, dict]]:
    session.expire_all()
    rows = session.exec(
        select(ActivityLog).where(ActivityLog.entity_id == user.id).order_by(ActivityLog.created_at)
    ).all()
    return [(r.action, r.changes) for r in rows]


ROUTES = [
    ("get", "/api/users", None, 200),
    (
        "post",
        "/api/users",
        {"email": "new@example.com", "name": "New", "role": "worker", "password": NEW_PASSWORD},
        201,
    ),
    ("put", "/api/users/{target}", {"name": "Renamed"}, 200),
    ("post", "/api/users/{target}/reset-password", {"password": NEW_PASSWORD}, 200),
]


@sqlite_only
@pytest.mark.parametrize("role", ["owner", "admin", "worker_a", "worker_b", "anonymous"])
@pytest.mark.parametrize(("method", "path", "body", "office_status"), ROUTES)
def test_role_matrix(client, cast, role, method, path, body, office_status):
    url = path.format(target=cast.worker_b.id)
    kwargs = {"headers": auth(cast, role)} | ({"json": body} if body else {})
    response = client.request(method, url, **kwargs)
    expected = {"owner": office_status, "admin": office_status, "anonymous": 401}.get(role, 404)
    assert response.status_code == expected, response.text


def test_list_users_never_shows_a_password_hash(client, session, cast):
    make_user(session, Role.worker, active=False, name="Zed Retired")
    page = client.get("/api/users?pageSize=3", headers=bearer(cast.admin)).json()
    assert page["pagination"]["total"] == 5 and len(page["data"]) == 3
    for user in page["data"]:
        assert set(user) == USER_FIELDS
    last = client.get("/api/users?page=2&pageSize=3", headers=bearer(cast.admin)).json()
    assert last["data"][-1]["name"] == "Zed Retired" and last["data"][-1]["active"] is False


def test_create_user(client, session, cast):
    body = {"email": "Ana@Example.com", "name": " Ana ", "role": "admin", "password": NEW_PASSWORD}
    response = client.post("/api/users", json=body, headers=bearer(cast.owner))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert set(data) == USER_FIELDS
    assert (data["email"], data["name"], data["role"], data["active"]) == (
        "ana@example.com",
        "Ana",
        "admin",
        True,
    )
    login = client.post(
        "/api/auth/login", json={"email": "ana@example.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 200
    [(action, changes)] = user_activity(session, session.get(User, uuid.UUID(data["id"])))
    assert action == "create" and "password" not in str(changes)


@sqlite_only
@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"email": "not-an-email"}, 422, "email"),
        ({"role": "boss"}, 422, "role"),
        ({"password": "short"}, 422, "password"),
        ({"name": ""}, 422, "name"),
        ({"passwordHash": "x"}, 422, "passwordHash"),
        ({"active": False}, 422, "active"),
    ],
)
def test_create_user_rejects_bad_input(client, cast, change, status, field):
    body = {"email": "x@example.com", "name": "X", "role": "worker", "password": NEW_PASSWORD}
    response = client.post("/api/users", json={**body, **change}, headers=bearer(cast.owner))
    assert response.status_code == status, response.text
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_duplicate_email_is_a_conflict(client, cast):
    body = {
        "email": cast.worker_a.email.upper(),
        "name": "X",
        "role": "worker",
        "password": NEW_PASSWORD,
    }
    response = client.post("/api/users", json=body, headers=bearer(cast.owner))
    assert response.status_code == 409


def test_only_an_owner_creates_owners(client, cast):
    body = {"email": "boss2@example.com", "name": "Boss", "role": "owner", "password": NEW_PASSWORD}
    refused = client.post("/api/users", json=body, headers=bearer(cast.admin))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    assert client.post("/api/users", json=body, headers=bearer(cast.owner)).status_code == 201


@sqlite_only
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("put", "", {"name": "Renamed"}),
        ("put", "", {"active": False}),
        ("put", "", {"role": "worker"}),
        ("post", "/reset-password", {"password": NEW_PASSWORD}),
    ],
)
def test_admin_cannot_touch_an_owner(client, session, cast, method, suffix, body):
    make_user(session, Role.owner)  # not the last owner: the refusal is about the admin
    response = client.request(
        method, f"/api/users/{cast.owner.id}{suffix}", json=body, headers=bearer(cast.admin)
    )
    assert response.status_code == 403
    after = reload(session, cast.owner)
    assert (after.name, after.active, after.role, after.auth_epoch) == (
        cast.owner.name,
        True,
        Role.owner,
        0,
    )


def test_admin_cannot_grant_office_roles_but_an_owner_can(client, session, cast):
    url, admin = f"/api/users/{cast.worker_a.id}", bearer(cast.admin)
    old_name = cast.worker_a.name
    assert client.put(url, json={"role": "owner"}, headers=admin).status_code == 403
    assert client.put(url, json={"role": "admin"}, headers=admin).status_code == 403
    promoted = client.put(
        url, json={"role": "admin", "name": "Lead Hand"}, headers=bearer(cast.owner)
    )
    assert promoted.status_code == 200
    assert promoted.json()["data"]["role"] == "admin"
    assert promoted.json()["data"]["name"] == "Lead Hand"
    [(action, changes)] = user_activity(session, cast.worker_a)
    assert action == "update"
    assert changes == {
        "name": {"old": old_name, "new": "Lead Hand"},
        "role": {"old": "worker", "new": "admin"},
    }


def test_owner_can_make_owners(client, cast):
    url = f"/api/users/{cast.admin.id}"
    response = client.put(url, json={"role": "owner"}, headers=bearer(cast.owner))
    assert response.status_code == 200 and response.json()["data"]["role"] == "owner"


@pytest.mark.parametrize("change", [{"role": "admin"}, {"active": False}])
def test_last_active_owner_stays(client, session, cast, change):
    url = f"/api/users/{cast.owner.id}"
    response = client.put(url, json=change, headers=bearer(cast.owner))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CONFLICT"
    assert "last active owner" in response.json()["error"]["message"]
    after = reload(session, cast.owner)
    assert after.role == Role.owner and after.active


def test_an_inactive_owner_does_not_count(client, session, cast):
    make_user(session, Role.owner, active=False)
    response = client.put(
        f"/api/users/{cast.owner.id}", json={"active": False}, headers=bearer(cast.owner)
    )
    assert response.status_code == 409


def test_one_of_two_owners_may_step_down(client, session, cast):
    second = make_user(session, Role.owner)
    down = client.put(f"/api/users/{second.id}", json={"role": "admin"}, headers=bearer(cast.owner))
    assert down.status_code == 200
    again = client.put(
        f"/api/users/{cast.owner.id}", json={"active": False}, headers=bearer(cast.owner)
    )
    assert again.status_code == 409


def test_deactivation_ends_the_users_tokens(client, session, cast):
    old_token = bearer(cast.worker_a)
    assert client.get("/api/auth/me", headers=old_token).status_code == 200
    response = client.put(
        f"/api/users/{cast.worker_a.id}", json={"active": False}, headers=bearer(cast.admin)
    )
    assert response.status_code == 200 and response.json()["data"]["active"] is False
    assert client.get("/api/auth/me", headers=old_token).status_code == 401
    assert client.get("/api/jobs", headers=old_token).status_code == 401
    assert user_activity(session, cast.worker_a) == [
        ("deactivate", {"active": {"old": True, "new": False}})
    ]
    back = client.put(
        f"/api/users/{cast.worker_a.id}", json={"active": True}, headers=bearer(cast.admin)
    )
    assert back.status_code == 200
    assert client.get("/api/auth/me", headers=old_token).status_code == 401
    assert (
        client.get("/api/auth/me", headers=bearer(reload(session, cast.worker_a))).status_code
        == 200
    )


def test_reset_password_ends_sessions_and_sets_the_new_one(client, session, cast):
    old_token = bearer(cast.worker_a)
    url = f"/api/users/{cast.worker_a.id}/reset-password"
    weak = client.post(url, json={"password": "short"}, headers=bearer(cast.admin))
    assert weak.status_code == 422
    assert client.get("/api/auth/me", headers=old_token).status_code == 200
    response = client.post(url, json={"password": NEW_PASSWORD}, headers=bearer(cast.admin))
    assert response.status_code == 200 and set(response.json()["data"]) == USER_FIELDS
    assert client.get("/api/auth/me", headers=old_token).status_code == 401
    email = cast.worker_a.email
    old = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = client.post("/api/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert new.status_code == 200
    assert user_activity(session, cast.worker_a) == [("reset_password", {})]


def test_unknown_user_is_404(client, cast):
    missing = uuid.uuid4()
    owner = bearer(cast.owner)
    assert client.put(f"/api/users/{missing}", json={"name": "X"}, headers=owner).status_code == 404
    reset = client.post(
        f"/api/users/{missing}/reset-password", json={"password": NEW_PASSWORD}, headers=owner
    )
    assert reset.status_code == 404


@sqlite_only
@pytest.mark.parametrize(
    "body", [{"email": "x@example.com"}, {"name": None}, {"active": "maybe"}, {"role": "boss"}]
)
def test_update_user_rejects_bad_input(client, cast, body):
    response = client.put(f"/api/users/{cast.worker_a.id}", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422
