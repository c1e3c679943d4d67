"""More of the money screens in a real browser at 1440×900: a material's unit cost typed on
the job page (a bad one refused beside its cell; a good one moves the money card's cost), the
accountant's CSV files downloaded from the Invoices page, the company's logo uploaded and
found in the estimate's PDF and on the customer's page, and a customer declining through the
link with a reason the office then reads; the notes' counter and limit, and a deleted draft
shown on the Estimates list only when asked, marked Deleted with its number kept."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.helpers import approve_by_link
from tests.e2e.test_office_flow import go, open_as
from tests.e2e.test_office_money import _open_lead_job, _type_line

pytestmark = pytest.mark.e2e
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
SHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots" / "money-more"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _figure(page: Page, label: str):
    money = page.get_by_role("region", name="Money")
    return money.locator(".money-figure", has_text=label).first.locator("dd")


def _amount(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def test_a_unit_cost_typed_on_the_job_page_moves_the_money_card(page: Page):
    open_as(page, "/")
    _open_lead_job(page)
    before = _amount(_figure(page, "Materials cost").inner_text())
    name = "Cement board 3x5"
    add = page.get_by_role("form", name="Add a material")
    add.get_by_label("Material").fill(name)
    add.get_by_label("Qty").fill("4")
    add.get_by_role("button", name="Add").click()
    cost = page.get_by_label(f"Unit cost of {name}")
    expect(cost).to_be_visible()

    cost.fill("12.345")
    cost.press("Tab")
    refusal = "Enter what one unit costs, with at most 2 decimals, such as 12.50."
    row = page.get_by_role("row").filter(has=cost)
    expect(row.get_by_role("alert")).to_have_text(refusal)
    expect(cost).to_have_attribute("aria-invalid", "true")
    expect(_figure(page, "Materials cost")).to_have_text(f"${before:,.2f}")
    _shot(page, "unit-cost-refused")

    cost.fill("12.5")
    cost.press("Tab")
    expect(page.get_by_text("Unit cost saved.")).to_be_visible()
    expect(_figure(page, "Materials cost")).to_have_text(f"${before + 50:,.2f}")  # 4 × 12.50
    expect(page.get_by_label(f"Unit cost of {name}")).to_have_value("12.50")
    expect(row.get_by_role("alert")).to_have_text("")
    _shot(page, "unit-cost-saved")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.reload()  # kept: read back from the server
    expect(page.get_by_label(f"Unit cost of {name}")).to_have_value("12.50")
    expect(_figure(page, "Materials cost")).to_have_text(f"${before + 50:,.2f}")
    assert page.evaluate(SIDEWAYS) <= 0  # the cost column fits a 1024 px window
    page.get_by_label(f"Unit cost of {name}").scroll_into_view_if_needed()
    _shot(page, "unit-cost-1024")
    page.set_viewport_size({"width": 1440, "height": 900})

    # the cost prices the material on an estimate filled from the job's materials
    money = page.get_by_role("region", name="Money")
    money.get_by_role("button", name="New estimate", exact=True).click()
    page.wait_for_url(re.compile(r"/estimates/[0-9a-f-]{36}$"))
    page.get_by_label("Description, line 1").wait_for()
    page.get_by_role("button", name="Add the job's materials").click()
    expect(
        page.get_by_text(re.compile(r"^Added \d+ lines? from the job's materials"))
    ).to_be_visible()
    described = page.locator("input[aria-label^='Description, line ']")
    at = described.evaluate_all("cells => cells.map(cell => cell.value)").index(name) + 1
    expect(page.get_by_label(f"Unit price, line {at}", exact=True)).to_have_value("12.50")
    row = page.get_by_role("row").filter(
        has=page.get_by_label(f"Unit price, line {at}", exact=True)
    )
    expect(row).to_contain_text("$50.00")
    _shot(page, "estimate-from-materials")


def _logo_file(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    picture = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    picture.paste((20, 90, 160, 255), (0, 0, 600, 120))
    picture.save(path, "PNG")
    return path


def _sent_estimate(page: Page) -> tuple[str, str, str]:
    """A new estimate on a lead job, typed, saved and sent: (the job's page, the estimate's,
    the customer's link)."""
    job_url = _open_lead_job(page)
    money = page.get_by_role("region", name="Money")
    money.get_by_role("button", name="New estimate", exact=True).click()
    page.wait_for_url(re.compile(r"/estimates/[0-9a-f-]{36}$"))
    page.get_by_label("Description, line 1").wait_for()
    _type_line(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Send", exact=True).click()
    link = page.get_by_label("Customer link")
    expect(link).to_have_value(re.compile(r"/e/[A-Za-z0-9_-]{20,}$"))
    return job_url, page.url, link.input_value()


def _number(page: Page) -> str:
    """The document's number from its page's heading ("Invoice INV-0007"), once loaded."""
    heading = page.locator("main h1").first
    expect(heading).to_have_text(re.compile(r"-[0-9]{4,}$"))
    return heading.inner_text().split()[-1]


def _customer(browser, app_server):
    return browser.new_context(base_url=app_server["url"], viewport={"width": 390, "height": 844})


def test_the_logo_prints_on_the_pdf_and_shows_on_the_customer_page(
    page: Page, browser, app_server, tmp_path
):
    open_as(page, "/settings/company")
    card = page.get_by_role("region", name="Logo")
    fake = tmp_path / "not-a-picture.png"
    fake.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with page.expect_response(lambda r: "/_upload" in r.url) as sent:
        card.get_by_label("Logo image file").set_input_files(str(fake))
    expect(card.get_by_role("alert")).to_have_text("A logo must be a PNG or JPEG image.")
    sent.value.finished()  # a file chosen while an upload's answer is open is dropped
    _shot(page, "company-logo-refused")
    card.get_by_label("Logo image file").set_input_files(str(_logo_file(tmp_path)))
    expect(page.get_by_text("Logo saved.")).to_be_visible()
    expect(card.get_by_role("alert")).to_have_text("")
    shown = card.get_by_role("img", name="The company's logo")
    expect(shown).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.company-logo')?.naturalWidth > 0")
    _shot(page, "company-logo")

    _job, _estimate, url = _sent_estimate(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(download.value.path())
    pictures = [image for pdf_page in pdf.pages for image in pdf_page.images]
    assert len(pictures) == 1 and pictures[0].image.size == (600, 200)
    assert "$59.97" in pdf.pages[0].extract_text()  # the lines and totals print below it

    customer = _customer(browser, app_server)
    public = customer.new_page()
    public.goto(url)
    expect(public.get_by_text("$59.97").first).to_be_visible()
    assert public.evaluate("() => document.querySelector('img.logo')?.naturalWidth") == 600
    _shot(public, "customer-page-logo")
    customer.close()

    page.goto("/settings/company")
    page.get_by_role("region", name="Logo").get_by_role("button", name="Remove logo").click()
    expect(page.get_by_text("Logo removed.")).to_be_visible()
    expect(page.get_by_role("img", name="The company's logo")).to_have_count(0)


def test_the_customer_declines_through_the_link_and_the_office_sees_why(
    page: Page, browser, app_server
):
    open_as(page, "/")
    _job, office_url, url = _sent_estimate(page)
    customer = _customer(browser, app_server)
    public = customer.new_page()
    public.goto(url)
    public.get_by_label("Reason (optional)").fill("We chose a cheaper quote, sorry")
    public.get_by_role("button", name="Decline").click()
    expect(public.get_by_text("Thank you for letting us know.")).to_be_visible()
    public.goto(url)  # the link now says it is answered, with no buttons left
    expect(public.get_by_text("You declined this estimate.")).to_be_visible()
    expect(public.get_by_role("button", name="Approve")).to_have_count(0)
    expect(public.get_by_role("button", name="Decline")).to_have_count(0)
    _shot(public, "customer-declined")
    customer.close()

    page.goto(office_url)
    expect(page.locator(".page-subtitle")).to_contain_text("Declined")
    expect(page.get_by_text("“We chose a cheaper quote, sorry”")).to_be_visible()
    number = _number(page)
    _shot(page, "office-declined")
    page.goto("/estimates?status=declined")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_contain_text("Declined")


def _rows(path: str | Path) -> list[list[str]]:
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _invoice_with_a_payment(page: Page, browser, app_server) -> str:
    """An approved estimate's deposit invoice with a check recorded; its number."""
    job_url, _estimate, url = _sent_estimate(page)
    customer = _customer(browser, app_server)
    public = customer.new_page()
    public.goto(url)
    approve_by_link(public)
    expect(public.get_by_text("the estimate is approved")).to_be_visible()
    customer.close()
    page.goto(job_url)
    money = page.get_by_role("region", name="Money")
    money.get_by_role("button", name=re.compile(r"^Deposit invoice")).click()
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    number = _number(page)
    page.get_by_role("button", name="Record payment").click()
    dialog = page.get_by_role("dialog", name="Record payment")
    dialog.get_by_label("Amount").fill("10.00")
    dialog.get_by_label("Method").select_option("check")
    dialog.get_by_label("Reference").fill("Check 2207")
    dialog.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text(re.compile(r"^Payment recorded"))).to_be_visible()
    return number


def test_the_invoices_page_downloads_the_accountants_csv_files(page: Page, browser, app_server):
    open_as(page, "/")
    number = _invoice_with_a_payment(page, browser, app_server)
    go(page, "Invoices")
    page.get_by_role("heading", name="Invoices", level=1).wait_for()
    files = page.get_by_role("group", name="For the accountant")
    expected = {
        "Export invoices (CSV)": ("invoices-", ["date", "number", "customer", "kind", "status"]),
        "Export payments (CSV)": (
            "payments-",
            ["date", "number", "customer", "amount", "method", "reference"],
        ),
    }
    found = {}
    for name, (prefix, columns) in expected.items():
        with page.expect_download() as clicked:
            files.get_by_role("link", name=name).click()
        assert clicked.value.suggested_filename.startswith(prefix)
        header, *rows = _rows(clicked.value.path())
        assert header[: len(columns)] == columns, header
        assert all(len(row) == len(header) for row in rows)
        found[prefix] = [dict(zip(header, row, strict=True)) for row in rows]
        expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
        assert "404" not in page.inner_text("main")
    _shot(page, "invoices-exports")
    invoice = next(row for row in found["invoices-"] if row["number"] == number)
    assert invoice["kind"] == "deposit" and invoice["paid"] == "10.00"
    paid = next(row for row in found["payments-"] if row["reference"] == "Check 2207")
    assert (paid["number"], paid["amount"], paid["method"]) == (number, "10.00", "check")


def test_notes_count_to_their_limit_and_a_deleted_draft_shows_when_asked(page: Page):
    open_as(page, "/")
    _open_lead_job(page)
    page.get_by_role("region", name="Money").get_by_role(
        "button", name="New estimate", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/estimates/[0-9a-f-]{36}$"))
    notes = page.get_by_label("Notes for the customer")
    expect(notes).to_have_attribute("maxlength", "5000")
    notes.fill("Tile " * 801)  # 4,005 characters: near the limit
    expect(page.locator("#estimate-notes-count")).to_have_text("4,005 of 5,000 characters")
    notes.press("End")
    page.keyboard.type("x" * 1200)  # typed past the limit: the box stops at it
    expect(page.locator("#estimate-notes-count")).to_have_text("5,000 of 5,000 characters")
    assert len(notes.input_value()) == 5000
    number = _number(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Delete draft").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete draft").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))

    page.goto("/estimates")
    table = page.get_by_role("table", name="Estimates")
    table.get_by_role("row").nth(1).wait_for()
    expect(table.get_by_role("row").filter(has_text=number)).to_have_count(0)
    shown = page.get_by_label("Show deleted drafts")
    shown.click()
    expect(shown).to_be_checked()
    row = table.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Deleted")
    expect(row.get_by_role("link", name=number)).to_have_count(0)
    expect(row.get_by_role("button")).to_have_count(0)
    _shot(page, "estimates-deleted-draft")
    shown.click()
    expect(shown).not_to_be_checked()
    expect(table.get_by_role("row").filter(has_text=number)).to_have_count(0)
