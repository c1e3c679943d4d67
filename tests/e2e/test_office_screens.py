"""Each remaining office screen's main path: board, list, CSV, schedule, people, conflicts."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from khs_crm.state.office.base import UPLOAD_STALL_S
from tests.e2e.helpers import DEMO_PASSWORD, OWNER, WORKER, push_material_edit, sign_in
from tests.e2e.test_office_flow import go, open_as
from tests.support.photo_files import image_bytes

pytestmark = pytest.mark.e2e


def test_board_moves_only_along_the_workflow(page: Page):
    open_as(page, "/jobs")
    lead = page.get_by_role("region", name="Lead jobs")
    card = lead.get_by_role("listitem").first
    title = card.get_by_role("link").first.inner_text()
    move = card.get_by_role("combobox")
    expect(move.locator("option[value=completed]")).to_be_disabled()
    expect(move.locator("option[value=quoted]")).to_be_enabled()
    expect(lead.get_by_text("Can move to: Quoted, Cancelled")).to_be_visible()
    move.select_option("quoted")
    expect(page.get_by_text(f"Moved “{title}” to Quoted.")).to_be_visible()

    page.get_by_role("link", name="List").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Crew member").select_option(label="Alex Rivera")
    rows = page.get_by_role("table", name="Jobs").get_by_role("row")
    expect(rows.filter(has_not_text="Alex Rivera")).to_have_count(1)  # the header row only
    expect(rows.filter(has_not_text="In progress")).to_have_count(1)
    page.get_by_label("Starts from").fill("2099-01-01")
    expect(page.get_by_text("No jobs match these filters.")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_role("navigation", name="Pages of jobs")).to_be_visible()
    page.get_by_role("button", name="Next page of jobs").click()
    expect(page.get_by_text(re.compile(r"Page 2 of \d+"))).to_be_visible()


def test_csv_import_reports_bad_rows_then_imports_and_exports(page: Page):
    open_as(page, "/customers")
    tag = uuid.uuid4().hex[:6]
    upload = page.locator("input[type=file]")
    bad = f"name,email\nGood {tag},good@example.com\n,nobody@example.com\n".encode()
    with page.expect_response(lambda r: "/_upload" in r.url) as sent:
        upload.set_input_files([{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}])
    report = page.locator(".card", has=page.get_by_role("heading", name="Import problems"))
    expect(report.get_by_text("row 3.name")).to_be_visible()
    # the report arrives while the upload's answer is still open, and Reflex drops a file
    # chosen before that answer ends (no person chooses the next file that fast)
    sent.value.finished()
    good = f"name,phone\nImported {tag},(512) 555-7788\n".encode()
    upload.set_input_files([{"name": "good.csv", "mimeType": "text/csv", "buffer": good}])
    expect(page.get_by_text("Imported 1 customer.")).to_be_visible()
    page.get_by_label("Search customers").fill(f"Imported {tag}")
    expect(page.get_by_role("link", name=f"Imported {tag}")).to_be_visible()
    export = page.request.get(page.get_by_role("link", name="Export CSV").get_attribute("href"))
    assert export.ok and f"Imported {tag}" in export.text()


def test_a_csv_or_a_logo_the_network_drops_is_said_and_can_be_sent_again(page: Page):
    """The browser tells the page nothing when an upload's connection drops: the import
    button and the logo picker say they are sending, stop waiting once nothing has moved for
    UPLOAD_STALL_S, say nothing was stored, and take the file again. The two pages wait at
    the same time, in two tabs."""
    open_as(page, "/customers")
    company = page.context.new_page()
    company.goto("/settings/company")
    logo_card = company.get_by_role("region", name="Logo")
    page.context.route("**/_upload", lambda route: route.abort("internetdisconnected"))
    tag = uuid.uuid4().hex[:6]
    csv = [{"name": "c.csv", "mimeType": "text/csv", "buffer": f"name\nDropped {tag}\n".encode()}]
    page.locator("input[type=file]").set_input_files(csv)
    expect(page.get_by_role("button", name="Importing…")).to_be_disabled()
    expect(page.get_by_role("status").filter(has_text="Sending the file:")).to_be_visible()
    logo = [{"name": "l.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (300, 100))}]
    logo_card.get_by_label("Logo image file").set_input_files(logo)
    expect(logo_card.get_by_role("button", name="Uploading…")).to_be_disabled()

    wait = (UPLOAD_STALL_S + 15) * 1000
    lost = page.get_by_role("alert").filter(has_text="did not reach the server")
    expect(lost).to_contain_text("Nothing was imported", timeout=wait)
    expect(logo_card.get_by_role("alert")).to_contain_text("Nothing was stored", timeout=wait)
    expect(page.get_by_role("button", name="Import CSV…")).to_be_enabled()
    expect(
        logo_card.get_by_role("button", name=re.compile(r"^(Upload|Replace) logo…$"))
    ).to_be_enabled()
    found = f"/api/customers/search?q=Dropped {tag}"
    assert f"Dropped {tag}" not in page.request.get(found).text()

    page.context.unroute("**/_upload")
    page.locator("input[type=file]").set_input_files(csv)
    expect(page.get_by_text("Imported 1 customer.")).to_be_visible()
    expect(lost).to_have_count(0)
    assert f"Dropped {tag}" in page.request.get(found).text()
    logo_card.get_by_label("Logo image file").set_input_files(logo)
    expect(company.get_by_text("Logo saved.")).to_be_visible()
    expect(logo_card.get_by_role("alert")).to_have_text("")


def test_schedule_weeks_and_a_private_calendar_link(page: Page):
    open_as(page, "/schedule")
    title = page.locator(".week-title")
    this_week = title.inner_text()
    page.get_by_role("button", name="Next week →").click()
    expect(title).not_to_have_text(this_week)
    page.get_by_role("button", name="This week").click()
    expect(title).to_have_text(this_week)
    expect(page.get_by_role("rowheader", name=re.compile("Alex Rivera"))).to_be_visible()

    go(page, "People")
    # the schedule has the same button: wait until People has replaced it
    page.wait_for_url(re.compile(r"/people$"))
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^(New c|C)alendar link for Alex Rivera$")).click()
    url = (
        page.get_by_role("dialog", name="Calendar link").get_by_label("Feed address").input_value()
    )
    page.get_by_role("button", name="Done").click()
    feed = page.context.request.get(url)  # any calendar app: no session needed
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().startswith("BEGIN:VCALENDAR")
    page.get_by_role("button", name="Turn off the calendar link of Alex Rivera").click()
    page.get_by_role("dialog").get_by_role("button", name="Turn off").click()
    expect(page.get_by_text("Alex Rivera's calendar link no longer works.")).to_be_visible()
    gone = page.context.request.get(url)
    assert gone.status == 404 and gone.json()["error"]["code"] == "NOT_FOUND"


def test_people_add_change_role_deactivate_with_confirmation(page: Page):
    open_as(page, "/people")
    name = f"Pat Crew{uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="Add a person").click()
    form = page.get_by_role("dialog", name="Add a person")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(f"{name.split()[-1].lower()}@example.com")
    form.get_by_label("First password").fill("short")
    form.get_by_role("button", name="Add person").click()
    expect(form.get_by_role("alert").first).to_contain_text("at least")
    form.get_by_label("First password").fill("a-long-first-password")
    form.get_by_role("button", name="Add person").click()
    expect(page.get_by_text(f"{name} can now sign in")).to_be_visible()

    page.get_by_label(f"Role of {name}").select_option("admin")
    expect(page.get_by_text("Role changed.")).to_be_visible()
    page.get_by_role("button", name=f"Deactivate {name}").click()
    dialog = page.get_by_role("dialog", name="Deactivate this person?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("button", name=f"Reactivate {name}")).to_be_visible()


def _conflict(page: Page, url: str) -> str:
    """The office edits a material; a phone then sends an edit made before it saw that."""
    phone = page.context.browser.new_context(base_url=url)
    try:
        assert phone.request.post(
            "/api/auth/session", data={"email": WORKER, "password": DEMO_PASSWORD}
        ).ok
        job = phone.request.get("/api/jobs?status=in_progress&pageSize=1").json()["data"][0]
        item = phone.request.get(f"/api/jobs/{job['id']}/materials").json()["data"][0]
        headers = {"X-KHS-CSRF": "1", "Origin": url}
        office_value = f"Office {uuid.uuid4().hex[:6]}"
        phone_value = f"Phone {uuid.uuid4().hex[:6]}"
        changed = page.request.put(
            f"/api/materials/{item['id']}", data={"supplier": office_value}, headers=headers
        )
        assert changed.ok, changed.text()
        push_material_edit(phone, url, item, {"supplier": phone_value})
        return office_value
    finally:
        phone.close()


def test_conflicts_show_both_values_and_settle(page: Page, app_server):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    office_value = _conflict(page, app_server["url"])
    go(page, "Conflicts")
    conflict = page.locator(".conflict", has_text=office_value)
    expect(conflict.get_by_text("Written by Alex Rivera")).to_be_visible()
    keep = conflict.get_by_role("button", name=f"Keep office value: {office_value}")
    expect(keep).to_have_text("Keep office value")  # the words shown start its name (axe)
    keep.click()
    expect(page.get_by_text("Settled.")).to_be_visible()
    expect(page.locator(".conflict", has_text=office_value)).to_have_count(0)

    go(page, "Activity")
    page.get_by_label("Show", exact=True).select_option("material")
    expect(page.get_by_text(f"to “{office_value}”").first).to_be_visible()


def test_new_job_from_the_board_edit_and_delete_with_confirmation(page: Page):
    open_as(page, "/jobs")
    title = f"Fence {uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New job").click()
    form = page.get_by_role("dialog", name="New job")
    form.get_by_label("Title").fill(title)
    form.get_by_role("button", name="Create job").click()
    expect(form.get_by_role("alert").filter(has_text="Choose the customer").first).to_be_visible()
    form.get_by_role("searchbox", name="Customer").fill("555-0001")
    form.get_by_role("list", name="Matching customers").get_by_role("button").first.click()
    expect(form.get_by_text(re.compile(r"^Customer: "))).to_be_visible()
    form.get_by_label("Casey Nguyen").check()
    form.get_by_role("button", name="Create job").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("button", name="Remove Casey Nguyen from this job")).to_be_visible()

    page.get_by_role("button", name="Edit job").click()
    edit = page.get_by_role("dialog", name="Edit job")
    edit.get_by_label("Starts").fill("2030-07-01T09:00")
    edit.get_by_label("Ends").fill("2030-07-01T08:00")
    edit.get_by_role("button", name="Save job").click()
    expect(edit.get_by_role("alert").first).to_contain_text("end cannot be before the start")
    expect(edit.get_by_label("Ends")).to_have_attribute("aria-invalid", "true")
    edit.get_by_label("Ends").fill("2030-07-01T15:00")
    edit.get_by_role("button", name="Save job").click()
    expect(page.get_by_text("Mon, Jul 1 2030, 9:00 AM – 3:00 PM")).to_be_visible()

    page.get_by_role("button", name="Delete job").click()
    confirm = page.get_by_role("dialog", name="Delete this job?")
    confirm.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Delete job").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete job").click()
    page.wait_for_url(re.compile(r"/jobs/list"))
    expect(page.get_by_text("The job was deleted.")).to_be_visible()


def test_edit_a_customer_then_delete_with_confirmation(page: Page):
    open_as(page, "/customers")
    name = f"Temp Person{uuid.uuid4().hex[:6]}"
    page.get_by_role("button", name="New customer").click()
    page.get_by_role("dialog").get_by_label("Name").fill(name)
    page.get_by_role("dialog").get_by_role("button", name="Add customer").click()
    page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Edit", exact=True).click()
    edit = page.get_by_role("dialog", name="Edit customer")
    edit.get_by_label("Notes").fill("Prefers texts, not calls")
    edit.get_by_role("button", name="Save customer").click()
    expect(page.get_by_text("Prefers texts, not calls")).to_be_visible()
    page.get_by_role("button", name="Delete customer").click()
    page.get_by_role("dialog", name="Delete this customer?").get_by_role(
        "button", name="Delete customer"
    ).click()
    page.wait_for_url(re.compile(r"/customers\?deleted=1$"))
    expect(page.get_by_text("The customer was deleted.")).to_be_visible()
    page.get_by_label("Search customers").fill(name)
    expect(page.get_by_text(f"No customer matches “{name}”")).to_be_visible()
