"""The field app as a crew member with gloves uses it: a phone (390×844, touch), the
production build. A tap anywhere on a job card opens the job; the header's arrow comes back;
every control is at least 48×48; the state strip and the Sync screen count the same things
through offline edits, a refused photo and reconnecting; Finish asks first and Undo takes a
move back; axe-core finds nothing critical or serious on any field screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import axe_violations
from tests.e2e.test_field_photos import add_photo, wait_on_device
from tests.e2e.test_field_pwa import PHONE, banner, open_field
from tests.e2e.test_field_sync import add_note, open_job, server, wait_synced

office, crew_job = field_pwa.office, field_pwa.crew_job

pytestmark = pytest.mark.e2e

SCREENS = ("/field", "/field/jobs", "/field/supply", "/field/sync", "/field/settings")
WCAG_A_AA = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}

# Every control a finger can hit, as the boxes it offers: a checkbox counts by its label row.
TARGETS = """() => {
  const seen = [];
  const controls = document.querySelectorAll(
    '.field-shell a[href], .field-shell button, .field-shell input, .field-shell select,'
    + ' .field-shell textarea, .field-shell summary');
  for (const el of controls) {
    const target = el.closest('label') || (el.matches('input[type=file]') ? el.parentElement : el);
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (style.visibility === 'hidden' || style.display === 'none' || !box.width) continue;
    if (el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
    const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
      .trim().slice(0, 40);
    seen.push({ name, tag: el.tagName, width: box.width, height: box.height });
  }
  return seen;
}"""


@pytest.fixture
def phone(browser, app_server, server_log_clean):
    context = browser.new_context(
        base_url=app_server["url"], viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


def too_small(page) -> list[dict]:
    return [t for t in page.evaluate(TARGETS) if t["width"] < 47.5 or t["height"] < 47.5]


def test_a_tap_anywhere_on_a_card_opens_the_job_and_the_arrow_comes_back(phone, crew_job):
    open_field(phone, crew_job["email"])
    job = crew_job["job"]
    card = phone.locator(".job-item", has_text=job["title"])
    card.wait_for()
    box = card.bounding_box()
    call = card.get_by_role("link", name=re.compile("^Call")).bounding_box()
    assert box is not None and call is not None
    # Beside the Call button, on the same row: not the button, so the tap opens the job.
    phone.touchscreen.tap(box["x"] + box["width"] - 16, call["y"] + call["height"] / 2)
    phone.wait_for_url(re.compile(r"/field/job/?\?id="))
    phone.go_back()
    card.wait_for()
    # The card's lower right corner: no text, no button there; the tap still opens the job.
    phone.touchscreen.tap(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)
    phone.wait_for_url(re.compile(r"/field/job/?\?id="))
    expect(phone.get_by_role("heading", level=1)).to_have_text(job["title"])
    # Call and Map are buttons of their own, not inside the link.
    assert phone.evaluate(
        "() => [...document.querySelectorAll('.job-item a, .job-item button')]"
        ".every((el) => !el.parentElement.closest('a, button'))"
    )
    phone.get_by_role("button", name="Back").click()
    phone.wait_for_url(re.compile(r"/field/?$"))
    expect(
        phone.get_by_role("navigation", name="Field").get_by_role("link", name="Today")
    ).to_have_attribute("aria-current", "page")


def test_every_control_on_every_field_screen_is_48_px(phone, crew_job):
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=crew_job["job"]["title"]).wait_for()
    small = {}
    for path in (*SCREENS, f"/field/job?id={crew_job['job']['id']}"):
        phone.goto(path)
        phone.locator(".field-main").wait_for()
        phone.wait_for_function("() => !document.querySelector('.field-main .empty[role=status]')")
        if path.startswith("/field/job?"):
            phone.locator("summary", has_text="Add material").click()  # its form's fields too
        if found := too_small(phone):
            small[path] = found
    assert not small, small


def test_finish_asks_first_and_undo_takes_a_move_back(phone, crew_job):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    open_job(phone, job)
    status = phone.locator("section[aria-label=Status]")
    status.get_by_role("button", name="Start job").click()
    expect(status.locator(".job-status")).to_have_text("Now: In progress")
    # Undo while the move is still on the phone: it never reaches the office.
    status.get_by_role("button", name="Undo: move back to Scheduled").click()
    expect(status.locator(".job-status")).to_have_text("Now: Scheduled")
    phone.wait_for_timeout(6000)  # longer than the undo window: nothing was held back to send
    assert server(phone, f"/api/jobs/{job['id']}")["status"] == "scheduled"

    status.get_by_role("button", name="Start job").click()
    status.get_by_role("button", name="Finish job").wait_for(timeout=15_000)
    status.get_by_role("button", name="Finish job").click()
    question = status.get_by_role("alertdialog")
    expect(question).to_contain_text("Finish this job?")
    question.get_by_role("button", name="Not yet").click()
    expect(status.locator(".job-status")).to_have_text("Now: In progress")
    status.get_by_role("button", name="Finish job").click()
    status.get_by_role("button", name="Yes, finish job").click()
    expect(status.locator(".job-status")).to_have_text("Now: Completed")
    status.get_by_role("button", name="Undo: move back to In progress").click()
    expect(status.locator(".job-status")).to_have_text("Now: In progress")
    for _ in range(60):
        if server(phone, f"/api/jobs/{job['id']}")["status"] == "in_progress":
            break
        phone.wait_for_timeout(250)
    assert server(phone, f"/api/jobs/{job['id']}")["status"] == "in_progress"


def _sync_counts(page) -> tuple[int, int]:
    """What the Sync screen lists: (waiting to be sent, needing attention)."""
    page.get_by_role("navigation", name="Field").get_by_role("link", name="Sync").click()
    page.locator("section[aria-label='Sync status']").wait_for()
    return page.locator(".ops li").count(), page.locator(".issue").count()


def _strip_counts(page) -> tuple[int, int]:
    """What the state strip says: (waiting, needing attention)."""
    if banner(page).count() == 0:
        return 0, 0
    text = banner(page).inner_text()
    waiting = re.search(r"\((\d+) waiting\)", text)
    attention = re.search(r"(\d+) items? needs? your attention", text)
    return int(waiting.group(1)) if waiting else 0, int(attention.group(1)) if attention else 0


def test_the_strip_and_the_sync_screen_always_agree(phone, crew_job):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    open_job(phone, job)
    # A file the server refuses, while online: it needs the person's attention.
    add_photo(
        phone, [{"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": b"no"}], "Scan", "issue"
    )
    expect(banner(phone)).to_contain_text("1 item needs your attention", timeout=30_000)
    phone.context.set_offline(True)
    open_job(phone, job)
    add_note(phone, "Gate sticks")
    add_note(phone, "Bring the ladder")
    expect(banner(phone)).to_contain_text("1 item needs your attention")
    strip = _strip_counts(phone)
    assert _sync_counts(phone) == (2, 1)
    # Attention wins the strip; the Sync screen shows both, and the numbers are the same.
    assert strip[1] == 1
    phone.locator(".issue").get_by_role("button", name=re.compile("^Dismiss")).click()
    wait_on_device(phone, 0)
    expect(banner(phone)).to_have_text("Offline — your changes are kept on this phone (2 waiting)")
    assert _strip_counts(phone) == _sync_counts(phone) == (2, 0)
    phone.context.set_offline(False)
    wait_synced(phone)
    assert _strip_counts(phone) == _sync_counts(phone) == (0, 0)


def test_axe_finds_nothing_critical_or_serious_on_any_field_screen(browser, app_server, crew_job):
    context = browser.new_context(
        base_url=app_server["url"], viewport=PHONE, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    try:
        open_field(page, crew_job["email"])
        page.locator(".job-item", has_text=crew_job["job"]["title"]).wait_for()
        found = {}
        for path in (*SCREENS, f"/field/job?id={crew_job['job']['id']}"):
            page.goto(path)
            page.wait_for_function(
                "() => !document.querySelector('.field-main .empty[role=status]')"
            )
            bad = [
                f"{v['id']} ({v['impact']}): {len(v['nodes'])}"
                for v in axe_violations(page, WCAG_A_AA)
                if v["impact"] in ("critical", "serious")
            ]
            if bad:
                found[path] = bad
        assert not found, found
    finally:
        context.close()
