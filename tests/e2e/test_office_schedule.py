"""The dispatcher's schedule at 1440×900 and 1024×768: a person on two jobs at once is
flagged on the schedule (card and row), on the job page (before and after assigning) and on
the dashboard; an on-hold job says so; a job is moved by drag and drop and by the keyboard's
"Move to…" dialog (its length kept, checked through the API); a job waiting for a date is
placed on a day; a stale move is refused in words; the week (today, the weekend) and the
jobs board fit 1024 px; axe-core finds nothing critical or serious on /schedule."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from khs_crm.settings import get_settings
from tests.e2e.helpers import AXE, OWNER, axe_violations, sign_in

pytestmark = pytest.mark.e2e

VIEWPORTS = ({"width": 1440, "height": 900}, {"width": 1024, "height": 768})
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# The elements reaching past the window's right edge (for the failure message).
WIDE = """() => [...document.querySelectorAll('body *')].filter((el) => {
  if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== 'visible') return false;
  }
  return true;
}).slice(0, 6).map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)"""
ZONE = ZoneInfo(get_settings().timezone)


class Office:
    """The REST API as the signed-in owner (the browser's cookie and the CSRF header)."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.headers = page, {"X-KHS-CSRF": "1", "Origin": url}

    def call(self, method: str, path: str, body=None, **headers) -> dict:
        response = self.page.request.fetch(
            path, method=method, data=body, headers={**self.headers, **headers}
        )
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json()["data"]

    def worker(self, name: str) -> dict:
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        body = {"name": name, "email": email, "role": "worker", "password": "pw-schedule-2026"}
        return self.call("POST", "/api/users", body)

    def job(self, title: str, crew: list[dict], span=None, status="scheduled") -> dict:
        customer = self.call("GET", "/api/customers?pageSize=1")[0]
        body = {
            "customerId": customer["id"],
            "title": title,
            "assignedUserIds": [w["id"] for w in crew],
        }
        if span:
            body |= {"scheduledStart": span[0].isoformat(), "scheduledEnd": span[1].isoformat()}
        job = self.call("POST", "/api/jobs", body)
        path = {"quoted": ["quoted"], "scheduled": ["quoted", "scheduled"]}.get(status)
        for step in path or ["quoted", "scheduled", "on_hold"]:
            job = self.call("PUT", f"/api/jobs/{job['id']}/status", {"status": step})
        return job

    def get(self, job: dict) -> dict:
        return self.call("GET", f"/api/jobs/{job['id']}")


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), ZONE)


@pytest.fixture
def office(request, browser, app_server, server_log_clean):
    """A signed-in owner's page; ``no-csp`` lets axe-core's script in (as test_office_axe)."""
    context = browser.new_context(base_url=app_server["url"], bypass_csp=request.param)
    page = context.new_page()
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    yield page, Office(page, app_server["url"])
    context.close()


@pytest.fixture
def retired(office):
    """The people a test makes, deactivated at its end: the schedule lists active workers by
    name, and an earlier run's tall rows between the waiting list and this run's people would
    put a drag out of the window's reach."""
    people: list[dict] = []
    yield people
    _page, api = office
    for person in people:
        api.call("PUT", f"/api/users/{person['id']}", {"active": False})


def _week(today: date) -> tuple[date, date]:
    """Today, and another day of the same week (the schedule shows Monday to Sunday)."""
    monday = today - timedelta(days=today.weekday())
    return today, monday + timedelta(days=(today.weekday() + 2) % 7)


def _open_schedule(page: Page) -> None:
    page.goto("/schedule")
    page.get_by_role("table", name="Jobs by worker and day").wait_for()


def _cell(page: Page, worker: str, day: date):
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=worker))
    return row.locator(f"td[data-drop-day='{day.isoformat()}']")


def _card(page: Page, worker: str, day: date, title: str):
    return _cell(page, worker, day).locator(f"li[data-move-title='{title}']")


