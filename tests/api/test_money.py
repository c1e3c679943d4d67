"""Money over HTTP: estimates to the cent, the customer's link (approve once, revoked → 404),
invoices by percentage and final, payments, refunds, voids, 422 / 409 with details, PDFs."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from khs_crm.models import ActivityLog, Job, JobStatus
from tests.support.factories import bearer, make_customer, make_job

LINE = {
    "kind": "material",
    "description": "Quartz countertop",
    "quantity": "3",
    "unitPrice": "19.99",
}


def _estimate(client, cast, job=None, **body):
    job = job or cast.job
    payload = {"lines": [LINE], "taxRate": "8.25", **body}
    response = client.post(
        f"/api/jobs/{job.id}/estimates", json=payload, headers=bearer(cast.owner)
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def _send(client, cast, estimate_id):
    response = client.post(f"/api/estimates/{estimate_id}/send", headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    url = response.json()["data"]["link"]["url"]
    return "/" + url.split("/", 3)[3]  # the path: /e/<token>


def _approved(client, cast, **body):
    estimate = _estimate(client, cast, **body)
    path = _send(client, cast, estimate["id"])
    token = path.rsplit("/", 1)[1]
    answer = client.post(
        f"/api/public/estimates/{token}/approve", data={"name": "Ana Muñoz", "agree": "yes"}
    )
    assert answer.status_code == 200, answer.text
    return estimate


def _deposit(client, cast, estimate, percent="50"):
    """A deposit invoice on an approved estimate."""
    response = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "deposit", "estimateId": estimate["id"], "percent": percent},
        headers=bearer(cast.owner),
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_the_worked_example_over_http(client, cast):
    data = _estimate(client, cast)
    assert data["number"].startswith("E-")
    assert (data["subtotal"], data["tax"], data["total"]) == ("59.97", "4.95", "64.92")
    assert data["lines"][0]["amount"] == "59.97" and data["status"] == "draft"


def test_a_json_number_where_money_is_expected_is_422_naming_the_field(client, cast):
    bad = {**LINE, "unitPrice": 19.99}
    response = client.post(
        f"/api/jobs/{cast.job.id}/estimates", json={"lines": [bad]}, headers=bearer(cast.owner)
    )
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert any(f.startswith("lines.0") and f.endswith("unitPrice") for f in fields), fields


def test_numbers_follow_each_other_and_a_deleted_draft_keeps_its_number(client, cast, session):
    first = _estimate(client, cast)
    gone = client.delete(f"/api/estimates/{first['id']}", headers=bearer(cast.owner))
    assert gone.status_code == 200 and gone.json()["data"]["deletedAt"]
    second = _estimate(client, cast)
    n1, n2 = (int(x["number"].split("-")[-1]) for x in (first, second))
    assert n2 == n1 + 1
    assert (
        client.get(f"/api/estimates/{first['id']}", headers=bearer(cast.owner)).status_code == 404
    )
    listed = client.get("/api/estimates?includeDeleted=true", headers=bearer(cast.owner)).json()
    assert first["number"] in {e["number"] for e in listed["data"]}


def test_the_customer_link_approves_once_and_a_revoked_link_is_404(client, cast, session):
    estimate = _estimate(client, cast)
    path = _send(client, cast, estimate["id"])
    token = path.rsplit("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "64.92" in page.text and "<script" not in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]  # no inline script
    assert "img-src 'self' data:" in page.headers["Content-Security-Policy"]  # the logo's data:
    first = client.post(
        f"/api/public/estimates/{token}/approve",
        data={"name": "Ana Muñoz", "agree": "yes"},
        headers={"User-Agent": "phone"},
    )
    assert first.status_code == 200
    again = client.post(
        f"/api/public/estimates/{token}/approve", data={"name": "Someone Else", "agree": "yes"}
    )
    assert again.status_code == 409
    read = client.get(f"/api/estimates/{estimate['id']}", headers=bearer(cast.owner)).json()["data"]
    assert read["status"] == "approved" and read["approval"]["name"] == "Ana Muñoz"
    client.post(f"/api/estimates/{estimate['id']}/revoke-link", headers=bearer(cast.owner))
    assert client.get(path).status_code == 404
    assert client.get("/e/not-a-token").status_code == 404


def test_approval_needs_a_name_and_consent_and_a_sent_estimate_cannot_be_edited(client, cast):
    estimate = _estimate(client, cast)
    token = _send(client, cast, estimate["id"]).rsplit("/", 1)[1]
    missing = client.post(f"/api/public/estimates/{token}/approve", data={"name": "Ana"})
    assert missing.status_code == 422
    edit = client.put(
        f"/api/estimates/{estimate['id']}", json={"lines": []}, headers=bearer(cast.owner)
    )
    assert edit.status_code == 409
    assert edit.json()["error"]["details"][0]["field"] == "status"


def test_sending_quotes_a_lead_and_the_page_speaks_the_customers_language(client, cast, session):
    customer = make_customer(session, name="Ana Muñoz", language="es")
    job = make_job(session, customer)
    estimate = _estimate(client, cast, job=job)
    path = _send(client, cast, estimate["id"])
    session.expire_all()
    assert session.get(Job, job.id).status == JobStatus.quoted
    page = client.get(path)
    assert 'lang="es"' in page.text and "Aprobar" in page.text


def test_decline_then_revise_kills_the_old_link(client, cast):
    estimate = _estimate(client, cast)
    token = _send(client, cast, estimate["id"]).rsplit("/", 1)[1]
    declined = client.post(f"/api/public/estimates/{token}/decline", data={"reason": "Too dear"})
    assert declined.status_code == 200
    revised = client.post(f"/api/estimates/{estimate['id']}/revise", headers=bearer(cast.owner))
    assert revised.status_code == 201
    new = revised.json()["data"]
    assert (
        new["status"] == "draft" and new["revisesId"] == estimate["id"] and new["total"] == "64.92"
    )
    assert client.get(f"/e/{token}").status_code == 404


def test_invoices_by_percent_then_final_bill_exactly_the_estimate(client, cast):
    estimate = _approved(client, cast)
    owner = bearer(cast.owner)
    url = f"/api/jobs/{cast.job.id}/invoices"
    deposit = client.post(
        url, json={"kind": "deposit", "estimateId": estimate["id"], "percent": "30"}, headers=owner
    )
    assert deposit.status_code == 201, deposit.text
    d = deposit.json()["data"]
    # 30 % of 59.97 = 17.991 → 17.99; tax on 17.99 at 8.25 % = 1.484 → 1.48
    assert (d["subtotal"], d["tax"], d["total"]) == ("17.99", "1.48", "19.47")
    final = client.post(url, json={"kind": "final", "estimateId": estimate["id"]}, headers=owner)
    f = final.json()["data"]
    assert Decimal(d["total"]) + Decimal(f["total"]) == Decimal("64.92")
    nothing = client.post(url, json={"kind": "final", "estimateId": estimate["id"]}, headers=owner)
    assert nothing.status_code == 409


def test_an_estimate_that_is_not_approved_cannot_be_invoiced(client, cast):
    estimate = _estimate(client, cast)
    response = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "progress", "estimateId": estimate["id"], "percent": "50"},
        headers=bearer(cast.owner),
    )
    assert response.status_code == 409


def _invoice(client, cast, price="100.00"):
    line = {
        "kind": "labor",
        "description": "Demolition",
        "quantity": "1",
        "unitPrice": price,
        "taxable": False,
    }
    response = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "progress", "lines": [line]},
        headers=bearer(cast.owner),
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_payments_refunds_and_voids(client, cast, session):
    invoice = _invoice(client, cast)
    owner, admin = bearer(cast.owner), bearer(cast.admin)
    pay = f"/api/invoices/{invoice['id']}/payments"
    too_much = client.post(pay, json={"amount": "100.01", "method": "cash"}, headers=admin)
    assert (
        too_much.status_code == 422 and too_much.json()["error"]["details"][0]["field"] == "amount"
    )
    part = client.post(
        pay, json={"amount": "40.00", "method": "check", "reference": "#1001"}, headers=admin
    )
    assert part.status_code == 201
    assert part.json()["data"]["invoice"]["status"] == "partially_paid"
    assert part.json()["data"]["invoice"]["balance"] == "60.00"
    voided = client.post(f"/api/invoices/{invoice['id']}/void", headers=owner)
    assert voided.status_code == 409
    assert (
        client.post(pay, json={"amount": "-40.00", "method": "check"}, headers=admin).status_code
        == 403
    )
    refund = client.post(pay, json={"amount": "-40.00", "method": "check"}, headers=owner)
    assert refund.status_code == 201 and refund.json()["data"]["invoice"]["paid"] == "0.00"
    assert client.post(f"/api/invoices/{invoice['id']}/void", headers=owner).status_code == 200
    listed = client.get(pay, headers=owner).json()["data"]
    assert [p["amount"] for p in listed] == ["40.00", "-40.00"]
    logged = session.exec(
        ActivityLog.__table__.select().where(ActivityLog.entity.in_(["invoice", "payment"]))
    ).all()
    assert len(logged) >= 5


def test_csv_exports_carry_amounts_as_numbers(client, cast):
    invoice = _invoice(client, cast)
    client.post(
        f"/api/invoices/{invoice['id']}/payments",
        json={"amount": "25.50", "method": "card"},
        headers=bearer(cast.owner),
    )
    invoices = client.get("/api/invoices/export.csv", headers=bearer(cast.owner))
    assert invoices.status_code == 200 and invoice["number"] in invoices.text
    payments = client.get("/api/payments/export.csv", headers=bearer(cast.owner))
    header = payments.text.lstrip("\ufeff").splitlines()[0]
    assert header == "date,number,customer,amount,method,reference"
    assert ",25.50,card," in payments.text


def test_the_pdf_parses_back_with_its_totals(client, cast, session):
    estimate = _approved(client, cast, lines=[LINE, {**LINE, "description": "Muñoz tile"}])
    response = client.get(f"/api/estimates/{estimate['id']}/pdf", headers=bearer(cast.owner))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert estimate["number"] in text and "Muñoz tile" in text
    assert "$119.94" in text and "$9.90" in text and "$129.84" in text
    assert "Approved by Ana Muñoz" in text


def test_company_settings_are_the_owners(client, cast):
    body = {"name": "KHS Remodeling", "defaultTaxRate": "8.875", "invoicePrefix": "F-"}
    assert client.put("/api/company", json=body, headers=bearer(cast.admin)).status_code == 403
    saved = client.put("/api/company", json=body, headers=bearer(cast.owner))
    assert saved.status_code == 200 and saved.json()["data"]["defaultTaxRate"] == "8.875"
    invoice = _invoice(client, cast)
    assert invoice["number"].startswith("F-")
    bad = client.put("/api/company", json={"depositPercent": 30}, headers=bearer(cast.owner))
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "depositPercent"


@pytest.mark.parametrize("method", ["get"])
def test_the_job_money_card(client, cast, method):
    estimate = _approved(client, cast)
    owner = bearer(cast.owner)
    invoice = _deposit(client, cast, estimate)
    client.post(
        f"/api/invoices/{invoice['id']}/payments",
        json={"amount": "10.00", "method": "cash"},
        headers=owner,
    )
    material = client.post(
        f"/api/jobs/{cast.job.id}/materials", json={"name": "Tile", "quantity": 4}, headers=owner
    ).json()["data"]
    cost = client.put(
        f"/api/materials/{material['id']}/unit-cost", json={"unitCost": "5.25"}, headers=owner
    )
    assert cost.status_code == 200 and cost.json()["data"]["cost"] == "21.00"
    card = client.get(f"/api/jobs/{cast.job.id}/money", headers=owner).json()["data"]
    assert card["approvedValue"] == "64.92" and card["approvedEstimateId"] == estimate["id"]
    assert card["invoiced"] == invoice["total"] and card["paid"] == "10.00"
    assert card["materialsCost"] == "21.00"
    assert card["margin"] == str(Decimal("59.97") - Decimal("21.00"))
