"""A cold start of the Today screen paints the crew's jobs before React has loaded
(assets/khs_first_paint.js, khs_crm/first_paint.py), on the production build at 390×844:
with Reflex's runtime held back the cards are on screen and their links work; once it has
loaded React paints the same cards and the early layer goes, and no websocket is opened (the
field pages hold no server state); a warm start paints no layer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import DEMO_PASSWORD
from tests.e2e.test_field_pwa import PHONE, open_field

office, crew_job = field_pwa.office, field_pwa.crew_job

pytestmark = pytest.mark.e2e

RUNTIME = re.compile(r"/assets/[^?]*\.js(\?.*)?$")  # Reflex's runtime and the page's modules
CARDS = """(root) => [...document.querySelectorAll(root + ' .job-item')].map((card) => ({
  text: card.innerText,
  links: [...card.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.className,
    a.getAttribute('aria-label')]),
  buttons: [...card.querySelectorAll('button')].map((b) => [b.className,
    b.getAttribute('aria-label')]),
}))"""


@pytest.fixture
def cold_phone(browser, app_server, server_log_clean, crew_job):
    """A phone that has never opened the app, its session cookie set (no sign-in page: that
    page loads the runtime), and Reflex's runtime held back until ``release`` is called."""
    context = browser.new_context(
        base_url=app_server["url"], viewport=PHONE, has_touch=True, is_mobile=True
    )
    signed = context.request.post(
        "/api/auth/session", data={"email": crew_job["email"], "password": DEMO_PASSWORD}
    )
    assert signed.ok, signed.text()
    held: list = []
    released = {"yet": False}
    page = context.new_page()

    def handler(route) -> None:
        if released["yet"]:
            route.continue_()
        else:
            held.append(route)

    def release() -> None:
        released["yet"] = True
        while held:
            held.pop(0).continue_()

    page.route(RUNTIME, handler)
    yield page, release
    context.close()


def hydrated(page) -> bool:
    return page.evaluate("() => window.__reactRouterRouteModules !== undefined")


def painted_early(page, title: str):
    """Open Today (a cold start) and wait for the job's card painted before React."""
    page.goto("/field", wait_until="commit")
    card = page.locator("#khs-first-paint .job-item", has_text=title)
    expect(card).to_be_visible(timeout=20_000)
    return card


def test_the_jobs_are_painted_before_react_and_react_paints_the_same(cold_phone, crew_job):
    page, release = cold_phone
    sockets: list = []
    page.on("websocket", lambda socket: sockets.append(socket))
    title = crew_job["job"]["title"]
    early = painted_early(page, title)
    assert not hydrated(page)  # nothing of Reflex's runtime has run
    expect(early).to_contain_text(crew_job["customer"]["name"])
    expect(early).to_contain_text("3 to buy")
    expect(early.get_by_role("link", name=title)).to_have_attribute(
        "href", f"/field/job?id={crew_job['job']['id']}"
    )
    # The layer covers the page's "Loading…" where the screen's content starts.
    main = page.locator("main.field-main").bounding_box()
    layer = page.locator("#khs-first-paint").bounding_box()
    assert main and layer and abs(main["y"] - layer["y"]) < 1
    painted = page.evaluate(CARDS, "#khs-first-paint")

    release()
    expect(page.locator("#khs-first-paint")).to_have_count(0, timeout=30_000)
    expect(page.locator("main .job-item", has_text=title)).to_be_visible()
    assert hydrated(page)
    # The same cards, word for word, with the same links and buttons.
    assert page.evaluate(CARDS, "main") == painted
    # And the app works: the card opens the job.
    page.locator("main .job-item", has_text=title).get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/field/job/?\?id="))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # The field pages hold no server state: Reflex never opened its websocket.
    assert sockets == []


def test_a_card_painted_early_opens_the_job_before_react_has_loaded(cold_phone, crew_job):
    page, release = cold_phone
    title = crew_job["job"]["title"]
    box = painted_early(page, title).bounding_box()
    assert box
    page.touchscreen.tap(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)
    page.wait_for_url(re.compile(r"/field/job/?\?id="), wait_until="commit")
    release()
    expect(page.get_by_role("heading", level=1)).to_have_text(title, timeout=30_000)


def test_clock_in_tapped_before_react_is_done_once_the_app_has_the_jobs(cold_phone, crew_job):
    page, release = cold_phone
    title = crew_job["job"]["title"]
    early = painted_early(page, title)
    early.get_by_role("button", name=f"Clock in on {title}").click()
    expect(early.get_by_role("button", name=f"Clock in on {title}")).to_have_attribute(
        "aria-pressed", "true"
    )
    release()
    expect(page.locator("#khs-first-paint")).to_have_count(0, timeout=30_000)
    card = page.locator("main .job-item", has_text=title)
    expect(card.get_by_role("button", name=f"Clocked in on {title}")).to_be_visible()
    expect(page.get_by_role("region", name="Time clock")).to_contain_text(title)


def test_a_warm_start_paints_no_early_layer(browser, app_server, server_log_clean, crew_job):
    context = browser.new_context(base_url=app_server["url"], viewport=PHONE)
    page = context.new_page()
    try:
        open_field(page, crew_job["email"])
        card = page.locator("main .job-item", has_text=crew_job["job"]["title"])
        expect(card).to_be_visible()
        page.reload()
        expect(card).to_be_visible()
        assert page.evaluate("() => window.khsRuntime === true")
        assert page.evaluate("() => document.getElementById('khs-first-paint') === null")
    finally:
        context.close()