# Both ends of a drag in sight: the card scrolled to the top of its own list (the waiting
# list scrolls on its own); the card is held at its edge nearest the drop (a card in a narrow
# day column is tall), and the page scrolled so the higher of the two points is near the top.
# Answers the height in the card to hold it at.
IN_SIGHT = """([card, cell]) => {
  for (const list of [card.closest('.waiting'), card.closest('.slots')].filter(Boolean)) {
    const a = card.getBoundingClientRect(), b = list.getBoundingClientRect();
    list.scrollTop += a.top - b.top;
    list.scrollLeft += a.left - b.left;
  }
  const a = card.getBoundingClientRect(), b = cell.getBoundingClientRect();
  const hold = b.top > a.bottom ? a.height - 10 : 10;
  window.scrollBy(0, Math.min(a.top + hold, b.top) - 40);
  return hold;
}"""


def _drag(page: Page, source, target) -> None:
    """Drag and drop with the mouse, both ends in sight first, the drop near the cell's top."""
    hold = page.evaluate(IN_SIGHT, [source.element_handle(), target.element_handle()])
    start, end = source.bounding_box(), target.bounding_box()
    height = page.viewport_size["height"]
    assert start and 0 <= start["y"] + hold < height, ("drag out of sight", start, hold)
    assert end and end["y"] >= -1 and end["y"] + 12 < height, ("drop out of sight", end)
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + hold)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 12, steps=10)
    page.mouse.up()


def _serious(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
        if v["impact"] in ("critical", "serious")
    ]


def _fits(page: Page) -> None:
    assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls sideways: {page.evaluate(WIDE)}"


