"""Least privilege among the office: admins manage workers; only owners manage admins and
owners (role changes, password resets, deactivation, calendar links): 403 otherwise."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from khs_crm.models import CalendarToken, Role, User
from khs_crm.services.auth.privilege import may_manage
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_user

NEW_PASSWORD = "a-brand-new-password"

# (method, path under the target, body): everything "managing" someone means.
ACTIONS = {
    "rename": ("put", "/api/users/{id}", {"name": "Taken Over"}),
    "demote": ("put", "/api/users/{id}", {"role": "worker"}),
    "promote": ("put", "/api/users/{id}", {"role": "owner"}),
    "deactivate": ("put", "/api/users/{id}", {"active": False}),
    "reset password": ("post", "/api/users/{id}/reset-password", {"password": NEW_PASSWORD}),
    "issue calendar link": ("post", "/api/calendar/links/{id}", None),
    "revoke calendar link": ("delete", "/api/calendar/links/{id}", None),
}


def _do(client, actor: User, action: str, target: User):
    method, path, body = ACTIONS[action]
    kwargs = {"json": body} if body else {}
    return client.request(method, path.format(id=target.id), headers=bearer(actor), **kwargs)


def _state(session, user: User) -> tuple:
    session.expire_all()
    row = session.get(User, user.id)
    links = session.exec(
        select(func.count())
        .select_from(CalendarToken)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
    ).one()
    return row.name, row.role, row.active, row.auth_epoch, row.password_hash, links


@sqlite_only
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("target_role", ["admin", "owner"])
def test_an_admin_cannot_manage_another_admin_or_an_owner(
    client, session, cast, action, target_role
):
    target = make_user(session, Role(target_role))
    assert _do(client, cast.owner, "issue calendar link", target).status_code == 201
    before = _state(session, target)
    response = _do(client, cast.admin, action, target)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "Only an owner" in response.json()["error"]["message"]
    assert _state(session, target) == before


@sqlite_only
@pytest.mark.parametrize("action", ["rename", "reset password", "deactivate"])
def test_an_admin_cannot_manage_themselves_either(client, session, cast, action):
    before = _state(session, cast.admin)
    assert _do(client, cast.admin, action, cast.admin).status_code == 403
    assert _state(session, cast.admin) == before


@sqlite_only
@pytest.mark.parametrize(
    "action", ["rename", "reset password", "issue calendar link", "revoke calendar link"]
)
def test_an_admin_manages_workers(client, session, cast, action):
    assert _do(client, cast.admin, action, cast.worker_a).status_code in (200, 201)
    assert _do(client, cast.admin, "deactivate", cast.worker_b).status_code == 200


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_an_admin_adds_workers_only(client, cast, role):
    body = {"email": f"new-{role}@example.com", "name": "New", "password": NEW_PASSWORD}
    refused = client.post("/api/users", json=body | {"role": role}, headers=bearer(cast.admin))
    assert refused.status_code == 403
    added = client.post("/api/users", json=body | {"role": "worker"}, headers=bearer(cast.admin))
    assert added.status_code == 201


@sqlite_only
@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_owner_manages_admins(client, session, cast, action):
    if action == "revoke calendar link":
        _do(client, cast.owner, "issue calendar link", cast.admin)
    assert _do(client, cast.owner, action, cast.admin).status_code in (200, 201)


def test_may_manage_is_the_one_rule():
    people = {role: User(email=f"{role}@example.com", name=role, role=role) for role in Role}
    allowed = {
        (actor, target) for actor in Role for target in Role if may_manage(people[actor], target)
    }
    assert allowed == {
        (Role.owner, Role.owner),
        (Role.owner, Role.admin),
        (Role.owner, Role.worker),
        (Role.admin, Role.worker),
    }
    assert all(may_manage(None, role) for role in Role)  # the command line
