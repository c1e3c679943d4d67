"""The production build serves the app, the API and its assets from one origin."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
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


def _built(path: str) -> Path:
    """The build's file for a page path or an asset (its .gz when there is one)."""
    name = path.strip("/") or "index"
    file = BUILD / (name if path.startswith("/assets/") else f"{name}.html")
    gz = file.with_name(file.name + ".gz")
    return gz if gz.exists() else file


def _first_load_gzip_bytes(page, path: str) -> int:
    """Sum of the gzip sizes of the page's HTML (it carries the CSS, khs_crm/first_paint.py)
    and of every JS/CSS asset the browser fetched for ``path``."""
    assets: set[str] = set()

    def remember(response):
        url = urlparse(response.url)
        if url.path.startswith("/assets/") and url.path.endswith((".js", ".css")):
            assets.add(url.path)

    page.on("response", remember)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    total = _built(path).stat().st_size
    for asset in sorted(assets):
        total += _built(asset).stat().st_size
    assert assets, "no JS/CSS assets were loaded"
    return total


def _hydrated(page) -> None:
    page.wait_for_function(
        "() => Object.keys(document.querySelector('main') || {}).some("
        "(k) => k.startsWith('__reactFiber'))"
    )


def test_sign_in_paints_without_waiting_for_a_stylesheet_or_the_runtime(page):
    """The built sign-in page carries the app's CSS inline and starts its scripts after its
    first paint (khs_crm/first_paint.py): no stylesheet is fetched, the styles apply before
    and after React hydrates, and the form signs in. Other pages are left as built."""
    login = (BUILD / "login.html").read_text()
    assert '<style data-href="/assets/__reflex_global_styles-' in login
    assert 'rel="stylesheet" type="text/css" disabled=""' in login
    assert "modulepreload" not in login and "requestAnimationFrame" in login
    for other in ("field.html", "index.html"):
        html = (BUILD / other).read_text()
        assert "<style data-href" not in html and "modulepreload" in html, other

    stylesheets: list[str] = []
    page.on("request", lambda r: r.resource_type == "stylesheet" and stylesheets.append(r.url))
    page.goto("/login")
    button = page.get_by_role("button", name="Sign in")
    colour = "el => getComputedStyle(el).backgroundColor"
    brand = button.evaluate(colour)
    assert brand not in ("", "rgba(0, 0, 0, 0)")  # .btn-primary's colour, from the inline CSS
    _hydrated(page)
    assert button.evaluate(colour) == brand
    assert stylesheets == []
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.reload()
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert page.locator(".sidebar").evaluate("el => getComputedStyle(el).display") == "flex"


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
