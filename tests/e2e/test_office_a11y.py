"""Every office control has an accessible name, and no Radix Themes CSS ships."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import OWNER, sign_in

pytestmark = pytest.mark.e2e

SCREENS = {
    "/": "Dashboard",
    "/customers": "Customers",
    "/jobs": "Jobs",
    "/jobs/list": "Jobs",
    "/schedule": "Schedule",
    "/people": "People",
    "/conflicts": "Sync conflicts",
    "/activity": "Activity",
}
# An interactive role with nothing after it in the aria snapshot has no accessible name.
UNNAMED = re.compile(r"^\s*- (button|link|textbox|searchbox|combobox|checkbox|spinbutton)\s*:?$")


def _unnamed(page: Page) -> list[str]:
    snapshot = page.locator("main").aria_snapshot()
    return [line.strip() for line in snapshot.splitlines() if UNNAMED.match(line)]


def test_every_control_on_every_office_screen_has_a_name(page: Page):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    for path, heading in SCREENS.items():
        page.goto(path)
        page.get_by_role("heading", name=heading, level=1).wait_for()
        page.locator(".empty[role=status]").wait_for(state="detached")
        assert _unnamed(page) == [], path
    page.goto("/jobs/list?status=in_progress")
    page.get_by_role("table", name="Jobs").get_by_role("link").first.click()
    page.get_by_role("heading", name="Materials").wait_for()
    assert _unnamed(page) == [], "job page"


def test_no_radix_themes_stylesheet_is_built(app_server):
    styles = list((ROOT / ".web" / "build" / "client" / "assets").glob("*.css"))
    assert styles
    for sheet in styles:
        text = sheet.read_text(errors="replace")
        assert "radix-themes" not in text and ".rt-" not in text, sheet.name


@pytest.mark.parametrize("width", [1024, 1440], ids=["1024", "1440"])
def test_sidebar_is_a_rail_of_icons_at_laptop_width_and_keeps_its_names(page: Page, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, OWNER)
    expect(page.locator(".topbar .user-name")).to_have_text("Kim Harper")
    nav = page.get_by_role("navigation", name="Main")
    jobs = nav.get_by_role("link", name="Jobs", exact=True)
    expect(jobs).to_be_visible()
    expect(jobs.locator("svg")).to_be_visible()
    nav_width = nav.evaluate("el => el.getBoundingClientRect().width")
    words_shown = jobs.locator(".nav-text").evaluate("el => el.getBoundingClientRect().width > 8")
    assert (nav_width <= 80, words_shown) == ((True, False) if width == 1024 else (False, True))
    jobs.click()
    page.wait_for_url("**/jobs")
    expect(jobs).to_have_attribute("aria-current", "page")
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
