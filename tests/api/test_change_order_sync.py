"""Change orders through sync (entity ``change_order``) and the office API: on SQLite and
PostgreSQL. Contract: docs/change_orders.md."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import select

from khs_crm.models import ChangeOrderPricer, SyncConflict
from khs_crm.services.change_orders import content
from tests.api.test_sync import op, pull_all, push
from tests.support.factories import bearer, make_job

FIXTURE = Path(__file__).parents[1] / "js" / "fixtures" / "change_order_hashes.json"
SIGNED_AT = "2026-12-01T14:02:10.123Z"
LINES = [
    {"kind": "labor", "description": "Move outlet", "quantity": "2.50", "unit": "h",
     "unitPrice": None, "taxable": True},
]  # fmt: skip


def draft(cast, co_id=None, *, lines=LINES, seq=1, job=None, **more):
    changes = {
        "jobId": str((job or cast.job).id),
        "number": None,
        "description": "While you're here: move that outlet",
        "lines": lines,
        "photoIds": [],
        "status": "draft",
        **more,
    }
    return op("change_order", "create", entity_id=co_id, changes=changes, seq=seq)


def signature(name="Dana Customer", content_hash=None):
    said = {"name": name, "svgPath": "M10 10 L60 40 L110 12", "signedAt": SIGNED_AT}
    return said | ({"contentHash": content_hash} if content_hash else {})


def expected_hash(
    cast, description="While you're here: move that outlet", lines=LINES, name="Dana Customer"
):
    return content.content_hash(
        content.signed_content(
            job_id=cast.job.id, description=description, lines=lines, photo_ids=[],
            signer_name=name, signed_at=SIGNED_AT,
        )
    )  # fmt: skip


def office_get(client, cast, co_id, user=None):
    response = client.get(f"/api/change-orders/{co_id}", headers=bearer(user or cast.owner))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_created_by_sync_numbered_once(client, cast):
    co_id = uuid.uuid4()
    create = draft(cast, co_id)
    (first,) = push(client, cast.worker_a, create)["results"]
    assert first["status"] == "applied", first
    (again,) = push(client, cast.worker_a, create)["results"]
    assert again["status"] == "duplicate"
    (other,) = push(client, cast.worker_a, draft(cast, seq=2))["results"]
    assert other["status"] == "applied"
    row = office_get(client, cast, co_id)
    assert row["number"] == "CO-0001" and row["status"] == "draft"
    assert row["lines"][0]["quantity"] == "2.5" and row["lines"][0]["unitPrice"] is None
    listed = client.get("/api/change-orders", headers=bearer(cast.owner)).json()
    assert sorted(r["number"] for r in listed["data"]) == ["CO-0001", "CO-0002"]
    changes, _ = pull_all(client, cast.worker_a)
    pulled = [c for c in changes if c["entity"] == "change_order"]
    assert {c["row"]["number"] for c in pulled} == {"CO-0001", "CO-0002"}
    changes_b, _ = pull_all(client, cast.worker_b)
    assert not [c for c in changes_b if c["entity"] == "change_order"]


def test_sign_with_the_right_hash_and_the_wrong_one(client, cast, session):
    good, bad = uuid.uuid4(), uuid.uuid4()
    push(client, cast.worker_a, draft(cast, good), draft(cast, bad, seq=2))
    sign = op("change_order", "update", entity_id=good, seq=3,
              changes={"signature": signature(content_hash=expected_hash(cast))})  # fmt: skip
    (signed,) = push(client, cast.worker_a, sign)["results"]
    assert signed["status"] == "applied", signed
    row = office_get(client, cast, good)
    assert row["status"] == "signed" and row["integrity"] == "ok"
    assert row["signature"]["contentHash"] == expected_hash(cast)
    assert row["signature"]["name"] == "Dana Customer"

    wrong = expected_hash(cast, description="Something else")
    sign_bad = op("change_order", "update", entity_id=bad, seq=4,
                  changes={"signature": signature(content_hash=wrong)})  # fmt: skip
    (refused,) = push(client, cast.worker_a, sign_bad)["results"]
    assert refused["status"] == "conflict", refused
    assert refused["error"]["reason"] == "change_order_changed"
    assert "changed between what the customer read and the signature" in refused["error"]["message"]
    assert office_get(client, cast, bad)["status"] == "draft"
    kept = session.exec(select(SyncConflict).where(SyncConflict.entity_id == bad)).one()
    assert kept.kind == "refused" and kept.changes["signature"]["contentHash"] == wrong


def test_a_signed_change_order_cannot_be_edited(client, cast, session):
    co_id = uuid.uuid4()
    push(client, cast.worker_a, draft(cast, co_id))
    sign = op("change_order", "update", entity_id=co_id, seq=2, changes={"signature": signature()})
    assert push(client, cast.worker_a, sign)["results"][0]["status"] == "applied"
    body = {"description": "changed", "lines": [], "photoIds": []}
    response = client.put(f"/api/change-orders/{co_id}", json=body, headers=bearer(cast.owner))
    assert response.status_code == 409, response.text
    edit = op("change_order", "update", entity_id=co_id, seq=3, changes={"description": "more"})
    (refused,) = push(client, cast.worker_a, edit)["results"]
    assert refused["status"] == "conflict" and refused["conflictId"]
    assert refused["error"]["reason"] == "change_order_signed"
    assert refused["serverRow"]["description"] == "While you're here: move that outlet"
    review = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"]
    mine = [c for c in review if c["entityId"] == str(co_id)]
    assert mine and mine[0]["reason"] == "change_order_signed"
    assert mine[0]["changes"] == {"description": "more"}
    assert office_get(client, cast, co_id)["integrity"] == "ok"


def test_a_change_behind_the_apps_back_shows_a_mismatch(client, cast, session):
    co_id = uuid.uuid4()
    push(client, cast.worker_a, draft(cast, co_id, signature=signature()))
    assert office_get(client, cast, co_id)["integrity"] == "ok"
    session.execute(
        text("UPDATE change_orders SET description = :d WHERE id = :i"),
        {
            "d": "Move two outlets",
            "i": co_id.hex if session.bind.dialect.name == "sqlite" else co_id,
        },
    )
    session.commit()
    session.expire_all()
    assert office_get(client, cast, co_id)["integrity"] == "mismatch"
    # What the customer signed is not what is stored: the office cannot build on it.
    priced = {"lines": [{**LINES[0], "unitPrice": "120.00"}]}
    for action, body in (("price", priced), ("approve", None)):
        refused = client.post(
            f"/api/change-orders/{co_id}/{action}", json=body, headers=bearer(cast.owner)
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["details"] == [{"field": "signature", "message": "mismatch"}]


def test_a_worker_without_permission_cannot_price(client, cast):
    priced = [{**LINES[0], "unitPrice": "120.00"}]
    (refused,) = push(client, cast.worker_a, draft(cast, lines=priced))["results"]
    assert refused["status"] == "rejected"
    assert refused["error"]["code"] == "FORBIDDEN"
    assert refused["error"]["reason"] == "change_order_price_not_allowed"
    assert refused["error"]["message"].startswith("You may not price change orders")


def test_prices_reach_only_permitted_workers_on_their_own_jobs(client, cast, session):
    other_job = make_job(session, cast.customer, crew=[cast.worker_b], title="Deck")
    priced = [{**LINES[0], "unitPrice": "120.00"}]
    body = {"description": "Office draft", "lines": priced, "photoIds": []}
    for job in (cast.job, other_job):
        response = client.post(
            f"/api/jobs/{job.id}/change-orders", json=body, headers=bearer(cast.owner)
        )
        assert response.status_code == 201, response.text
    # Without the permission: no prices, no totals.
    changes, _ = pull_all(client, cast.worker_a)
    rows = [c["row"] for c in changes if c["entity"] == "change_order"]
    assert rows and all(line["unitPrice"] is None for r in rows for line in r["lines"])
    assert all(r["total"] is None and r["subtotal"] is None for r in rows)
    # The owner allows worker A (an admin may not).
    url = f"/api/users/{cast.worker_a.id}/may-price-change-orders"
    assert (
        client.put(url, json={"mayPriceChangeOrders": True}, headers=bearer(cast.admin)).status_code
        == 403
    )
    response = client.put(url, json={"mayPriceChangeOrders": True}, headers=bearer(cast.owner))
    assert response.json()["data"]["mayPriceChangeOrders"] is True
    assert client.get(url, headers=bearer(cast.worker_a)).json()["data"]["mayPriceChangeOrders"]
    changes, _ = pull_all(client, cast.worker_a)
    rows = {c["row"]["jobId"]: c["row"] for c in changes if c["entity"] == "change_order"}
    assert set(rows) == {str(cast.job.id)}
    assert rows[str(cast.job.id)]["lines"][0]["unitPrice"] == "120"
    assert rows[str(cast.job.id)]["total"] == "300.00"
    # and may send prices now; worker B (not allowed) still receives none on their job.
    (applied,) = push(client, cast.worker_a, draft(cast, lines=priced, seq=5))["results"]
    assert applied["status"] == "applied"
    changes_b, _ = pull_all(client, cast.worker_b)
    rows_b = [c["row"] for c in changes_b if c["entity"] == "change_order"]
    assert rows_b and rows_b[0]["lines"][0]["unitPrice"] is None
    assert session.get(ChangeOrderPricer, cast.worker_b.id) is None


def test_priced_revision_approved_once_and_added_to_the_contract(client, cast, session):
    co_id = uuid.uuid4()
    push(client, cast.worker_a, draft(cast, co_id, signature=signature()))
    body = {"lines": [{"kind": "labor", "description": "Move outlet", "quantity": "2.5",
                       "unit": "h", "unitPrice": "80.00", "taxable": False}]}  # fmt: skip
    response = client.post(
        f"/api/change-orders/{co_id}/price", json=body, headers=bearer(cast.owner)
    )
    assert response.status_code == 201, response.text
    revision, url = response.json()["data"]["changeOrder"], response.json()["data"]["link"]["url"]
    assert revision["status"] == "sent" and revision["revisesId"] == str(co_id)
    assert revision["total"] == "200.00" and revision["number"] == "CO-0002"
    token = url.rsplit("/", 1)[1]
    page = client.get(f"/c/{token}")
    assert page.status_code == 200 and "CO-0002" in page.text
    form = {"name": "Dana Customer", "agree": "yes"}
    assert client.post(f"/api/public/change-orders/{token}/approve", data=form).status_code == 200
    assert client.post(f"/api/public/change-orders/{token}/approve", data=form).status_code == 409
    signed = office_get(client, cast, revision["id"])
    assert signed["status"] == "signed" and signed["integrity"] == "ok"
    approved = client.post(
        f"/api/change-orders/{revision['id']}/approve", headers=bearer(cast.owner)
    )
    assert approved.status_code == 200 and approved.json()["data"]["status"] == "approved"
    money = client.get(f"/api/jobs/{cast.job.id}/money", headers=bearer(cast.owner)).json()["data"]
    assert money["changeOrdersValue"] == "200.00"
    assert money["approvedValue"] == "200.00"
    # The PDF: parses, shows the signer and the total.
    pdf = client.get(f"/api/change-orders/{revision['id']}/pdf", headers=bearer(cast.owner))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Dana Customer" in words and "$200.00" in words and "CO-0002" in words


def test_the_pdf_draws_the_signature_and_says_photo_pending(client, cast):
    co_id = uuid.uuid4()
    photo = str(uuid.uuid4())
    push(client, cast.worker_a, draft(cast, co_id, photoIds=[photo], signature=signature()))
    pdf = client.get(f"/api/change-orders/{co_id}/pdf", headers=bearer(cast.owner))
    reader = PdfReader(io.BytesIO(pdf.content))
    words = "".join(p.extract_text() for p in reader.pages)
    assert "Signed by Dana Customer" in words
    assert "photo pending" in words
    assert "confirmed by the office" in words
    assert b" l" in reader.pages[0].get_contents().get_data()  # the signature's strokes


def test_the_js_fixture_hashes_match_the_server():
    cases = json.loads(FIXTURE.read_text())["cases"]
    assert len(cases) >= 3
    for case in cases:
        signed = case["signed"]
        assert content.canonical(signed).decode() == case["canonical"], case["name"]
        assert content.content_hash(signed) == case["contentHash"], case["name"]
        assert content.signed_content(
            job_id=signed["jobId"], description=signed["description"], lines=case["linesAsTyped"],
            photo_ids=signed["photoIds"], signer_name=signed["signerName"],
            signed_at=signed["signedAt"],
        ) == signed  # fmt: skip


def test_an_approved_change_order_is_billed_by_the_final_invoice(client, cast):
    owner = bearer(cast.owner)
    line = {"kind": "labor", "description": "Kitchen", "quantity": "1", "unitPrice": "1000.00"}
    estimate = client.post(
        f"/api/jobs/{cast.job.id}/estimates", json={"lines": [line], "taxRate": "0"}, headers=owner
    ).json()["data"]
    sent = client.post(f"/api/estimates/{estimate['id']}/send", headers=owner).json()["data"]
    token = sent["link"]["url"].rsplit("/", 1)[1]
    form = {"name": "Dana Customer", "agree": "yes"}
    assert client.post(f"/api/public/estimates/{token}/approve", data=form).status_code == 200
    deposit = {"kind": "deposit", "estimateId": estimate["id"], "percent": "30"}
    assert (
        client.post(f"/api/jobs/{cast.job.id}/invoices", json=deposit, headers=owner).status_code
        == 201
    )
    co_id = uuid.uuid4()
    push(client, cast.worker_a, draft(cast, co_id, signature=signature()))
    priced = {"lines": [{**LINES[0], "unitPrice": "80.00"}], "taxRate": "10"}
    revision = client.post(f"/api/change-orders/{co_id}/price", json=priced, headers=owner)
    data = revision.json()["data"]
    token = data["link"]["url"].rsplit("/", 1)[1]
    assert client.post(f"/api/public/change-orders/{token}/approve", data=form).status_code == 200
    rid = data["changeOrder"]["id"]
    assert client.post(f"/api/change-orders/{rid}/approve", headers=owner).status_code == 200
    money = client.get(f"/api/jobs/{cast.job.id}/money", headers=owner).json()["data"]
    assert money["approvedValue"] == "1220.00" and money["changeOrdersValue"] == "220.00"
    final = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "final", "estimateId": estimate["id"]},
        headers=owner,
    )
    assert final.status_code == 201, final.text
    invoice = final.json()["data"]
    assert invoice["total"] == "920.00"  # 700 left of the estimate + 200 + 20 tax
    assert any(line["description"].startswith("CO-0002") for line in invoice["lines"])
    again = client.post(
        f"/api/jobs/{cast.job.id}/invoices",
        json={"kind": "final", "estimateId": estimate["id"]},
        headers=owner,
    )
    assert again.status_code == 409  # nothing left: the change order is billed once
