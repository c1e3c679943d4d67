"""The office's change-order screens in a real browser, at 1440×900 and 1024×768: a change order
written up and signed on a phone (sent through the sync push as the field app sends it) waits
under "To price"; the office prices it and gets the customer link; the customer approves it
through the link; the office approves it; the PDF link downloads a PDF; the job page lists it
and its money card adds it; axe finds nothing critical or serious and nothing scrolls sideways."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import DEMO_PASSWORD, OWNER, SIDEWAYS, approve_by_link, axe_problems, sign_in
from tests.e2e.test_office_axe import _settled
from tests.e2e.test_office_flow import go

office = field_pwa.office

pytestmark = pytest.mark.e2e

VIEWPORTS = ({"width": 1440, "height": 900}, {"width": 1024, "height": 768})
SIGNED = {"name": "Dana Customer", "svgPath": "M20 80 L60 20 L100 70 M130 40 L220 60",
          "signedAt": "2026-12-01T14:02:10.123Z"}  # fmt: skip
LINE = {"kind": "labor", "description": "Move outlet", "quantity": "2.5", "unit": "h",
        "unitPrice": None, "taxable": True}  # fmt: skip


def signed_on_the_phone(browser, url: str, crew: dict) -> str:
    """The crew member's phone pushes a change order written up and signed on site (one
    operation, as the field app's outbox sends it); returns its id."""
    phone = browser.new_context(base_url=url)
    try:
        signed = phone.request.post(
            "/api/auth/session", data={"email": crew["email"], "password": DEMO_PASSWORD}
        )
        assert signed.ok, signed.text()
        co_id = str(uuid.uuid4())
        changes = {
            "jobId": crew["job"]["id"], "number": None, "lines": [LINE], "photoIds": [],
            "description": f"While you're here: move the outlet by the sink {crew['tag']}",
            "status": "draft",
            "signature": SIGNED,
        }  # fmt: skip
        op = {"opId": str(uuid.uuid4()), "seq": 1, "entity": "change_order", "entityId": co_id,
              "action": "create", "changes": changes, "baseVersion": None}  # fmt: skip
        pushed = phone.request.post(
            "/api/sync/push",
            data={"clientId": f"e2e-{crew['tag']}", "operations": [op]},
            headers={"X-KHS-CSRF": "1", "Origin": url},
        )
        assert pushed.ok, pushed.text()
        (result,) = pushed.json()["data"]["results"]
        assert result["status"] == "applied", result
        return co_id
    finally:
        phone.close()


def _check(page: Page, viewport: dict, found: dict, name: str) -> None:
    """axe (critical/serious) and, at 1024, no sideways scroll, on what shows now."""
    if bad := axe_problems(page):
        found[name] = bad
    if viewport["width"] == 1024 and (extra := page.evaluate(SIDEWAYS)) > 0:
        found[name + " (sideways)"] = [f"{extra}px"]


