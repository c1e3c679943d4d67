"""Who may do what on every /api/customers route.

Rules: a row the user may not see answers 404 exactly like a missing row; a forbidden
action on a row the user can see answers 403; office-only routes answer 404 to workers
(khs_crm.api.deps.office_user); no credentials answer 401.
"""

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Customer
from tests.support.databases import sqlite_only
from tests.support.factories import bearer

ROLES = ("owner", "admin", "worker_a", "worker_b", "anonymous")

# route -> expected status for owner, admin, worker_a (on cast.job), worker_b, anonymous
MATRIX = {
    ("GET", "/api/customers"): (200, 200, 200, 200, 401),
    ("GET", "/api/customers/search?q=pat"): (200, 200, 200, 200, 401),
    ("GET", "/api/customers/{id}"): (200, 200, 200, 404, 401),
    ("POST", "/api/customers"): (201, 201, 403, 403, 401),
    ("PUT", "/api/customers/{id}"): (200, 200, 403, 404, 401),
    ("DELETE", "/api/customers/{id}"): (200, 200, 403, 404, 401),
    ("GET", "/api/customers/export.csv"): (200, 200, 404, 404, 401),
    ("POST", "/api/customers/import"): (201, 201, 404, 404, 401),
}
CASES = [
    pytest.param(method, path, role, statuses[i], id=f"{method} {path} {role}")
    for (method, path), statuses in MATRIX.items()
    for i, role in enumerate(ROLES)
]
WRITES = {"POST", "PUT", "DELETE"}


def _request(client, method: str, path: str, headers: dict):
    if path.endswith("/import"):
        files = {"file": ("c.csv", b"name,phone\nNew Person,512 555 0110\n", "text/csv")}
        return client.post(path, files=files, headers=headers)
    body = {"name": "Changed Name"} if method in ("POST", "PUT") else None
    return client.request(method, path, json=body, headers=headers)


@sqlite_only
@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_role_matrix(client, cast, session, method, path, role, expected):
    headers = {} if role == "anonymous" else bearer(getattr(cast, role))
    response = _request(client, method, path.format(id=cast.customer.id), headers)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]["code"] in {"UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"}
    if expected >= 400 and method in WRITES:
        session.expire_all()
        live = session.exec(select(Customer).where(Customer.deleted_at.is_(None))).all()
        assert [(c.id, c.name) for c in live] == [(cast.customer.id, "Pat Customer")]
        assert session.exec(select(ActivityLog)).all() == []


def test_worker_list_and_search_show_only_their_customers(client, cast):
    for role, expected in (("worker_a", ["Pat Customer"]), ("worker_b", [])):
        for path in ("/api/customers", "/api/customers/search?q=pat"):
            response = client.get(path, headers=bearer(getattr(cast, role)))
            assert [c["name"] for c in response.json()["data"]] == expected, (role, path)


def test_worker_b_cannot_tell_a_hidden_customer_from_a_missing_one(client, cast):
    hidden = client.put(
        f"/api/customers/{cast.customer.id}", json={"name": "X"}, headers=bearer(cast.worker_b)
    )
    missing = client.put(
        f"/api/customers/{cast.customer.id.hex[:-4]}beef",
        json={"name": "X"},
        headers=bearer(cast.worker_b),
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
