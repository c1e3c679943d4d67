"""The optional location stamp on a phone (production build, real service worker, 390×844):
asked once, after the first clock-in; with the location granted the stamps travel offline
and the office's timesheet links to the rounded position; with it denied the phone still
clocks in and out at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import DEMO_PASSWORD, OWNER, axe_problems
from tests.e2e.test_field_pwa import PHONE, banner, open_field
from tests.e2e.test_field_sync import server, wait_synced

office, crew_job = field_pwa.office, field_pwa.crew_job

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "clock-location"
# Where the phone says it is (Chicago, to the centimetre) and what the server keeps.
CHICAGO = {"latitude": 41.878113, "longitude": -87.629798}
QUESTION = "Add your location to clock-ins? You can change this in Settings."


@pytest.fixture
def located(browser, app_server, server_log_clean):
    """A phone whose location is on (the person allows it)."""
    context = browser.new_context(base_url=app_server["url"], viewport=PHONE, geolocation=CHICAGO)
    context.grant_permissions(["geolocation"])
    yield context.new_page()
    context.close()


@pytest.fixture
def denied(browser, app_server, server_log_clean):
    """A phone that refuses to say where it is (nothing granted)."""
    context = browser.new_context(base_url=app_server["url"], viewport=PHONE)
    context.clear_permissions()
    yield context.new_page()
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _clock_in(phone, job: dict):
    card = phone.locator(".job-item", has_text=job["title"])
    card.get_by_role("button", name=f"Clock in on {job['title']}").click()
    strip = phone.get_by_role("region", name="Time clock")
    expect(strip).to_contain_text(f"On the clock · {job['title']}")  # at once, no position yet
    return strip


def test_offline_with_location_on_the_office_sees_the_rounded_stamp(located, crew_job, app_server):
    phone, job = located, crew_job["job"]
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=job["title"]).wait_for()
    phone.context.set_offline(True)

    strip = _clock_in(phone, job)
    question = phone.get_by_role("group", name=QUESTION)
    expect(question).to_be_visible()
    _shot(phone, "asked-once")
    question.get_by_role("button", name="Yes").click()
    expect(question).to_have_count(0)
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Clock out").click()
    expect(strip).to_have_count(0)

    _clock_in(phone, job)  # the question is not asked again
    expect(phone.get_by_role("group", name=QUESTION)).to_have_count(0)
    phone.get_by_role("button", name="Clock out").click()
    # Two punches with a stamp at each end, and the answer: on the phone before we leave.
    expect(banner(phone)).to_contain_text("(9 waiting)")
    phone.goto("/field/settings")
    choice = phone.get_by_role("group", name="Location at clock-in")
    expect(choice.get_by_role("button", name="On")).to_have_attribute("aria-pressed", "true")
    _shot(phone, "settings")

    phone.context.set_offline(False)
    wait_synced(phone)
    entries = server(phone, f"/api/time-entries?jobId={job['id']}")
    assert len(entries) == 2, entries
    kept = {(e["inLat"], e["inLng"], e["outLat"], e["outLng"]) for e in entries}
    assert kept == {(41.878, -87.63, 41.878, -87.63)}
    assert server(phone, "/api/auth/me")["shareLocation"] is True

    desk = phone.context.browser.new_context(
        base_url=app_server["url"], viewport={"width": 1440, "height": 900}, bypass_csp=True
    )  # axe is injected
    owner = {"email": OWNER, "password": DEMO_PASSWORD}
    signed = desk.request.post("/api/auth/session", data=owner)
    assert signed.ok, signed.text()
    sheet = desk.new_page()
    sheet.goto("/timesheets")
    row = sheet.locator(".sheet-entries tr", has_text=crew_job["worker"]["name"]).first
    link = row.get_by_role("link", name=re.compile(r"^in, where "))
    expect(link).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=41.878&mlon=-87.630#map=17/41.878/-87.630"
    )
    expect(row.get_by_role("link", name=re.compile(r"^out, where "))).to_be_visible()
    assert axe_problems(sheet) == []
    row.scroll_into_view_if_needed()
    _shot(sheet, "office-map-links")
    desk.close()


def test_with_location_denied_the_phone_still_clocks_in_and_out(denied, crew_job):
    phone, job = denied, crew_job["job"]
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=job["title"]).wait_for()
    phone.context.set_offline(True)
    strip = _clock_in(phone, job)
    phone.get_by_role("group", name=QUESTION).get_by_role("button", name="Yes").click()
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Clock out").click()
    expect(strip).to_have_count(0)
    strip = _clock_in(phone, job)  # sharing on, the position refused: clocked in at once
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Clock out").click()
    expect(strip).to_have_count(0)
    expect(banner(phone)).to_contain_text("(5 waiting)")  # two punches and the answer, no stamp
    _shot(phone, "denied-clocked-out")

    phone.context.set_offline(False)
    wait_synced(phone)
    entries = server(phone, f"/api/time-entries?jobId={job['id']}")
    assert len(entries) == 2, entries
    assert all(e["endedAt"] and e["inLat"] is None and e["outLat"] is None for e in entries)
    assert server(phone, "/api/auth/me")["shareLocation"] is True
