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
    "unitCost", "unit_cost", "unitPrice", "subtotal", "tax", "amount", "paid",
    "balance", "cost", "margin", "invoiced", "approvedValue", "taxRate",
}  # fmt: skip ("total" is also a count: amounts are caught by their text, below)
AMOUNT = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MONEY_TAGS = {"money", "estimates", "invoices"}


def _money_routes() -> list[tuple[str, str]]:
    paths = create_api().openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if MONEY_TAGS & set(operation.get("tags", []))
    )


HIDDEN = [  # documented in docs/money.md, not in /api/openapi.json
    ("GET", "/api/estimates/{id}/pdf"),
    ("GET", "/api/invoices/{id}/pdf"),
]


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


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
        assert "9.99" not in json.dumps(response.json()), url
        assert not [s for s in _strings(response.json()) if AMOUNT.match(s)], url
    pulled = client.get("/api/sync/pull?cursor=0&scope=all", headers=worker).json()
    assert priced["material"]["id"] in json.dumps(pulled)  # the material itself does arrive


def test_the_office_pull_carries_no_unit_cost_either(client, cast, priced):
    pulled = client.get("/api/sync/pull?cursor=0&scope=all", headers=bearer(cast.owner)).json()
    assert "unitCost" not in _keys(pulled) and "9.99" not in json.dumps(pulled)
