"""Conflicts waiting for review show as a count in the office navigation and on the
dashboard, and the count goes down as they are settled."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import OWNER, sign_in
from tests.e2e.test_office_flow import go
from tests.e2e.test_office_screens import _conflict

pytestmark = pytest.mark.e2e


def _badge(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Conflicts")


def _dashboard_count(page: Page) -> int:
    """The count once the dashboard has loaded it: at least the one just made (the tab's
    earlier state, shown first on a reload, may still say 0)."""
    stat = page.locator(".card", has_text="Conflicts to review").locator(".stat")
    expect(stat).to_have_text(re.compile(r"^[1-9][0-9]*$"))
    return int(stat.inner_text())


def test_open_conflicts_are_counted_in_the_navigation_and_on_the_dashboard(page: Page, app_server):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    office_value = _conflict(page, app_server["url"])
    page.goto("/")
    page.get_by_role("heading", name="Dashboard").wait_for()
    waiting = _dashboard_count(page)
    assert waiting >= 1
    expect(_badge(page)).to_have_accessible_name(f"Conflicts {waiting} waiting for review")
    go(page, "Conflicts")
    page.locator(".conflict", has_text=office_value).get_by_role(
        "button", name=f"Keep office value: {office_value}"
    ).click()
    expect(page.get_by_text("Settled.")).to_be_visible()
    if waiting == 1:
        expect(_badge(page)).to_have_accessible_name("Conflicts")
    else:
        expect(_badge(page)).to_have_accessible_name(f"Conflicts {waiting - 1} waiting for review")
    go(page, "Dashboard")
    expect(page.locator(".card", has_text="Conflicts to review").locator(".stat")).to_have_text(
        str(waiting - 1)
    )
