"""The time clock on a phone with no signal (production build, real service worker): clock in,
reload, take a break, come back, clock out, all offline; back online the server has one
entry with the phone's times of each tap."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.test_field_pwa import banner, open_field
from tests.e2e.test_field_sync import server, wait_synced

office, crew_job, phone = field_pwa.office, field_pwa.crew_job, field_pwa.phone

pytestmark = pytest.mark.e2e


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_clock_in_break_and_out_offline_reach_the_office_as_one_entry(phone, crew_job):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    card = phone.locator(".job-item", has_text=job["title"])
    card.wait_for()
    phone.context.set_offline(True)

    card.get_by_role("button", name=f"Clock in on {job['title']}").click()
    strip = phone.get_by_role("region", name="Time clock")
    expect(strip).to_contain_text(f"On the clock · {job['title']}")
    tapped_in = phone.evaluate("Date.now()")
    expect(card.get_by_role("button", name=f"Clocked in on {job['title']}")).to_be_visible()

    phone.reload()  # no signal: the app comes from the phone, still clocked in
    strip.wait_for()
    expect(strip).to_contain_text(job["title"])
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Break").click()
    expect(strip).to_contain_text("On a break")
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Back to work").click()
    expect(strip).to_contain_text("On the clock")
    phone.wait_for_timeout(1100)
    strip.get_by_role("button", name="Clock out").click()
    expect(strip).to_have_count(0)
    tapped_out = phone.evaluate("Date.now()")
    # Saved on the phone before the page goes (a page load would cut a write short): the four
    # taps and the location question's unanswered No (docs/time.md).
    expect(banner(phone)).to_contain_text("(5 waiting)")

    phone.goto("/field/time")
    week = phone.locator(".time-entry", has_text=job["title"])
    expect(week).to_contain_text("Not sent yet")
    expect(phone.get_by_text(re.compile(r"^This week: \d+\.\d\d h$"))).to_be_visible()

    phone.context.set_offline(False)
    wait_synced(phone)
    entries = server(phone, f"/api/time-entries?jobId={job['id']}")
    assert len(entries) == 1, entries
    (entry,) = entries
    started, ended = _at(entry["startedAt"]), _at(entry["endedAt"])
    # The phone's times of the taps (to the second), not the time the server received them.
    assert abs(started.timestamp() * 1000 - tapped_in) < 2000
    assert abs(ended.timestamp() * 1000 - tapped_out) < 2000
    assert len(entry["breaks"]) == 1 and entry["breaks"][0]["endedAt"]
    assert _at(entry["receivedAt"]) >= ended
    assert entry["hours"] is not None


def test_clocking_in_on_another_job_clocks_out_of_the_first_and_says_so(phone, crew_job, office):
    job = crew_job["job"]
    second = office.call(
        "POST",
        "/api/jobs",
        {
            "customerId": crew_job["customer"]["id"],
            "title": f"Second {job['title']}",
            "scheduledStart": job["scheduledStart"],
            "scheduledEnd": job["scheduledEnd"],
            "assignedUserIds": job["assignedUserIds"],
        },
    )
    for status in ("quoted", "scheduled"):
        office.call("PUT", f"/api/jobs/{second['id']}/status", {"status": status})
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=second["title"]).wait_for()
    phone.get_by_role("button", name=f"Clock in on {job['title']}", exact=True).click()
    phone.get_by_role("button", name=f"Clock in on {second['title']}").click()
    expect(phone.get_by_role("status").filter(has_text="Clocked out of")).to_contain_text(
        f"Clocked out of “{job['title']}” and in on “{second['title']}”."
    )
    wait_synced(phone)
    first = server(phone, f"/api/time-entries?jobId={job['id']}")
    now = server(phone, f"/api/time-entries?jobId={second['id']}")
    assert len(first) == 1 and first[0]["endedAt"]
    assert len(now) == 1 and now[0]["endedAt"] is None
