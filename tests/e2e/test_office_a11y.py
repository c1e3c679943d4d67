"""No Radix Themes CSS ships, the sidebar keeps its names as a rail of icons, and on a phone
the office keeps its navigation to one row and its search box usable.

(That every control on every office page has an accessible name is judged in the axe sweep,
test_office_axe.py, on the same page loads.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import OWNER, sign_in

pytestmark = pytest.mark.e2e


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


def test_on_a_phone_the_navigation_is_one_row_and_the_search_box_has_room(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, OWNER)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Customers", exact=True)).to_be_visible()
    height = nav.evaluate("el => el.getBoundingClientRect().height")
    assert height <= 64, height  # one row of links, not four over the page
    # the links past the screen's edge are reached by scrolling the row, not the page
    activity = nav.get_by_role("link", name="Activity", exact=True)
    activity.scroll_into_view_if_needed()
    activity.click()
    page.wait_for_url("**/activity")
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    # each page draws the row anew: its own link is scrolled into sight, not left past the edge
    _current_link_is_on_the_screen(page, "Activity")
    page.goto("/settings/company")
    expect(page.get_by_role("heading", name="Company", level=1)).to_be_visible()
    _current_link_is_on_the_screen(page, "Company")
    # the customers table keeps each e-mail whole (it scrolls sideways in its box instead)
    page.goto("/customers")
    email = page.get_by_role("table").locator("tbody tr").first.locator("td").nth(2)
    expect(email).to_contain_text("@")
    lines = email.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1, lines
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    search = page.get_by_role("combobox", name="Find a customer, job or person")
    assert search.evaluate("el => el.getBoundingClientRect().width") >= 140
    # the timesheet's seven days keep readable columns; the table scrolls in its box
    page.goto("/timesheets")
    sheet = page.get_by_role("table", name=re.compile("^Hours by person and day"))
    days = sheet.locator("thead th")
    expect(days.nth(1)).to_be_visible()
    widths = days.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
    assert len(widths) == 9 and min(widths[1:8]) >= 44, widths
    # the box that scrolls is a named region the keyboard can reach (axe: scrollable-region)
    expect(page.get_by_role("region", name="Hours by person and day")).to_have_attribute(
        "tabindex", "0"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    # a job page's wide materials table scrolls in its own box, its hidden words with it
    page.goto("/jobs/list")
    page.get_by_role("table", name="Jobs").get_by_role("link").first.click()
    expect(page.get_by_role("table", name="Materials")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0


def _current_link_is_on_the_screen(page: Page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=True)
    expect(link).to_have_attribute("aria-current", "page")
    page.wait_for_function(
        """name => { const a = document.querySelector('nav.sidebar [aria-current="page"]');
        if (!a || a.textContent.trim() !== name) return false;
        const b = a.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth; }""",
        arg=name,
    )
