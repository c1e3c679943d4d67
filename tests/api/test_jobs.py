"""/api/jobs: the role matrix, every workflow move, filters, detail, crews and error shapes."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Job, JobAssignment, JobStatus, Material, Role
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_customer, make_job, make_user
from tests.support.workflow_table import OFFICE_MOVES, WORKER_MOVES

S = JobStatus
MOVES = [(a, b) for a in JobStatus for b in JobStatus if a != b]


def auth(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def activity_of(session, entity_id) -> list[tuple[str, dict]]:
    session.expire_all()
    rows = session.exec(
        select(ActivityLog)
        .where(ActivityLog.entity_id == entity_id)
        .order_by(ActivityLog.created_at)
    ).all()
    return [(r.action, r.changes) for r in rows]


def _new_job(cast):
    return {"customerId": str(cast.customer.id), "title": "Bathroom"}


# role -> expected status; anonymous is always 401
ROUTES = [
    ("get", "/api/jobs", None, {"owner": 200, "admin": 200, "worker_a": 200, "worker_b": 200}),
    (
        "get",
        "/api/jobs/{job}",
        None,
        {"owner": 200, "admin": 200, "worker_a": 200, "worker_b": 404},
    ),
    ("post", "/api/jobs", _new_job, {"owner": 201, "admin": 201, "worker_a": 403, "worker_b": 403}),
    (
        "put",
        "/api/jobs/{job}",
        lambda c: {"title": "New title"},
        {"owner": 200, "admin": 200, "worker_a": 403, "worker_b": 404},
    ),
    (
        "delete",
        "/api/jobs/{job}",
        None,
        {"owner": 200, "admin": 200, "worker_a": 403, "worker_b": 404},
    ),
    (
        "put",
        "/api/jobs/{job}/status",
        lambda c: {"status": "in_progress"},
        {"owner": 200, "admin": 200, "worker_a": 200, "worker_b": 404},
    ),
    (
        "post",
        "/api/jobs/{job}/assign",
        lambda c: {"userIds": [str(c.worker_b.id)]},
        {"owner": 200, "admin": 200, "worker_a": 403, "worker_b": 404},
    ),
    (
        "get",
        "/api/jobs/export.csv",
        None,
        {"owner": 200, "admin": 200, "worker_a": 404, "worker_b": 404},
    ),
]


@sqlite_only
@pytest.mark.parametrize("role", ["owner", "admin", "worker_a", "worker_b", "anonymous"])
@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES)
def test_role_matrix(client, cast, role, method, path, body, expected):
    kwargs = {"headers": auth(cast, role)}
    if body is not None:
        kwargs["json"] = body(cast)
    response = client.request(method, path.format(job=cast.job.id), **kwargs)
    assert response.status_code == expected.get(role, 401), response.text
    if response.status_code >= 400:
        codes = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND"}
        assert response.json()["error"]["code"] == codes[response.status_code]


def test_hidden_job_is_404_exactly_like_a_missing_one(client, cast):
    hidden = client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.worker_b))
    missing = client.get(f"/api/jobs/{uuid.uuid4()}", headers=bearer(cast.worker_b))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# Workflow -----------------------------------------------------------------------------------


def _set_status(session, job, status):
    row = session.get(Job, job.id)
    row.status = status
    session.add(row)
    session.commit()


@sqlite_only
@pytest.mark.parametrize("role", ["owner", "admin", "worker_a"])
@pytest.mark.parametrize(("current", "target"), MOVES, ids=[f"{a}->{b}" for a, b in MOVES])
def test_every_workflow_move(client, session, cast, role, current, target):
    _set_status(session, cast.job, current)
    table = WORKER_MOVES if role == "worker_a" else OFFICE_MOVES
    allowed = table.get(current, [])
    response = client.put(
        f"/api/jobs/{cast.job.id}/status", json={"status": target}, headers=auth(cast, role)
    )
    session.expire_all()
    if target in allowed:
        assert response.status_code == 200, response.text
        assert response.json()["data"]["status"] == target
        job = session.get(Job, cast.job.id)
        assert job.status_version == job.version == response.json()["data"]["version"]
        assert job.status_changed_by_office is (role != "worker_a")
        return
    assert session.get(Job, cast.job.id).status == current
    if not allowed:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "FORBIDDEN"
        return
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "CONFLICT"
    assert error["details"] == [{"field": "status", "message": s.value} for s in allowed]


def test_status_move_needs_a_fresh_version_and_a_real_status(client, session, cast):
    url, owner = f"/api/jobs/{cast.job.id}/status", bearer(cast.owner)
    stale = client.put(url, json={"status": "quoted"}, headers={**owner, "If-Match": "1"})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "PRECONDITION_FAILED"
    bad = client.put(url, json={"status": "archived"}, headers=owner)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "status"
    fresh = client.put(
        url, json={"status": "quoted"}, headers={**owner, "If-Match": str(cast.job.version)}
    )
    assert fresh.status_code == 200
    assert activity_of(session, cast.job.id) == [
        ("status", {"status": {"old": "scheduled", "new": "quoted"}})
    ]


def test_moving_to_the_current_status_is_a_no_op(client, session, cast):
    response = client.put(
        f"/api/jobs/{cast.job.id}/status", json={"status": "scheduled"}, headers=bearer(cast.owner)
    )
    assert response.status_code == 200
    assert response.json()["data"]["version"] == cast.job.version
    assert activity_of(session, cast.job.id) == []


# Create -------------------------------------------------------------------------------------


def test_create_job_starts_as_a_lead_and_is_logged(client, session, cast):
    body = {
        "customerId": str(cast.customer.id),
        "title": "  Deck build ",
        "description": "Cedar",
        "siteAddress": "1 Main St",
        "scheduledStart": "2026-05-01T14:00:00Z",
        "scheduledEnd": "2026-05-03T22:00:00Z",
        "assignedUserIds": [str(cast.worker_b.id)],
    }
    response = client.post("/api/jobs", json=body, headers=bearer(cast.admin))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert set(data) == {
        "id", "version", "createdAt", "updatedAt", "customerId", "title", "description",
        "status", "siteAddress", "scheduledStart", "scheduledEnd", "assignedUserIds",
    }  # fmt: skip
    assert data["status"] == "lead" and data["title"] == "Deck build"
    assert data["assignedUserIds"] == [str(cast.worker_b.id)]
    assert datetime.fromisoformat(data["scheduledStart"]) == datetime(2026, 5, 1, 14, tzinfo=UTC)
    assert data["version"] > cast.job.version
    job_id = uuid.UUID(data["id"])
    [(action, changes)] = activity_of(session, job_id)
    assert action == "create" and changes["title"] == {"old": None, "new": "Deck build"}
    seen = client.get(f"/api/jobs/{job_id}", headers=bearer(cast.worker_b))
    assert seen.status_code == 200


def test_create_job_keeps_a_client_chosen_id_once(client, cast):
    body = {**_new_job(cast), "id": str(uuid.uuid4())}
    first = client.post("/api/jobs", json=body, headers=bearer(cast.owner))
    assert first.status_code == 201 and first.json()["data"]["id"] == body["id"]
    again = client.post("/api/jobs", json=body, headers=bearer(cast.owner))
    assert again.status_code == 409


@sqlite_only
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "scheduled"}, "status"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": None}, "title"),
        ({"customerId": "not-a-uuid"}, "customerId"),
        ({"version": 5}, "version"),
        ({"createdAt": "2026-01-01T00:00:00Z"}, "createdAt"),
        ({"updatedAt": "2026-01-01T00:00:00Z"}, "updatedAt"),
        ({"deletedAt": "2026-01-01T00:00:00Z"}, "deletedAt"),
        ({"colour": "red"}, "colour"),
        ({"scheduledStart": "tomorrow"}, "scheduledStart"),
        ({"description": "x" * 10001}, "description"),
        ({"title": "nul\x00byte"}, "title"),
        ({"assignedUserIds": [str(uuid.uuid4())]}, "userIds"),
        (
            {"scheduledStart": "2026-05-02T00:00:00Z", "scheduledEnd": "2026-05-01T00:00:00Z"},
            "scheduledEnd",
        ),
    ],
)
def test_create_job_rejects_bad_input(client, session, cast, change, field):
    response = client.post(
        "/api/jobs", json={**_new_job(cast), **change}, headers=bearer(cast.owner)
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]]
    assert len(session.exec(select(Job)).all()) == 1


def test_create_job_needs_a_live_customer(client, session, cast):
    gone = make_customer(session, name="Gone", deleted_at=datetime.now(UTC))
    for customer_id in (uuid.uuid4(), gone.id):
        body = {"customerId": str(customer_id), "title": "X"}
        response = client.post("/api/jobs", json=body, headers=bearer(cast.owner))
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "customerId"


# Update and delete --------------------------------------------------------------------------


def test_update_job_is_partial_and_logged(client, session, cast):
    response = client.put(
        f"/api/jobs/{cast.job.id}",
        json={"title": "Kitchen + pantry", "scheduledStart": "2026-06-01T13:00:00Z"},
        headers={**bearer(cast.admin), "If-Match": str(cast.job.version)},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["title"] == "Kitchen + pantry"
    assert data["description"] == cast.job.description and data["status"] == "scheduled"
    assert data["version"] > cast.job.version
    [(action, changes)] = activity_of(session, cast.job.id)
    assert action == "update"
    assert changes["title"] == {"old": "Kitchen remodel", "new": "Kitchen + pantry"}
    assert set(changes) == {"title", "scheduled_start"}


def test_update_job_refuses_status_stale_versions_and_bad_schedules(client, session, cast):
    url, owner = f"/api/jobs/{cast.job.id}", bearer(cast.owner)
    status = client.put(url, json={"status": "completed"}, headers=owner)
    assert status.status_code == 422
    assert status.json()["error"]["details"][0]["field"] == "status"
    assert "/status" in status.json()["error"]["details"][0]["message"]
    stale = client.put(url, json={"title": "X"}, headers={**owner, "If-Match": "999"})
    assert stale.status_code == 412
    assert stale.json()["error"]["details"] == [
        {"field": "version", "message": str(cast.job.version)}
    ]
    client.put(url, json={"scheduledStart": "2026-06-02T00:00:00Z"}, headers=owner)
    backwards = client.put(url, json={"scheduledEnd": "2026-06-01T00:00:00Z"}, headers=owner)
    assert backwards.status_code == 422
    bad_header = client.put(url, json={"title": "X"}, headers={**owner, "If-Match": "abc"})
    assert bad_header.status_code == 422
    session.expire_all()
    assert session.get(Job, cast.job.id).title == "Kitchen remodel"


def test_delete_job_is_a_soft_delete(client, session, cast):
    before = cast.job.version
    response = client.delete(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner))
    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(cast.job.id)
    session.expire_all()
    row = session.get(Job, cast.job.id)
    assert row.deleted_at is not None and row.version > before
    assert client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).status_code == 404
    listed = client.get("/api/jobs", headers=bearer(cast.owner)).json()
    assert listed["data"] == [] and listed["pagination"]["total"] == 0
    assert activity_of(session, cast.job.id) == [("delete", {})]


# Read ---------------------------------------------------------------------------------------


def test_job_detail_has_customer_crew_and_materials_summary(client, session, cast):
    for name, bought in (("Tile", True), ("Grout", False), ("Glue", False)):
        session.add(Material(job_id=cast.job.id, name=name, purchased=bought, version=1))
    session.add(Material(job_id=cast.job.id, name="Gone", deleted_at=datetime.now(UTC)))
    session.commit()
    data = client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.worker_a)).json()["data"]
    assert data["customer"] == {
        "id": str(cast.customer.id),
        "name": "Pat Customer",
        "phone": "(512) 555-0100",
        "email": "",
        "address": "",
    }
    assert data["crew"] == [
        {"id": str(cast.worker_a.id), "name": cast.worker_a.name, "email": cast.worker_a.email}
    ]
    assert data["materialsSummary"] == {"total": 3, "purchased": 1, "toBuy": 2}
    assert data["assignedUserIds"] == [str(cast.worker_a.id)]


def test_workers_list_only_their_jobs(client, session, cast):
    make_job(session, cast.customer, title="Office only")
    owner = client.get("/api/jobs", headers=bearer(cast.owner)).json()
    assert owner["pagination"] == {"page": 1, "pageSize": 25, "total": 2, "totalPages": 1}
    mine = client.get("/api/jobs", headers=bearer(cast.worker_a)).json()
    assert [j["id"] for j in mine["data"]] == [str(cast.job.id)]
    assert client.get("/api/jobs", headers=bearer(cast.worker_b)).json()["data"] == []


def test_list_filters(client, session, cast):
    other = make_customer(session, name="Other")
    base = datetime(2026, 7, 10, 15, tzinfo=UTC)
    early = make_job(session, other, title="Early", scheduled_start=base - timedelta(days=5))
    late = make_job(
        session, other, title="Late", status=S.quoted, scheduled_start=base, crew=[cast.worker_b]
    )
    owner = bearer(cast.owner)

    def titles(**params):
        response = client.get("/api/jobs", params=params, headers=owner)
        assert response.status_code == 200, response.text
        return sorted(j["title"] for j in response.json()["data"])

    assert titles(status="quoted") == ["Late"]
    assert titles(customerId=str(other.id)) == ["Early", "Late"]
    assert titles(assignedTo=str(cast.worker_b.id)) == ["Late"]
    assert titles(**{"from": "2026-07-10"}) == ["Late"]
    assert titles(to="2026-07-09") == ["Early"]
    assert titles(**{"from": "2026-07-05", "to": "2026-07-10"}) == ["Early", "Late"]
    assert titles(to="2026-07-10T15:00:00Z") == ["Early", "Late"]
    assert titles(to="2026-07-10T14:59:59+00:00") == ["Early"]
    assert titles(**{"from": "2026-07-10T15:00:01"}) == []
    assert early.id != late.id


def _exported(client, cast, **params) -> list[list[str]]:
    response = client.get("/api/jobs/export.csv", params=params, headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="jobs-')
    return list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"), newline="")))


def test_export_is_the_filtered_list_as_a_spreadsheet_safe_csv(client, session, cast):
    other = make_customer(session, name="=Other")
    base = datetime(2026, 7, 10, 15, tzinfo=UTC)
    make_job(session, other, title="Early", scheduled_start=base - timedelta(days=5))
    make_job(
        session,
        other,
        title="-Late",
        status=S.quoted,
        site_address="1 Main St",
        scheduled_start=base,
        scheduled_end=base + timedelta(hours=2),
        crew=[cast.worker_b, cast.worker_a],
    )
    header, *rows = _exported(client, cast)
    assert header == [
        "title", "customer", "status", "site_address",
        "scheduled_start", "scheduled_end", "crew", "created_at",
    ]  # fmt: skip
    assert sorted(r[0] for r in rows) == sorted(["Early", "'-Late", cast.job.title])
    (late,) = _exported(client, cast, status="quoted")[1:]
    crew = ", ".join(sorted([cast.worker_a.name, cast.worker_b.name]))
    assert late[:4] == ["'-Late", "'=Other", "quoted", "1 Main St"]
    assert late[4].startswith("2026-07-") and len(late[4]) == 16 and late[6] == crew
    assert [r[0] for r in _exported(client, cast, to="2026-07-09")[1:]] == ["Early"]
    mine = _exported(client, cast, assignedTo=str(cast.worker_b.id))
    assert [r[0] for r in mine[1:]] == ["'-Late"]


def test_export_is_for_the_office_and_checks_its_filters(client, cast):
    hidden = client.get("/api/jobs/export.csv", headers=bearer(cast.worker_a))
    assert hidden.status_code == 404
    bad = client.get("/api/jobs/export.csv?from=yesterday", headers=bearer(cast.owner))
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "from"


@sqlite_only
@pytest.mark.parametrize(
    "params",
    [
        {"status": "archived"},
        {"customerId": "nope"},
        {"assignedTo": "nope"},
        {"from": "2026-13-01"},
        {"to": "yesterday"},
        {"page": "0"},
        {"pageSize": "101"},
    ],
)
def test_list_rejects_bad_filters(client, cast, params):
    response = client.get("/api/jobs", params=params, headers=bearer(cast.owner))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_list_pages(client, session, cast):
    for n in range(4):
        make_job(session, cast.customer, title=f"Job {n}")
    page = client.get("/api/jobs?page=2&pageSize=2", headers=bearer(cast.admin)).json()
    assert page["pagination"] == {"page": 2, "pageSize": 2, "total": 5, "totalPages": 3}
    assert len(page["data"]) == 2


# Crew ---------------------------------------------------------------------------------------


def test_assign_replaces_the_crew_with_versions(client, session, cast):
    url, before = f"/api/jobs/{cast.job.id}/assign", cast.job.version
    body = {"userIds": [str(cast.worker_b.id), str(cast.worker_b.id)]}
    response = client.post(url, json=body, headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["assignedUserIds"] == [str(cast.worker_b.id)]
    assert data["version"] > cast.job.version
    session.expire_all()
    [row] = session.exec(select(JobAssignment).where(JobAssignment.job_id == cast.job.id)).all()
    # the job claims its version first (a concurrent crew change then gets 412), the row next
    assert row.user_id == cast.worker_b.id and before < data["version"] < row.version
    assert client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.worker_a)).status_code == 404
    assert client.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.worker_b)).status_code == 200
    [(action, changes)] = activity_of(session, cast.job.id)
    assert action == "assign"
    assert changes == {
        "assigned_user_ids": {"old": [str(cast.worker_a.id)], "new": [str(cast.worker_b.id)]}
    }
    again = client.post(url, json=body, headers=bearer(cast.owner))
    assert again.json()["data"]["version"] == data["version"]


def test_assign_takes_only_active_workers_and_names_the_rest(client, session, cast):
    retired = make_user(session, Role.worker, active=False)
    stranger = uuid.uuid4()
    bad = [cast.admin.id, retired.id, stranger]
    body = {"userIds": [str(cast.worker_b.id), *map(str, bad)]}
    response = client.post(f"/api/jobs/{cast.job.id}/assign", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"] == [{"field": "userIds", "message": str(i)} for i in bad]
    assert all(str(i) in error["message"] for i in bad)
    session.expire_all()
    crew = session.exec(select(JobAssignment.user_id)).all()
    assert crew == [cast.worker_a.id]
