"""Office screens are for owners and admins only: workers land on /field, visitors on /login."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import WORKER, sign_in

pytestmark = pytest.mark.e2e

OFFICE_ROUTES = [
    "/customers",
    "/customers/00000000-0000-4000-8000-000000000000",
    "/jobs",
    "/jobs/list",
    "/jobs/00000000-0000-4000-8000-000000000000",
    "/schedule",
    "/people",
    "/conflicts",
    "/activity",
]


def test_a_worker_sees_none_of_the_office_screens(page):
    sign_in(page, WORKER)
    page.wait_for_url(re.compile(r"/field/?$"))
    for route in OFFICE_ROUTES:
        page.goto(route)
        page.wait_for_url(re.compile(r"/field/?$"))
        expect(page.get_by_role("navigation", name="Field")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
        expect(page.get_by_role("table")).to_have_count(0)


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(page):
    page.goto("/people")
    page.wait_for_url(re.compile(r"/login\?next=%2Fpeople(%2F)?$"))
    page.goto("/api/customers/export.csv")
    assert "Sign in to continue" in page.content()
