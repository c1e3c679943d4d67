"""axe-core finds nothing critical or serious on any office page (and in its dialogs) at
1440×900 and 1024×768; every control and every column header on them has an accessible name
(an empty header cell leaves its column unnamed to a screen reader); no office page scrolls
sideways at 1024; a dialog keeps the focus inside and Escape closes it.

Each page is opened once and judged at both widths: the window is narrowed after the first
judgement. The office's layout follows the width by CSS alone (no script reads the window's
size), so a narrowed page lays out as one opened at that width does. One sweep instead of
one per width (and a third, for the names, in test_office_a11y) opens each page once instead
of three times."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import OWNER, WIDTHS, judge_at_both_widths, sign_in

pytestmark = pytest.mark.e2e

SCREENS = ("/", "/customers", "/jobs", "/jobs/list", "/schedule", "/people", "/conflicts",
           "/activity", "/change-orders")  # fmt: skip
# An interactive role or a column header with nothing after it in the aria snapshot has no
# accessible name.
UNNAMED = re.compile(
    r"^\s*- (button|link|textbox|searchbox|combobox|checkbox|spinbutton|columnheader)\s*:?$"
)


def _unnamed(page: Page) -> list[str]:
    snapshot = page.locator("main").aria_snapshot()
    return [line.strip() for line in snapshot.splitlines() if UNNAMED.match(line)]


def _settled(page: Page) -> None:
    page.locator("main h1").first.wait_for()
    page.wait_for_function("() => !document.querySelector('main .empty[role=status]')")


def _record_pages(page: Page) -> dict[str, str]:
    """A customer's and a job's page (opened from their lists, as a person would)."""
    page.goto("/customers")
    _settled(page)
    customer = page.get_by_role("table", name="Customers").get_by_role("link").first
    hrefs = {"customer": customer.get_attribute("href")}
    page.goto("/jobs/list?status=in_progress")
    _settled(page)
    job = page.get_by_role("table", name="Jobs").get_by_role("link").first
    return {**hrefs, "job": job.get_attribute("href")}


@pytest.fixture
def office(browser, app_server, server_log_clean):
    context = browser.new_context(base_url=app_server["url"], bypass_csp=True)
    page = context.new_page()
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    yield page
    context.close()


def test_axe_and_names_find_nothing_wrong_on_any_office_page_at_either_width(office: Page):
    office.set_viewport_size(WIDTHS[0])
    records = _record_pages(office)
    found, sideways, unnamed = {}, {}, {}
    for path in (*SCREENS, records["customer"], records["job"]):
        office.goto(path)
        _settled(office)
        if path == records["job"]:  # its sections come after the heading
            office.get_by_role("heading", name="Materials").wait_for()
        if bad := _unnamed(office):
            unnamed[path] = bad
        judge_at_both_widths(office, path, found, sideways)
    office.goto("/customers")
    _settled(office)
    office.get_by_role("button", name="New customer").click()
    office.get_by_role("dialog", name="New customer").wait_for()
    judge_at_both_widths(office, "/customers (New customer dialog)", found, sideways)
    assert not found, "\n".join(f"{path}: {bad}" for path, bad in found.items())
    assert not sideways, f"pages wider than the window at 1024 px: {sideways}"
    assert not unnamed, f"controls with no accessible name: {unnamed}"


def test_a_dialog_keeps_the_focus_and_escape_closes_it(office: Page):
    office.set_viewport_size({"width": 1024, "height": 768})
    office.goto("/customers")
    _settled(office)
    office.get_by_role("button", name="New customer").click()
    dialog = office.get_by_role("dialog", name="New customer")
    expect(dialog.get_by_label("Name")).to_be_focused()
    inside = "() => !!document.activeElement.closest('[role=dialog]')"
    for _ in range(12):  # more than its controls: Tab goes round them
        office.keyboard.press("Tab")
        assert office.evaluate(inside)
    for _ in range(12):
        office.keyboard.press("Shift+Tab")
        assert office.evaluate(inside)
    office.mouse.click(5, 5)  # the dim backdrop: the focus stays in the dialog
    assert office.evaluate(inside)
    office.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    office.goto("/people")
    _settled(office)
    office.get_by_role("combobox", name="Role of Alex Rivera").select_option("owner")
    question = office.get_by_role("dialog", name="Make this person an owner?")
    expect(question.get_by_role("button", name="Cancel")).to_be_focused()
    office.keyboard.press("Escape")
    expect(question).to_have_count(0)
