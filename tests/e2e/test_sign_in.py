"""Signing in and out in a real browser against the production build."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import OWNER, WORKER, shown_customer_count, sign_in_on_the_page

pytestmark = pytest.mark.e2e


def test_signed_out_visitor_goes_to_login_and_back_after_sign_in(page):
    sign_in_on_the_page(page, OWNER, start="/field?from=test")
    page.wait_for_url(re.compile(r"/field/?\?from=test$"))
    # An owner may open the field screens too.
    page.get_by_role("heading", name="Today").wait_for()


def test_bad_password_shows_a_clear_message(page):
    sign_in_on_the_page(page, OWNER, password="not-the-password")
    page.get_by_role("alert").filter(has_text="don't match").wait_for()
    assert "/login" in page.url


def test_owner_sees_dashboard_and_signs_out(page):
    sign_in_on_the_page(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert shown_customer_count(page) >= 50  # the demo company, plus what other tests added
    # A reload keeps the user signed in (the session lives on the server).
    page.reload()
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")
    page.goto("/")
    page.wait_for_url("**/login**")


def test_session_cookie_is_invisible_to_javascript(page):
    sign_in_on_the_page(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert "khs_session" not in page.evaluate("document.cookie")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["khs_session"]["httpOnly"] is True
    assert cookies["khs_session"]["sameSite"] == "Strict"


def test_worker_gets_the_field_app_and_no_office_screens(page):
    sign_in_on_the_page(page, WORKER)
    page.wait_for_url(re.compile(r"/field/?$"))
    page.get_by_role("heading", name="Today").wait_for()
    field_nav = page.get_by_role("navigation", name="Field")
    assert field_nav.get_by_role("link", name="Supply run").is_visible()
    assert page.get_by_role("navigation", name="Main").count() == 0
    page.goto("/")
    page.wait_for_url(re.compile(r"/field/?$"))
