"""/timesheets in a real browser at 1440×900: a worker's time (one entry the office made, one
the phone synced days late) shows in the week grid with its hours and a flag; the office
approves the week and the phone's next punch into it is refused (kept for review); the owner
unapproves it with a reason; the office changes an entry with a reason; the payroll CSV
downloads. axe finds nothing critical or serious at 1440 and 1024, and 1024 does not scroll
sideways. Hourly costs on /people are the owner's alone; a worker never reaches /timesheets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.helpers import DEMO_PASSWORD, OWNER, WIDTHS, judge_at_both_widths

pytestmark = pytest.mark.e2e

CREW = "jordan@demo.khs-crm.test"
ADMIN = "office@demo.khs-crm.test"
NAME = "Jordan Blake"
WEEK = "2024-06-03"  # a Monday long past: no other test's time, every device time allowed


def _context(page: Page, url: str, email: str, viewport=None) -> BrowserContext:
    viewport = viewport or {"width": 1440, "height": 900}
    context = page.context.browser.new_context(base_url=url, bypass_csp=True, viewport=viewport)
    signed = context.request.post(
        "/api/auth/session", data={"email": email, "password": DEMO_PASSWORD}
    )
    assert signed.ok, signed.text()
    return context


@pytest.fixture
def office(page: Page, app_server) -> Iterator[Page]:
    context = _context(page, app_server["url"], OWNER)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(page: Page, app_server) -> Iterator[BrowserContext]:
    context = _context(page, app_server["url"], CREW)
    yield context
    context.close()


def _headers(url: str) -> dict[str, str]:
    return {"X-KHS-CSRF": "1", "Origin": url}


def _push(phone: BrowserContext, url: str, changes: dict) -> dict:
    op = {
        "opId": str(uuid.uuid4()),
        "seq": 1,
        "entity": "time_entry",
        "entityId": str(uuid.uuid4()),
        "action": "create",
        "changes": {"breaks": [], "note": "", **changes},
        "baseVersion": None,
    }
    body = {"clientId": f"e2e-{uuid.uuid4().hex[:8]}", "operations": [op]}
    pushed = phone.request.post("/api/sync/push", data=body, headers=_headers(url))
    assert pushed.ok, pushed.text()
    (result,) = pushed.json()["data"]["results"]
    return result


def _entries(office: Page, user_id: str) -> list[dict]:
    query = f"userId={user_id}&from={WEEK}&to=2024-06-09"
    return office.request.get(f"/api/time-entries?{query}").json()["data"]


def _week_of_time(office: Page, phone: BrowserContext, url: str) -> tuple[str, str]:
    """Monday: 8 h the office entered; Tuesday: 10 h the phone synced long after."""
    me = phone.request.get("/api/auth/me").json()["data"]
    job = phone.request.get("/api/jobs?pageSize=1").json()["data"][0]
    added = office.request.post(
        "/api/time-entries",
        data={
            "userId": me["id"],
            "jobId": job["id"],
            "startedAt": "2024-06-03T13:00:00Z",
            "endedAt": "2024-06-03T21:30:00Z",
            "breaks": [{"startedAt": "2024-06-03T17:00:00Z", "endedAt": "2024-06-03T17:30:00Z"}],
        },
        headers=_headers(url),
    )
    assert added.status == 201, added.text()
    late = _push(
        phone,
        url,
        {"userId": me["id"], "jobId": job["id"], "startedAt": "2024-06-04T12:00:00Z",
         "endedAt": "2024-06-04T22:00:00Z"},
    )  # fmt: skip
    assert late["status"] == "applied", late
    return me["id"], job["id"]


def _row(office: Page):
    return office.get_by_role("table", name="Hours by person and day").get_by_role("row", name=NAME)


def test_the_office_reads_approves_and_corrects_a_week(office: Page, phone, app_server):
    url = app_server["url"]
    user_id, job_id = _week_of_time(office, phone, url)
    office.goto(f"/timesheets?week={WEEK}")
    row = _row(office)
    expect(row).to_contain_text("8.00 h")
    expect(row).to_contain_text("10.00 h")
    expect(row).to_contain_text("18.00 h")
    expect(row.get_by_text("Synced over a day late")).to_be_visible()

    row.get_by_role("button", name=f"Approve the week of {NAME}").click()
    expect(office.get_by_role("status").filter(has_text="is approved")).to_be_visible()
    expect(row.get_by_text("Approved")).to_be_visible()
    refused = _push(
        phone,
        url,
        {"userId": user_id, "jobId": job_id, "startedAt": "2024-06-05T12:00:00Z",
         "endedAt": "2024-06-05T20:00:00Z"},
    )  # fmt: skip
    assert refused["status"] == "conflict" and refused["conflictId"], refused
    assert refused["error"]["reason"] == "time_week_approved"
    assert len(_entries(office, user_id)) == 2

    row.get_by_role("button", name=f"Unapprove the week of {NAME}").click()
    box = office.get_by_role("dialog", name="Open this week again?")
    box.get_by_role("button", name="Unapprove").click()
    expect(box.get_by_role("alert").first).to_contain_text("Say why")
    box.get_by_label("Why").fill("Jordan's Tuesday needs checking")
    box.get_by_role("button", name="Unapprove").click()
    expect(box).to_have_count(0)
    expect(row.get_by_role("button", name=f"Approve the week of {NAME}")).to_be_visible()

    office.get_by_role("button", name=f"Edit the time of {NAME} on Mon Jun 3").click()
    box = office.get_by_role("dialog", name="Change time")
    box.get_by_label("End").fill(_local_end(office, "2024-06-03T22:30:00Z"))
    box.get_by_label("Why is it changed?").fill("Stayed an hour to finish the railing")
    box.get_by_role("button", name="Save change").click()
    expect(box).to_have_count(0)
    expect(row).to_contain_text("9.00 h")
    expect(row.get_by_text("Edited by the office")).to_be_visible()
    monday = next(e for e in _entries(office, user_id) if e["startedAt"].startswith("2024-06-03"))
    assert monday["hours"] == "9.00" and "edited" in monday["flags"]

    with office.expect_download() as caught:
        office.get_by_role("link", name="Download CSV for payroll").click()
    text = Path(caught.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("person,date,job,start,end,breaks,hours,overtime")
    assert sum(NAME in line for line in text.splitlines()) == 2
    office.screenshot(path=str(app_server["data"] / "timesheets-1440.png"), full_page=True)


def _local_end(office: Page, utc: str) -> str:
    """HH:MM in the company's zone for a UTC time (the server's zone may be any)."""
    zone = office.request.get("/api/time-settings").json()["data"]["timezone"]
    return office.evaluate(
        "([t, z]) => new Date(t).toLocaleTimeString('en-GB', "
        "{timeZone: z, hour: '2-digit', minute: '2-digit'})",
        [utc, zone],
    )


def test_timesheets_pass_axe_and_fit_at_either_width(office: Page, app_server):
    office.goto(f"/timesheets?week={WEEK}")
    office.get_by_role("heading", name="Timesheets").wait_for()
    office.get_by_role("table", name="Hours by person and day").wait_for()
    found, sideways = {}, {}
    judge_at_both_widths(office, "/timesheets", found, sideways)
    office.get_by_role("button", name="Add time").click()
    office.get_by_role("dialog", name="Add time").wait_for()
    judge_at_both_widths(office, "/timesheets (Add time dialog)", found, sideways)
    assert not found, found
    assert not sideways, sideways
    for size in WIDTHS:
        office.set_viewport_size(size)
        office.screenshot(path=str(app_server["data"] / f"timesheets-add-{size['width']}.png"))
    office.keyboard.press("Escape")
    for size in WIDTHS:
        office.set_viewport_size(size)
        path = app_server["data"] / f"timesheets-{size['width']}.png"
        office.screenshot(path=str(path), full_page=True)


def test_hourly_costs_are_the_owners_and_workers_never_see_timesheets(
    office: Page, page: Page, app_server
):
    office.goto("/people")
    office.get_by_role("button", name=f"Set hourly cost of {NAME}").click()
    box = office.get_by_role("dialog", name="Hourly cost")
    box.get_by_label("Cost per hour ($)").fill("28.5")
    box.get_by_role("button", name="Save cost").click()
    expect(office.get_by_role("button", name=f"$28.50, hourly cost of {NAME}")).to_have_text(
        "$28.50"
    )

    admin = _context(page, app_server["url"], ADMIN)
    try:
        seen = admin.new_page()
        seen.goto("/people")
        seen.get_by_role("table", name="People").wait_for()
        expect(seen.get_by_role("columnheader", name="Hourly cost")).to_have_count(0)
        expect(seen.get_by_text("$28.50")).to_have_count(0)
    finally:
        admin.close()

    crew = _context(page, app_server["url"], CREW)
    try:
        seen = crew.new_page()
        seen.goto("/timesheets")
        seen.wait_for_url("**/field**")
        expect(seen.get_by_role("table", name="Hours by person and day")).to_have_count(0)
    finally:
        crew.close()