def _customer_approves(browser, url: str, link: str) -> None:
    customer = browser.new_context(base_url=url, viewport={"width": 390, "height": 844})
    try:
        tab = customer.new_page()
        tab.goto(link)
        expect(tab.get_by_text("$123.75").first).to_be_visible()
        approve_by_link(tab, "Dana Customer")
        expect(tab.get_by_text("the change order is approved")).to_be_visible()
    finally:
        customer.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_price_approve_and_print_a_change_order_signed_on_site(
    browser, app_server, office, server_log_clean, viewport
):
    url, shots = app_server["url"], app_server["data"]
    size = f"{viewport['width']}"
    crew = field_pwa.make_crew(
        office, person="Crew", job_title="Kitchen", materials=[{"name": "Outlet"}]
    )
    co_id = signed_on_the_phone(browser, url, crew)
    number = office.call("GET", f"/api/change-orders/{co_id}")["number"]
    context = browser.new_context(base_url=url, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        sign_in(page, OWNER)
        page.get_by_role("heading", name="Dashboard").wait_for()
        go(page, "Change orders")
        page.get_by_role("heading", name="Change orders", level=1).wait_for()
        tab = page.get_by_role("button", name=re.compile(r"^To price"))
        expect(tab).to_have_attribute("aria-pressed", "true")
        row = page.get_by_role("table", name="Change orders").get_by_role("row", name=number)
        expect(row).to_contain_text("to be priced")
        expect(row).to_contain_text("Signed")
        expect(row.get_by_role("link", name=crew["job"]["title"])).to_have_attribute(
            "href", f"/jobs/{crew['job']['id']}"
        )
        page.screenshot(path=str(shots / f"co-list-{size}.png"), full_page=True)
        _check(page, viewport, found, "list")

        row.get_by_role("link", name=number).click()
        page.get_by_role("heading", name=f"Change order {number}").wait_for()
        signature = page.get_by_role("img", name="Signature of Dana Customer")
        assert (signature.locator("path").get_attribute("d") or "").count("M") == 2
        expect(page.get_by_text("Unchanged since the customer signed it.")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download PDF").click()
        pdf = download.value
        assert pdf.suggested_filename == f"{number}.pdf"
        with open(pdf.path(), "rb") as body:
            assert body.read(5) == b"%PDF-"
        _check(page, viewport, found, "change order")

        page.get_by_role("button", name="Price", exact=True).click()
        dialog = page.get_by_role("dialog", name="Price this change order")
        dialog.get_by_label("Unit price, line 1").fill("45")
        dialog.get_by_label("Tax rate (%)").fill("10")
        dialog.get_by_label("Tax rate (%)").press("Tab")
        expect(dialog.locator("#co-price-total")).to_have_text("$123.75")  # 2.5 × 45 + 10 %
        page.screenshot(path=str(shots / f"co-price-{size}.png"))
        _check(page, viewport, found, "price dialog")
        dialog.get_by_role("button", name="Price and make the link").click()
        link = page.get_by_label("Customer link")
        expect(link).to_have_value(re.compile(r"/c/[A-Za-z0-9_-]{20,}$"))
        revision = page.get_by_role("link", name=re.compile(r"^CO-")).filter(has_not_text=number)
        page.screenshot(path=str(shots / f"co-priced-{size}.png"), full_page=True)

        _customer_approves(browser, url, link.input_value())
        revision.first.click()
        page.get_by_role("heading", name=re.compile(r"^Change order CO-")).wait_for()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status").filter(has_text="is approved")).to_contain_text(
            "adds $123.75 to the job's value"
        )
        expect(page.locator(".page-subtitle")).to_contain_text("Approved")
        page.screenshot(path=str(shots / f"co-approved-{size}.png"), full_page=True)

        page.goto(f"/jobs/{crew['job']['id']}")
        cards = page.get_by_role("region", name="Change orders")
        expect(cards.get_by_role("link", name=number)).to_be_visible()
        money = page.get_by_role("region", name="Money")
        expect(money.locator(".money-parts")).to_have_text(
            "approved estimate $0.00 + change orders $123.75"
        )
        _settled(page)
        cards.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"co-job-{size}.png"), full_page=True)
        _check(page, viewport, found, "job")
    finally:
        context.close()
    assert not found, found


def test_the_owner_lets_a_worker_price_change_orders(browser, app_server, office, server_log_clean):
    crew = field_pwa.make_crew(
        office, person="Pricer", job_title="Porch", materials=[{"name": "Nails"}]
    )
    worker = crew["worker"]
    context = browser.new_context(
        base_url=app_server["url"], viewport={"width": 1024, "height": 768}, bypass_csp=True
    )
    page = context.new_page()
    try:
        sign_in(page, OWNER)
        page.get_by_role("heading", name="Dashboard").wait_for()
        go(page, "People")
        switch = page.get_by_role("checkbox", name=f"May price change orders, {worker['name']}")
        expect(switch).not_to_be_checked()
        switch.click()  # the page's state answers: checked once the owner's choice is saved
        said = f"{worker['name']} may now price change orders on their jobs."
        expect(page.get_by_text(said)).to_be_visible()
        expect(switch).to_be_checked()
        page.screenshot(path=str(app_server["data"] / "co-people-1024.png"), full_page=True)
        assert page.evaluate(SIDEWAYS) <= 0
        assert not axe_problems(page)
        allowed = office.call("GET", f"/api/users/{worker['id']}/may-price-change-orders")
        assert allowed["mayPriceChangeOrders"] is True
        switch.click()
        expect(
            page.get_by_text(f"{worker['name']} no longer prices change orders.")
        ).to_be_visible()
        expect(switch).not_to_be_checked()
        allowed = office.call("GET", f"/api/users/{worker['id']}/may-price-change-orders")
        assert allowed["mayPriceChangeOrders"] is False
    finally:
        context.close()
