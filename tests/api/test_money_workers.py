"""Workers never receive money: every money route looks missing to them (404), and the routes
and pull they do use carry no price, cost, total or invoice."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from khs_crm.api import create_api
from tests.support.factories import bearer

MONEY_KEYS = {
    "unitCost",
    "unit_cost",
    "unitPrice",
    "subtotal",
    "tax",
    "amount",
    "paid",
    "balance",
    "cost",
    "margin",
    "invoiced",
    "approvedValue",
    "taxRate",
    "approvedEstimateId",
    "hourlyCost",
}  # fmt: skip ("total" is also a count: amounts are caught by their text, below)
AMOUNT = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+")
MONEY_TAGS = {"money", "estimates", "invoices"}
# Office routes that can carry money besides those tagged so: change orders (priced lines,
# totals), search (estimate and invoice numbers), the activity log (totals changed), the CSV
# exports and what a person costs an hour. (A person may read their own may-price flag.)
OFFICE_TAGS = {"change orders", "search", "activity"}
OFFICE_ROUTES = [
    ("GET", "/api/jobs/export.csv"),
    ("GET", "/api/timesheets/export.csv"),
    ("GET", "/api/users/{user_id}/hourly-cost"),
    ("PUT", "/api/users/{user_id}/hourly-cost"),
]


def _money_routes(tags: set[str] = MONEY_TAGS) -> list[tuple[str, str]]:
    paths = create_api().openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if tags & set(operation.get("tags", []))
    )


HIDDEN = [  # documented in docs/money.md, not in /api/openapi.json
    ("GET", "/api/estimates/{id}/pdf"),
    ("GET", "/api/invoices/{id}/pdf"),
]


def _scalars(value) -> list:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _scalars(v)]
    if isinstance(value, list):
        return [s for v in value for s in _scalars(v)]
    return [value]


def _strings(value) -> list[str]:
    return [s for s in _scalars(value) if isinstance(s, str)]


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture
def priced(client, cast):
    """A job with a priced material, an approved-ready estimate and an invoice."""
    owner = bearer(cast.owner)
    material = client.post(
        f"/api/jobs/{cast.job.id}/materials", json={"name": "Tile", "quantity": 2}, headers=owner
    ).json()["data"]
    client.put(
        f"/api/materials/{material['id']}/unit-cost", json={"unitCost": "9.99"}, headers=owner
    )
    line = {"kind": "labor", "quantity": "1", "unitPrice": "500.00"}
    estimate = client.post(
        f"/api/jobs/{cast.job.id}/estimates", json={"lines": [line]}, headers=owner
    ).json()["data"]
    invoice = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "deposit", "lines": [line]},
        headers=owner,
    ).json()["data"]
    return {"material": material, "estimate": estimate, "invoice": invoice}


def test_every_money_route_is_404_to_a_worker_even_on_their_own_job(client, cast, priced):
    ids = {
        "job_id": cast.job.id,
        "estimate_id": priced["estimate"]["id"],
        "invoice_id": priced["invoice"]["id"],
        "material_id": priced["material"]["id"],
        "id": priced["estimate"]["id"],
    }
    routes = _money_routes()
    assert len(routes) >= 20
    for method, path in [*routes, *HIDDEN]:
        url = re.sub(r"\{([^}]+)\}", lambda m: str(ids.get(m.group(1), uuid.uuid4())), path)
        if "invoices/{id}" in path:
            url = url.replace(str(ids["id"]), str(ids["invoice_id"]))
        response = client.request(method, url, json={}, headers=bearer(cast.worker_a))
        assert response.status_code == 404, (method, path, response.text[:200])


def test_the_routes_a_worker_uses_and_the_pull_carry_no_money(client, cast, priced):
    worker = bearer(cast.worker_a)
    for url in (
        f"/api/jobs/{cast.job.id}",
        f"/api/jobs/{cast.job.id}/materials",
        "/api/jobs",
        "/api/sync/pull?cursor=0&scope=all",
    ):
        response = client.get(url, headers=worker)
        assert response.status_code == 200, (url, response.text[:200])
        assert not (_keys(response.json()) & MONEY_KEYS), url
        # the unit cost, in any value but a clock time (":59.99…" is in some timestamps)
        said = [str(v) for v in _scalars(response.json()) if not TIMESTAMP.match(str(v))]
        assert not [text for text in said if "9.99" in text], url
        assert not [s for s in _strings(response.json()) if AMOUNT.match(s)], url
    pulled = client.get("/api/sync/pull?cursor=0&scope=all", headers=worker).json()
    assert priced["material"]["id"] in json.dumps(pulled)  # the material itself does arrive


def test_the_office_pull_carries_no_unit_cost_either(client, cast, priced):
    pulled = client.get("/api/sync/pull?cursor=0&scope=all", headers=bearer(cast.owner)).json()
    assert "unitCost" not in _keys(pulled) and "9.99" not in json.dumps(pulled)


def _no_money(body: str, *secrets: str) -> None:
    """Nothing money-related in a refusal: no money key, no amount, no document number."""
    assert not [s for s in secrets if s and s in body], body[:300]
    try:
        data = json.loads(body)
    except ValueError:
        return
    assert not (_keys(data) & MONEY_KEYS), body[:300]
    assert not [s for s in _strings(data) if AMOUNT.match(s)], body[:300]


@pytest.fixture
def approved(client, cast, priced):
    """``priced`` with its estimate sent and approved by the customer, and a priced change
    order written up by the office."""
    owner = bearer(cast.owner)
    sent = client.post(f"/api/estimates/{priced['estimate']['id']}/send", headers=owner)
    token = sent.json()["data"]["link"]["url"].rsplit("/", 1)[1]
    answer = client.post(
        f"/api/public/estimates/{token}/approve", data={"name": "Ana Muñoz", "agree": "yes"}
    )
    assert answer.status_code == 200, answer.text
    line = {"kind": "material", "description": "Extra tile", "quantity": "3", "unitPrice": "41.17"}
    change = client.post(
        f"/api/jobs/{cast.job.id}/change-orders",
        json={"description": "More tile", "lines": [line]},
        headers=owner,
    )
    assert change.status_code == 201, change.text
    return {**priced, "change_order": change.json()["data"]}


def test_the_office_job_detail_names_the_approved_estimate_and_a_worker_gets_no_key(
    client, cast, approved
):
    url = f"/api/jobs/{cast.job.id}"
    office = client.get(url, headers=bearer(cast.owner)).json()["data"]
    assert office["approvedEstimateId"] == approved["estimate"]["id"]
    worker = client.get(url, headers=bearer(cast.worker_a)).json()["data"]
    assert "approvedEstimateId" not in worker and worker["id"] == str(cast.job.id)
    written = client.put(
        url, json={"approvedEstimateId": approved["estimate"]["id"]}, headers=bearer(cast.owner)
    )
    assert written.status_code == 422  # read-only: computed from the estimates
    other = client.post(
        "/api/jobs",
        json={"customerId": str(cast.customer.id), "title": "Shed"},
        headers=bearer(cast.owner),
    ).json()["data"]
    fresh = client.get(f"/api/jobs/{other['id']}", headers=bearer(cast.admin)).json()["data"]
    assert fresh["approvedEstimateId"] is None


def test_change_orders_search_activity_and_exports_refuse_a_worker_with_no_money(
    client, cast, approved
):
    change = approved["change_order"]
    ids = {
        "job_id": cast.job.id,
        "change_order_id": change["id"],
        "user_id": cast.worker_a.id,
    }
    secrets = (
        change["number"],
        change["total"],
        approved["estimate"]["number"],
        approved["invoice"]["number"],
        "41.17",
        "500.00",
        "9.99",
    )
    routes = [*_money_routes(OFFICE_TAGS), *OFFICE_ROUTES]
    mine = ("GET", "/api/users/{user_id}/may-price-change-orders")  # their own flag: no money
    assert len(routes) >= 12 and mine in routes
    for method, path in [r for r in routes if r != mine]:
        url = re.sub(r"\{([^}]+)\}", lambda m: str(ids.get(m.group(1), uuid.uuid4())), path)
        for query in ("", "?q=E-0&entity=estimate", "?q=Ana"):
            response = client.request(method, url + query, json={}, headers=bearer(cast.worker_a))
            assert response.status_code in (403, 404), (method, path, response.text[:200])
            _no_money(response.text, *secrets)
    flag = client.get(
        f"/api/users/{cast.worker_a.id}/may-price-change-orders", headers=bearer(cast.worker_a)
    )
    assert flag.status_code == 200
    _no_money(flag.text, *secrets)
