"""The office header's search box, keyboard only, at 1440×900 and 1024×768: "/" focuses it,
fragments find a customer, a job and a person, a one-letter typo still finds the customer,
arrows move through the grouped results, Enter opens one, Escape closes; "Skip to content"
comes first; axe-core finds nothing critical or serious on /search."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AXE, OWNER, axe_violations, sign_in

pytestmark = pytest.mark.e2e

VIEWPORTS = ({"width": 1440, "height": 900}, {"width": 1024, "height": 768})
ACTIVE_OPTION = (
    "() => document.getElementById('global-search').getAttribute('aria-activedescendant') || ''"
)
ACTIVE_GROUP = """() => {
  const box = document.getElementById('global-search');
  const id = box.getAttribute('aria-activedescendant');
  const option = id && document.getElementById(id);
  return option ? option.closest('[role=group]').getAttribute('aria-labelledby') : '';
}"""


@pytest.fixture
def office(browser, app_server, server_log_clean):
    context = browser.new_context(base_url=app_server["url"])
    page = context.new_page()
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    # the signed-in name comes from the server's state: the page is hydrated and its
    # "/" listener attached (the static heading alone can come first)
    expect(page.locator(".topbar .user-name")).to_have_text("Kim Harper")
    yield page
    context.close()


def _targets(page: Page) -> dict[str, str]:
    """A demo customer and job to look for (their names are random per seed)."""
    customers = page.request.get("/api/customers?pageSize=1&sort=name").json()["data"]
    jobs = page.request.get("/api/jobs?pageSize=1").json()["data"]
    return {"customer": customers[0]["name"], "job": jobs[0]["title"]}


def _find(page: Page, text: str, kind: str) -> None:
    """Keyboard only: "/", type, ArrowDown until an option of ``kind`` is active, Enter."""
    page.wait_for_function("() => document.activeElement === document.body")
    page.keyboard.press("/")
    box = page.get_by_role("combobox", name="Find a customer, job or person")
    expect(box).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    listbox = page.get_by_role("listbox", name="Search results")
    # typed slowly, the box asks once per pause: choose among the results of the whole text
    expect(listbox).to_have_attribute("data-query", text)
    expect(listbox.get_by_role("group", name=kind.title())).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    for _ in range(16):
        before = page.evaluate(ACTIVE_OPTION)
        page.keyboard.press("ArrowDown")
        # one step at a time: the server moves the choice, then the next key goes
        page.wait_for_function(f"(before) => ({ACTIVE_OPTION})() !== before", arg=before)
        if page.evaluate(ACTIVE_GROUP) == f"search-group-{kind}":
            break
    assert page.evaluate(ACTIVE_GROUP) == f"search-group-{kind}"
    page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_header_search_finds_customer_job_and_person_by_keyboard(office: Page, viewport):
    office.set_viewport_size(viewport)
    target = _targets(office)
    first, last = target["customer"].split()[:2]

    _find(office, f"{first[:3]} {last[:4]}", "customers")  # fragments of both names
    office.wait_for_url("**/customers/*")
    expect(office.locator("main")).to_contain_text(target["customer"])

    # the first letters of each word of the title (other tests add many "Porch …" jobs)
    _find(office, " ".join(word[:4] for word in target["job"].split()), "jobs")
    office.wait_for_url("**/jobs/*")
    expect(office.locator("main")).to_contain_text(target["job"])

    _find(office, "jorda", "people")
    office.wait_for_url("**/people")

    # one letter left out of the first name: the nearest customer comes first
    typo = first[:2] + first[3:] if len(first) > 3 else first + "x"
    _find(office, f"{typo} {last}", "customers")
    office.wait_for_url("**/customers/*")
    expect(office.locator("main")).to_contain_text(target["customer"])


def test_escape_closes_and_enter_opens_every_result(office: Page):
    office.wait_for_function("() => document.activeElement === document.body")
    office.keyboard.press("Tab")
    skip = office.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    office.keyboard.press("/")
    expect(office.get_by_role("combobox", name="Find a customer, job or person")).to_be_focused()
    office.keyboard.type("smith")
    listbox = office.get_by_role("listbox", name="Search results")
    expect(listbox).to_be_visible()
    office.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    office.keyboard.press("Enter")
    office.wait_for_url("**/search?q=smith")
    expect(office.get_by_role("heading", name="Search", level=1)).to_be_visible()
    expect(office.get_by_role("heading", name="Customers", level=2)).to_be_visible()
    # Enter pressed as the last letter is typed (before the typing reaches the server, 200 ms
    # later) opens the results of every letter, and the late typing opens no list over them
    box = office.get_by_role("combobox", name="Find a customer, job or person")
    box.fill("")
    box.press_sequentially("garcia")
    box.press("Enter")
    office.wait_for_url("**/search?q=garcia")
    expect(office.get_by_role("heading", name="Customers", level=2)).to_be_visible()
    office.wait_for_timeout(600)
    expect(office.get_by_role("listbox", name="Search results")).to_be_hidden()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_axe_finds_nothing_critical_or_serious_on_search(browser, app_server, viewport):
    assert AXE.exists(), "cd tests/js && npm install (axe-core)"
    context = browser.new_context(base_url=app_server["url"], bypass_csp=True, viewport=viewport)
    page = context.new_page()
    sign_in(page, OWNER, start="/search?q=an")
    expect(page.get_by_role("heading", name="Customers", level=2)).to_be_visible()
    page.add_script_tag(path=str(AXE))
    problems = {"page": _serious(page)}
    page.keyboard.press("/")
    page.keyboard.type("an")
    expect(page.get_by_role("listbox", name="Search results")).to_be_visible()
    page.keyboard.press("ArrowDown")
    problems["open box"] = _serious(page)
    sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert problems == {"page": [], "open box": []}
    assert sideways <= 0


def _serious(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
        if v["impact"] in ("critical", "serious")
    ]
