"""The owner's Time settings dialog on /timesheets in a real browser at 1024×768: a value that
cannot be an overtime threshold is named beside its box in words (and nothing is saved), the
dialog passes axe and fits; an admin does not get the button. The saved-settings path (the
week recomputed) is covered against the database in tests/unit/test_timesheets_settings_state.py:
saving here would change the week for every other browser test sharing the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from khs_crm.services.time.schemas import OVERTIME_SAID
from tests.e2e.helpers import SIDEWAYS, axe_problems
from tests.e2e.test_office_timesheets import ADMIN, WEEK, _context, office

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "time-settings"
__all__ = ["office"]  # the owner's page (fixture)


def test_the_owner_is_told_what_to_type_and_nothing_is_saved(office: Page, app_server):
    office.set_viewport_size({"width": 1024, "height": 768})
    office.goto(f"/timesheets?week={WEEK}")
    office.get_by_role("table", name="Hours by person and day").wait_for()
    before = office.request.get("/api/time-settings").json()["data"]
    office.get_by_role("button", name="Time settings").click()
    box = office.get_by_role("dialog", name="Time settings")
    expect(box.get_by_label("Weeks start on")).to_have_value(str(before["weekStartDay"]))
    hours = box.get_by_label("Overtime after (hours a week)")
    hours.fill("40.5")
    box.get_by_role("button", name="Save settings").click()
    expect(box.get_by_text(OVERTIME_SAID)).to_be_visible()
    expect(hours).to_have_attribute("aria-invalid", "true")
    assert axe_problems(office) == []
    assert office.evaluate(SIDEWAYS) <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    office.screenshot(path=str(SHOTS / "refused-1024.png"))
    box.get_by_role("button", name="Cancel").click()
    expect(box).to_have_count(0)
    assert office.request.get("/api/time-settings").json()["data"] == before


def test_an_admin_has_no_time_settings_button(page: Page, app_server):
    admin = _context(page, app_server["url"], ADMIN)
    try:
        sheet = admin.new_page()
        sheet.goto(f"/timesheets?week={WEEK}")
        sheet.get_by_role("table", name="Hours by person and day").wait_for()
        expect(sheet.get_by_role("button", name="Add time")).to_be_visible()
        expect(sheet.get_by_role("button", name="Time settings")).to_have_count(0)
    finally:
        admin.close()
