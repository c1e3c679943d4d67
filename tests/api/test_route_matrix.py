"""Every /api route is private unless it is on the short public list, and the office-only
ones look missing (404) to a worker: checked over the live route table, so a new route
cannot forget its guard."""

from __future__ import annotations

import re
import uuid

import pytest

from khs_crm.api import create_api
from tests.support.factories import bearer

PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/session"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/calendar/{token}.ics"),
    ("GET", "/sw.js"),
    ("GET", "/manifest.webmanifest"),
}
# Routes a worker may use (on their own jobs); every other /api route is office-only.
WORKER_ROUTES = {
    ("GET", "/api/auth/me"),
    ("DELETE", "/api/auth/session"),
    ("GET", "/api/customers"),
    ("GET", "/api/customers/search"),
    ("GET", "/api/customers/{customer_id}"),
    ("GET", "/api/jobs"),
    ("GET", "/api/jobs/{job_id}"),
    ("PUT", "/api/jobs/{job_id}/status"),
    ("GET", "/api/jobs/{job_id}/materials"),
    ("POST", "/api/jobs/{job_id}/materials"),
    ("PUT", "/api/materials/{material_id}"),
    ("PUT", "/api/materials/bulk-update"),
    ("GET", "/api/jobs/{job_id}/notes"),
    ("POST", "/api/jobs/{job_id}/notes"),
    ("GET", "/api/jobs/{job_id}/photos"),
    ("POST", "/api/jobs/{job_id}/photos"),
    ("POST", "/api/jobs/{job_id}/photos/presign"),
    ("POST", "/api/photos/{photo_id}/complete"),
    ("GET", "/api/photos/{photo_id}/file"),
    ("GET", "/api/photos/{photo_id}/thumbnail"),
    ("POST", "/api/sync/push"),
    ("GET", "/api/sync/pull"),
    ("GET", "/api/sync/status"),
    ("GET", "/api/sync/conflicts"),
    # A crew member's own time entries (docs/time.md), and what their phone reports.
    ("GET", "/api/time-entries"),
    ("POST", "/api/telemetry/vitals"),
    ("POST", "/api/telemetry/errors"),
}


# A valid body where the route checks its input before its rules.
BODIES = {
    ("POST", "/api/customers"): {"name": "Someone"},
    ("POST", "/api/jobs"): {"customerId": str(uuid.uuid4()), "title": "Something"},
    ("POST", "/api/jobs/{job_id}/assign"): {"userIds": []},
}
# Creating at the top of a collection the worker can read is a forbidden action: 403.
FORBIDDEN_FOR_WORKER = {("POST", "/api/customers"), ("POST", "/api/jobs")}


def _routes() -> list[tuple[str, str]]:
    """Every documented route, from the OpenAPI schema (the public view of the route table)."""
    paths = create_api().openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    )


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


ROUTES = _routes()


@pytest.fixture
def db_url(sqlite_url):
    """Guards do not depend on the database: SQLite only here (the per-route tests run both)."""
    return sqlite_url


def test_the_route_table_is_the_one_this_test_knows():
    known = PUBLIC | WORKER_ROUTES
    api_routes = {r for r in ROUTES if r[1].startswith("/api/")}
    unclassified = {r for r in api_routes if r not in known}
    # Office-only routes need no listing; this just shows the table is not empty.
    assert len(api_routes) > 30
    assert all(path.startswith("/api/") for _, path in unclassified)


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_anonymous_gets_401(client, method, path):
    response = client.request(method, _url(path), json={})
    assert response.status_code == 401, (method, path, response.text[:200])
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("method", "path"),
    [r for r in ROUTES if r not in PUBLIC and r not in WORKER_ROUTES and r[1].startswith("/api/")],
)
def test_office_only_routes_look_missing_to_a_worker(client, cast, method, path):
    body = BODIES.get((method, path), {})
    response = client.request(method, _url(path), json=body, headers=bearer(cast.worker_b))
    expected = 403 if (method, path) in FORBIDDEN_FOR_WORKER else 404
    assert response.status_code == expected, (method, path, response.text[:200])


@pytest.mark.parametrize(
    ("method", "path"), [r for r in sorted(WORKER_ROUTES) if "{" in r[1] and r in set(ROUTES)]
)
def test_rows_a_worker_cannot_see_are_404(client, cast, method, path):
    response = client.request(method, _url(path), json={}, headers=bearer(cast.worker_b))
    assert response.status_code in (404, 422), (method, path, response.text[:200])
    if response.status_code == 422:
        # Only a body the route refuses before looking the row up may answer 422.
        assert method in ("POST", "PUT")