@pytest.mark.parametrize("office", [False], ids=["csp"], indirect=True)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_schedule_warns_and_moves_jobs(office, viewport, app_server, retired):
    page, api = office
    page.set_viewport_size(viewport)
    tag = uuid.uuid4().hex[:5]
    # first on the schedule (rows are sorted by name), and next to each other
    casey, robin = api.worker(f"Aaron {tag} Casey"), api.worker(f"Aaron {tag} Robin")
    retired.extend([casey, robin])
    today, other = _week(datetime.now(ZONE).date())
    deck = api.job(f"Deck {tag}", [casey], (at(today, 8), at(today, 12)))
    porch = api.job(f"Porch {tag}", [casey], (at(today, 10), at(today, 14)))
    api.job(f"Fence {tag}", [robin], (at(today, 11), at(today, 13)))
    api.job(f"Shed {tag}", [casey], (at(other, 8), at(other, 9)), status="on_hold")
    gutter = api.job(f"Gutter {tag}", [], status="quoted")
    shots = app_server["data"] / f"schedule-{viewport['width']}"

    # the schedule: both cards and Casey's row say so, in words
    _open_schedule(page)
    expect(_card(page, casey["name"], today, deck["title"])).to_contain_text(
        f"Double-booked: also on Porch {tag}"
    )
    expect(_card(page, casey["name"], today, porch["title"])).to_contain_text(f"also on Deck {tag}")
    expect(page.get_by_role("rowheader", name=casey["name"])).to_contain_text("Double-booked on")
    expect(page.get_by_role("rowheader", name=robin["name"])).not_to_contain_text("Double-booked")
    expect(_card(page, casey["name"], other, f"Shed {tag}")).to_contain_text("On hold")
    waiting = page.get_by_role("region", name="Waiting for a date")
    expect(waiting.get_by_role("link", name=gutter["title"])).to_be_visible()
    # today and Sunday are on screen, and nothing scrolls sideways
    for header in (page.locator("th[aria-current=date]"), page.locator("thead th").last):
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= viewport["width"], "a day is off screen"
    _fits(page)
    page.screenshot(path=f"{shots}-week.png", full_page=True)

    # the dashboard: "Aaron … Casey has 2 jobs at 10:00 AM today", with links to both
    page.goto("/")
    clashes = page.locator("section", has=page.get_by_role("heading", name="Double bookings"))
    line = clashes.get_by_role("listitem").filter(
        has_text=f"{casey['name']} has 2 jobs at 10:00 AM"
    )
    expect(line.get_by_role("link", name=deck["title"])).to_be_visible()
    expect(line.get_by_role("link", name=porch["title"])).to_be_visible()
    page.screenshot(path=f"{shots}-dashboard.png")

    # the job page: Casey's clash after saving; Robin's warned of before assigning
    page.goto(f"/jobs/{deck['id']}")
    crew = page.locator("section.card", has=page.get_by_role("heading", name="Crew"))
    expect(crew).to_contain_text(f"{casey['name']} is also on another job at this time:")
    expect(crew.get_by_role("link", name=porch["title"])).to_be_visible()
    crew.get_by_label("Worker to assign").select_option(robin["id"])
    expect(page.locator("#assign-warning")).to_contain_text(
        f"{robin['name']} is already on “Fence {tag}”"
    )
    crew.get_by_role("button", name="Assign").click()
    expect(crew).to_contain_text(f"{robin['name']} is also on another job at this time:")
    page.screenshot(path=f"{shots}-job.png", full_page=True)

    # drag Porch from today to the other day, to Robin: its 4 hours kept
    _open_schedule(page)
    porch_card = _card(page, casey["name"], today, porch["title"])
    _drag(page, porch_card, _cell(page, robin["name"], other))
    expect(page.get_by_text(f"Moved “{porch['title']}”")).to_be_visible()
    moved = api.get(porch)
    start = datetime.fromisoformat(moved["scheduledStart"]).astimezone(ZONE)
    assert (start.date(), start.hour) == (other, 10)
    assert datetime.fromisoformat(moved["scheduledEnd"]) - start == timedelta(hours=4)
    assert [m["id"] for m in moved["crew"]] == [robin["id"]]
    expect(_card(page, casey["name"], today, deck["title"])).not_to_contain_text("Double-booked")

    # keyboard only: "Move to…" on Deck, the day and the person chosen by typing, Enter
    button = _card(page, casey["name"], today, deck["title"]).get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=f"Move “{deck['title']}”")
    expect(dialog.get_by_label("Day")).to_be_focused()
    page.keyboard.type(f"{other:%a}")
    page.keyboard.press("Tab")
    page.keyboard.type(casey["name"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Move job")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Moved “{deck['title']}”")).to_be_visible()
    moved = api.get(deck)
    start = datetime.fromisoformat(moved["scheduledStart"]).astimezone(ZONE)
    assert (start.date(), start.hour) == (other, 8)
    assert sorted(m["id"] for m in moved["crew"]) == sorted([casey["id"], robin["id"]])

    # a job waiting for a date, dragged onto Casey's today: 8 AM for a working day
    _card(page, casey["name"], other, deck["title"]).wait_for()
    waiting_card = waiting.locator(f"li[data-move-title='{gutter['title']}']")
    _drag(page, waiting_card, _cell(page, casey["name"], today))
    expect(_card(page, casey["name"], today, gutter["title"])).to_be_visible()
    placed = api.get(gutter)
    start = datetime.fromisoformat(placed["scheduledStart"]).astimezone(ZONE)
    assert (start.date(), start.hour) == (today, 8)
    assert datetime.fromisoformat(placed["scheduledEnd"]) - start == timedelta(hours=8)
    page.screenshot(path=f"{shots}-moved.png", full_page=True)

    # someone else changes Gutter after the week was shown: the drop is refused in words
    api.call("PUT", f"/api/jobs/{gutter['id']}", {"description": "Changed elsewhere"})
    gutter_card = _card(page, casey["name"], today, gutter["title"])
    _drag(page, gutter_card, _cell(page, casey["name"], other))
    refused = page.get_by_role("alert").filter(has_text="was changed by someone else")
    expect(refused).to_contain_text(f"“{gutter['title']}”")
    assert api.get(gutter)["scheduledStart"] == placed["scheduledStart"]


@pytest.mark.parametrize("office", [True], ids=["no-csp"], indirect=True)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_schedule_and_board_fit_and_axe_finds_nothing_serious(office, viewport, app_server):
    page, _api = office
    page.set_viewport_size(viewport)
    _open_schedule(page)
    _fits(page)
    page.add_script_tag(path=str(AXE))
    assert not _serious(page), _serious(page)
    # the "Move to…" dialog too; Escape closes it and nothing moved
    page.locator("button.move-button").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Day")).to_be_focused()
    page.screenshot(path=str(app_server["data"] / f"move-dialog-{viewport['width']}.png"))
    assert not _serious(page), _serious(page)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.goto("/jobs")
    page.get_by_role("heading", name="Jobs").first.wait_for()
    page.locator(".board").wait_for()
    _fits(page)
    page.screenshot(path=str(app_server["data"] / f"board-{viewport['width']}.png"))
