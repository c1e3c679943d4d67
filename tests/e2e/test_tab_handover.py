"""A tab an owner signed out of hands nothing to the next person who signs in on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import OWNER, WORKER, sign_in

pytestmark = pytest.mark.e2e

OFFICE_ONLY = "office@demo.khs-crm.test"  # the admin's email: only the People list shows it


def _token(page: Page) -> str | None:
    return page.evaluate("() => sessionStorage.getItem('token')")


def test_the_next_person_on_the_tab_receives_none_of_the_owners_state(page: Page):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/people")
    expect(page.get_by_text(OFFICE_ONLY)).to_be_visible()
    owners_token = _token(page)
    assert owners_token

    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    assert _token(page) != owners_token  # a new Reflex token: the owner's state stays behind

    page.get_by_label("Email").fill(WORKER)
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/field/?$"))
    expect(page.get_by_role("navigation", name="Field")).to_be_visible()
    page.goto("/people")  # a worker asking for the office's page lands on /field
    page.wait_for_url(re.compile(r"/field/?$"))
    page.wait_for_timeout(500)  # let the socket deliver whatever it would
    assert frames, "the tab talked to the server over its websocket"
    assert not [f for f in frames if OFFICE_ONLY in f or "Sam Ortiz" in f]
