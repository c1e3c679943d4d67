"""The money screens in a real browser at 1440×900: the company's tax rate, an estimate typed
with the keyboard only (Tab through a line, Enter adds the next) with its running totals (the
issue's example), sent, approved once by the customer through the link (a second approval is
refused), a deposit invoice, a payment, and the job's money card; the approved job waiting for
a date on the dashboard, and a second estimate's link revoked from its page (404 to the
customer); axe finds nothing critical or serious on the money screens, at 1440 and at 1024
(no sideways scroll there)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import OWNER, approve_by_link, judge_at_both_widths, sign_in
from tests.e2e.test_office_flow import go, open_as

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots" / "money"


def _settled(page: Page) -> None:
    page.locator("main h1").first.wait_for()
    page.wait_for_function("() => !document.querySelector('main .empty[role=status]')")


def _set_tax_rate(page: Page, rate: str) -> None:
    go(page, "Company")
    page.get_by_role("heading", name="Company settings").wait_for()
    field = page.get_by_label("Default tax rate (%)")
    field.fill(rate)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Company settings saved.")).to_be_visible()


def _open_lead_job(page: Page) -> str:
    page.goto("/jobs/list?status=lead")
    _settled(page)
    page.get_by_role("table", name="Jobs").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    page.get_by_role("region", name="Money").wait_for()
    return page.url


def _type_line(page: Page) -> None:
    """Line 1 from the keyboard alone: Tab from cell to cell, Enter for the next line."""
    page.get_by_label("Description, line 1").focus()
    keys = page.keyboard
    keys.type("GFCI outlet")
    keys.press("Tab")
    keys.type("3")
    keys.press("Tab")
    keys.type("ea")
    keys.press("Tab")
    keys.type("19.99")
    keys.press("Enter")
    expect(page.get_by_label("Description, line 2")).to_be_focused()


def test_estimate_keyboard_entry_send_approve_invoice_and_payment(page: Page, browser, app_server):
    open_as(page, "/")
    _set_tax_rate(page, "8.25")
    job_url = _open_lead_job(page)
    money = page.get_by_role("region", name="Money")
    money.get_by_role("button", name="New estimate", exact=True).click()
    page.wait_for_url(re.compile(r"/estimates/[0-9a-f-]{36}$"))
    page.get_by_label("Description, line 1").wait_for()
    _type_line(page)
    totals = page.get_by_role("status", name="Totals")
    expect(totals.locator("#estimate-subtotal")).to_have_text("$59.97")
    expect(totals.locator("#estimate-tax")).to_have_text("$4.95")
    expect(totals.locator("#estimate-total")).to_have_text("$64.92")
    expect(
        page.get_by_role("row").filter(has=page.get_by_label("Description, line 1"))
    ).to_contain_text("$59.97")
    # line 2 typed straight on, no waiting: no key is lost; then it is removed again
    for key in ("Labor", "Tab", "2", "Tab", "hr", "Tab", "45", "Tab"):
        page.keyboard.press(key) if key == "Tab" else page.keyboard.type(key)
    line_2 = page.get_by_role("row").filter(has=page.get_by_label("Description, line 2"))
    expect(line_2).to_contain_text("$90.00")
    expect(totals.locator("#estimate-total")).to_have_text("$162.34")
    page.get_by_role("button", name="Remove line 2").click()
    expect(totals.locator("#estimate-total")).to_have_text("$64.92")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    pdf = page.get_by_role("link", name="Download PDF")
    expect(pdf).to_have_attribute("download", "")
    page.get_by_role("button", name="Send", exact=True).click()
    link = page.get_by_label("Customer link")
    expect(link).to_have_value(re.compile(r"/e/[A-Za-z0-9_-]{20,}$"))
    url = link.input_value()
    expect(page.locator(".page-subtitle")).to_contain_text("Sent")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url

    customer = browser.new_context(
        base_url=app_server["url"], viewport={"width": 390, "height": 844}
    )
    first, second = customer.new_page(), customer.new_page()
    for tab in (first, second):
        tab.goto(url)
        expect(tab.get_by_text("$64.92").first).to_be_visible()
    approve_by_link(first)
    expect(first.get_by_text("the estimate is approved")).to_be_visible()
    approve_by_link(second)
    expect(second.get_by_text("no longer open for an answer")).to_be_visible()
    customer.close()

    page.reload()
    expect(page.locator(".page-subtitle")).to_contain_text("Approved")
    expect(page.get_by_text("Approved by Ana Muñoz")).to_be_visible()

    page.goto(job_url)
    money = page.get_by_role("region", name="Money")
    expect(money.get_by_text("$64.92").first).to_be_visible()
    money.get_by_role("button", name=re.compile(r"^Deposit invoice")).click()
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    expect(page.locator("#invoice-balance")).to_have_text("$19.47")  # 30 % of 59.97 + its tax

    page.get_by_role("button", name="Record payment").click()
    dialog = page.get_by_role("dialog", name="Record payment")
    dialog.get_by_label("Amount").fill("10.00")
    dialog.get_by_label("Method").select_option("check")
    dialog.get_by_label("Received on").fill("2026-11-02")
    dialog.get_by_label("Reference").fill("Check 1043")
    dialog.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded. Balance: $9.47.")).to_be_visible()
    expect(page.locator("#invoice-paid")).to_have_text("$10.00")
    expect(page.get_by_role("table", name="Payments")).to_contain_text("Check 1043")

    page.goto(job_url)
    money = page.get_by_role("region", name="Money")
    for label, value in (("Approved value", "$64.92"), ("Invoiced", "$19.47"), ("Paid", "$10.00"),
                         ("Balance", "$9.47")):  # fmt: skip
        expect(money.locator(".money-figure", has_text=label).first.locator("dd")).to_have_text(
            value
        )


def _new_sent_estimate(page: Page, job_url: str) -> str:
    """Another estimate on the job, typed, saved and sent from its page: the customer link."""
    page.goto(job_url)
    money = page.get_by_role("region", name="Money")
    money.get_by_role("button", name="New estimate", exact=True).click()
    page.wait_for_url(re.compile(r"/estimates/[0-9a-f-]{36}$"))
    for cell, value in (("Description", "GFCI outlet"), ("Quantity", "3"), ("Unit price", "19.99")):
        page.get_by_label(f"{cell}, line 1").fill(value)
        page.get_by_label(f"{cell}, line 1").press("Tab")
    expect(page.locator("#estimate-subtotal")).to_have_text("$59.97")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Send", exact=True).click()
    link = page.get_by_label("Customer link")
    expect(link).to_have_value(re.compile(r"/e/[A-Za-z0-9_-]{20,}$"))
    return link.input_value()


def test_an_approved_job_waits_for_a_date_and_a_revoked_link_answers_404(
    page: Page, browser, app_server
):
    open_as(page, "/")
    job_url = _open_lead_job(page)
    title = page.locator("main h1").first.inner_text()
    url = _new_sent_estimate(page, job_url)
    number = page.locator("main h1").first.inner_text().split()[-1]
    total = page.locator("#estimate-total").inner_text()
    customer = browser.new_context(
        base_url=app_server["url"], viewport={"width": 390, "height": 844}
    )
    public = customer.new_page()
    public.goto(url)
    approve_by_link(public)
    expect(public.get_by_text("the estimate is approved")).to_be_visible()

    page.goto("/")
    waiting = page.get_by_role("region", name="Approved, waiting for a date")
    line = waiting.get_by_role("listitem").filter(has_text=number)
    expect(line.get_by_role("link", name=title, exact=True)).to_have_attribute(
        "href", re.compile(re.escape(job_url.split("/jobs/")[1]) + "$")
    )
    expect(line.get_by_role("link", name=number, exact=True)).to_have_attribute(
        "href", re.compile(r"/estimates/[0-9a-f-]{36}$")
    )
    expect(line).to_contain_text(total)
    expect(waiting.get_by_role("link", name=re.compile("schedule"))).to_have_attribute(
        "href", "/schedule"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-approved-waiting.png"), full_page=True)

    second = _new_sent_estimate(page, job_url)  # another, sent after the approval
    public.goto(second)
    expect(public.get_by_role("button", name="Approve")).to_be_visible()
    page.get_by_role("button", name="Revoke link").click()
    expect(page.get_by_role("button", name="Revoke link")).to_have_count(0)
    gone = public.goto(second)
    assert gone is not None and gone.status == 404
    expect(public.get_by_role("button", name="Approve")).to_have_count(0)
    customer.close()


def test_money_screens_are_clean_for_axe_at_either_width(browser, app_server, server_log_clean):
    context = browser.new_context(base_url=app_server["url"], bypass_csp=True)
    page = context.new_page()
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    paths = ["/", "/estimates", "/estimates?deleted=1", "/invoices", "/invoices?overdue=1"]
    paths.append("/settings/company")
    for listing, pattern in (("/estimates", "/estimates/"), ("/invoices", "/invoices/")):
        page.goto(listing)
        _settled(page)
        rows = page.locator(f"main table a[href^='{pattern}']")
        if rows.count():
            paths.append(rows.first.get_attribute("href"))
    found, sideways = {}, {}
    for path in paths:
        page.goto(path)
        _settled(page)
        judge_at_both_widths(page, path, found, sideways)
    context.close()
    assert not found, found
    assert not sideways, sideways


def test_a_worker_is_sent_away_from_the_money_screens(page: Page):
    open_as(page, "/field", "alex@demo.khs-crm.test")
    for path in ("/estimates", "/invoices", "/settings/company"):
        page.goto(path)
        page.wait_for_url(re.compile(r"/field"))
        expect(page.get_by_text("$")).to_have_count(0)
