"""The company's logo where customers see it: at the top of the estimate's and invoice's PDF
(parsed back: an image is there, and none without a logo) and on the customer's pages
(inside the page, the stored PNG); the office reads it at /api/company/logo, a worker finds
nothing there. Also the accountant's CSV columns and a unit cost refused in words."""

from __future__ import annotations

import base64
import io
import re
import uuid

import pytest
from PIL import Image
from pypdf import PdfReader

from khs_crm.integrations import storage
from khs_crm.services.money import logo
from khs_crm.settings import get_settings
from tests.api.test_change_order_sync import draft, signature
from tests.api.test_money import _estimate, _invoice, _send
from tests.api.test_sync import push
from tests.support.factories import bearer
from tests.support.photo_files import image_bytes

DATA_IMAGE = re.compile(r"<img class=logo src='data:image/png;base64,([A-Za-z0-9+/=]+)' alt=''>")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """This test's own storage folder (the app's cached settings and storage forgotten)."""
    monkeypatch.setenv("KHS_UPLOADS_DIR", str(tmp_path / "store"))
    get_settings.cache_clear()
    storage.get_storage.cache_clear()
    yield tmp_path / "store"
    get_settings.cache_clear()
    storage.get_storage.cache_clear()


def _with_logo(session, cast) -> bytes:
    logo.save_logo(session, data=image_bytes("PNG", (900, 300), color="teal"), actor=cast.owner)
    session.commit()
    return logo.logo_bytes() or b""


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_office_reads_the_logo_and_a_worker_finds_nothing(client, cast, session, store):
    owner = bearer(cast.owner)
    missing = client.get("/api/company/logo", headers=owner)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    stored = _with_logo(session, cast)
    shown = client.get("/api/company/logo", headers=owner)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert shown.content == stored and Image.open(io.BytesIO(stored)).size == (900, 300)
    assert client.get("/api/company/logo", headers=bearer(cast.worker_a)).status_code == 404
    assert client.get("/api/company/logo").status_code == 401


def test_the_pdfs_carry_the_logo_once_there_is_one(client, cast, session, store):
    owner = bearer(cast.owner)
    estimate = _estimate(client, cast)
    invoice = _invoice(client, cast)
    paths = (f"/api/estimates/{estimate['id']}/pdf", f"/api/invoices/{invoice['id']}/pdf")
    assert [_images(client.get(p, headers=owner).content) for p in paths] == [0, 0]
    _with_logo(session, cast)
    for path in paths:
        pdf = client.get(path, headers=owner).content
        assert _images(pdf) == 1, path
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        picture = page.images[0].image
        assert picture.size == (900, 300)
        text = page.extract_text()
        assert "$64.92" in text or "$100.00" in text  # the totals still print below it


def test_the_customer_pages_show_the_logo(client, cast, session, store):
    estimate = _estimate(client, cast)
    path = _send(client, cast, estimate["id"])
    assert "class=logo" not in client.get(path).text
    stored = _with_logo(session, cast)
    page = client.get(path)
    found = DATA_IMAGE.search(page.text)
    assert page.status_code == 200 and found and base64.b64decode(found[1]) == stored
    invoice = _invoice(client, cast)
    sent = client.post(f"/api/invoices/{invoice['id']}/send", headers=bearer(cast.owner))
    invoice_path = "/" + sent.json()["data"]["link"]["url"].split("/", 3)[3]
    assert DATA_IMAGE.search(client.get(invoice_path).text)


def test_the_accountants_files_have_the_columns_an_import_expects(client, cast):
    invoice = _invoice(client, cast)
    client.post(
        f"/api/invoices/{invoice['id']}/payments",
        json={"amount": "40.00", "method": "check", "reference": "Check 1043"},
        headers=bearer(cast.owner),
    )
    for path, expected in (
        ("/api/invoices/export.csv", "date,number,customer,kind,status,subtotal,tax,amount"),
        ("/api/payments/export.csv", "date,number,customer,amount,method,reference"),
    ):
        response = client.get(path, headers=bearer(cast.owner))
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        assert "attachment" in response.headers["content-disposition"]
        rows = response.text.lstrip("\ufeff").splitlines()
        assert rows[0].startswith(expected) and invoice["number"] in rows[1]
        assert client.get(path, headers=bearer(cast.worker_a)).status_code == 404


@pytest.mark.parametrize(
    "value",
    [9.99, "9.999", "-1.00", "nine"],
    ids=["json-number", "three-decimals", "negative", "words"],
)
def test_a_bad_unit_cost_is_422_naming_the_field(client, cast, value):
    owner = bearer(cast.owner)
    material = client.post(
        f"/api/jobs/{cast.job.id}/materials", json={"name": "Tile", "quantity": 4}, headers=owner
    ).json()["data"]
    response = client.put(
        f"/api/materials/{material['id']}/unit-cost", json={"unitCost": value}, headers=owner
    )
    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert detail["field"] == "unitCost" and "2 decimals" in detail["message"]


def test_the_change_order_page_shows_the_company_as_the_estimate_page_does(
    client, cast, session, store
):
    co_id = uuid.uuid4()
    push(client, cast.worker_a, draft(cast, co_id, signature=signature()))
    body = {"lines": [{"kind": "labor", "description": "Move outlet", "quantity": "1",
                       "unitPrice": "80.00", "taxable": False}]}  # fmt: skip
    priced = client.post(f"/api/change-orders/{co_id}/price", json=body, headers=bearer(cast.owner))
    path = "/c/" + priced.json()["data"]["link"]["url"].rsplit("/", 1)[1]
    owner = bearer(cast.owner)
    company = {
        "name": "Harper Remodeling",
        "address": "12 Oak St, Austin, TX",
        "phone": "512-555-0100",
    }
    assert client.put("/api/company", json=company, headers=owner).status_code == 200
    stored = _with_logo(session, cast)
    page = client.get(path)
    found = DATA_IMAGE.search(page.text)
    assert page.status_code == 200 and found and base64.b64decode(found[1]) == stored
    header = re.search(r"<header>(.*?)</header>", page.text, re.S)
    assert header and all(value in header[1] for value in company.values())
