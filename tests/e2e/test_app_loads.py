"""The production build serves the app, the API and its assets from one origin."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import DEMO_PASSWORD, OWNER, WORKER, shown_customer_count, sign_in

pytestmark = pytest.mark.e2e

BUILD = ROOT / ".web" / "build" / "client"
# (page, who is signed in, budget): field pages 250 KB, office pages 400 KB.
BUDGETS = [
    ("/login", None, 250),
    ("/field", WORKER, 250),
    ("/", OWNER, 400),
    ("/customers", OWNER, 400),  # the heaviest office page (CSV upload)
]


def test_health_on_the_same_origin(app_server):
    with urllib.request.urlopen(app_server["url"] + "/api/health") as response:  # noqa: S310
        body = json.load(response)
    assert body["data"]["status"] == "ok"


def test_dashboard_renders_demo_numbers(page):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Customers").wait_for()
    assert shown_customer_count(page) >= 50  # the demo company, plus what other tests added


def _first_load_gzip_bytes(page, path: str) -> int:
    """Sum of the gzip sizes of every JS/CSS asset the browser fetched for ``path``."""
    assets: set[str] = set()

    def remember(response):
        url = urlparse(response.url)
        if url.path.startswith("/assets/") and url.path.endswith((".js", ".css")):
            assets.add(url.path)

    page.on("response", remember)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    total = 0
    for asset in sorted(assets):
        gz = BUILD / (asset.lstrip("/") + ".gz")
        plain = BUILD / asset.lstrip("/")
        total += (gz if gz.exists() else plain).stat().st_size
    assert assets, "no JS/CSS assets were loaded"
    return total


@pytest.mark.parametrize(("path", "email", "budget_kb"), BUDGETS)
def test_first_load_js_css_within_budget(page, path, email, budget_kb):
    if email:
        signed = page.request.post(
            "/api/auth/session", data={"email": email, "password": DEMO_PASSWORD}
        )
        assert signed.ok
    size = _first_load_gzip_bytes(page, path)
    with (ROOT / ".web" / "bundle-sizes.txt").open("a") as record:
        record.write(f"{path}\t{size}\n")
    assert size <= budget_kb * 1024, f"{path} loads {size / 1024:.1f} KB gzip > {budget_kb} KB"
