"""Offline edits in the field app reach the server exactly once (production build, real sync).

Edits are made with the browser offline, survive reloads, and sync when it comes back;
the server's view is checked through the REST API with the page's own session cookie.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.test_field_pwa import banner, open_field, record

# The fixtures live beside the PWA tests; naming them here makes them available to this module.
office, crew_job, phone = field_pwa.office, field_pwa.crew_job, field_pwa.phone

pytestmark = pytest.mark.e2e

CSRF = {"X-KHS-CSRF": "1"}
EXTRAS = {"customer", "crew", "materialsSummary"}  # job detail fields a sync row does not have


def server(page, path: str):
    """GET a REST resource as the signed-in worker (the page's cookie)."""
    response = page.request.get(path, headers=CSRF)
    assert response.ok, f"{path}: {response.status}"
    return response.json()["data"]


def open_job(page, job: dict) -> None:
    page.goto(f"/field/job?id={job['id']}")
    page.get_by_role("heading", name=job["title"]).wait_for()


def open_job_offline(page, crew_job: dict) -> dict:
    """Sign in as the crew member, let the first sync finish, go offline, open their job."""
    job = crew_job["job"]
    open_field(page, crew_job["email"])
    page.locator(".job-item", has_text=job["title"]).wait_for()
    page.context.set_offline(True)
    open_job(page, job)
    return job


def checkbox(page, name: str):
    return page.locator("section[aria-label=Materials]").get_by_role("checkbox", name=name)


def open_material_form(page):
    """The add-material form, unfolded ("Add material" opens it; it stays open)."""
    form = page.get_by_role("form", name="Add a material")
    if not form.is_visible():
        page.locator("summary", has_text="Add material").click()
    return form


def add_material(page, name: str) -> None:
    form = open_material_form(page)
    form.get_by_label("Material").fill(name)
    form.get_by_label("Quantity").fill("3")
    form.get_by_label("Unit").fill("bag")
    form.get_by_label("Supplier").fill("Lowe's")
    form.get_by_role("button", name="Add", exact=True).click()


def add_note(page, body: str) -> None:
    form = page.get_by_role("form", name="Add a note")
    form.get_by_label("New note").fill(body)
    form.get_by_role("button", name="Add note").click()


DEVICE_COUNTS = """async (names) => {
    const user = JSON.parse(localStorage.getItem('khs.lastUser'));
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('khs-user-' + user.id);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const count = (name) => new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => resolve(request.result);
    });
    const counts = [];
    for (const name of names) counts.push(await count(name));
    db.close();
    return counts;
}"""


def device_counts(page, *stores: str) -> list[int]:
    """How many rows each of the device database's stores holds (the signed-in user's)."""
    return page.evaluate(DEVICE_COUNTS, list(stores))


def queued_on_device(page) -> int:
    return device_counts(page, "syncQueue")[0]


def wait_saved_on_device(page, count: int) -> None:
    """The screen changes at once; wait until the edits are committed to IndexedDB too."""
    for _ in range(50):
        if queued_on_device(page) == count:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"expected {count} operations in the device's outbox")


def wait_synced(page) -> None:
    """Back online: the banner goes and the Sync screen says nothing is waiting."""
    page.get_by_role("navigation", name="Field").get_by_role("link", name="Sync").click()
    page.get_by_text("Every change has reached the office.").wait_for(timeout=30_000)
    expect(page.locator(".sync-state")).to_have_text("Up to date")
    assert banner(page).count() == 0
    assert queued_on_device(page) == 0


def tap_to_frame_ms(page, name: str) -> float:
    """Milliseconds from a tap on a material's checkbox to the first frame showing the change."""
    return page.evaluate(
        """(name) => new Promise((resolve) => {
            const box = document.querySelector(`input[aria-label="${name}"]`);
            const row = box.closest('label');
            const start = performance.now();
            box.click();
            const frame = () => row.querySelector('.tag-pending') && box.checked
                ? resolve(performance.now() - start)
                : requestAnimationFrame(frame);
            requestAnimationFrame(frame);
        })""",
        name,
    )


def test_offline_edits_survive_reloads_and_reach_the_server_once(phone, crew_job):
    job, names = open_job_offline(phone, crew_job), crew_job["materials"]

    tap_ms = tap_to_frame_ms(phone, f"{names[0]} (2 box)")
    record("tap to frame, offline tick ms", tap_ms)
    assert tap_ms < 50  # goal 16 ms (one frame); the margin absorbs a busy CI machine
    checkbox(phone, f"{names[1]} (2 box)").check()
    phone.get_by_role("button", name="Start job").click()
    phone.locator(".job-status").get_by_text("In progress").wait_for()
    add_note(phone, "Side gate sticks; lift it.")
    add_material(phone, "Concrete mix")
    assert banner(phone).inner_text() == "Offline — your changes are kept on this phone (5 waiting)"
    wait_saved_on_device(phone, 5)

    phone.reload()
    phone.get_by_role("heading", name=job["title"]).wait_for()
    assert checkbox(phone, f"{names[0]} (2 box)").is_checked()
    assert checkbox(phone, f"{names[1]} (2 box)").is_checked()
    assert not checkbox(phone, f"{names[2]} (2 box)").is_checked()
    assert not checkbox(phone, "Concrete mix (3 bag)").is_checked()
    phone.get_by_text("Side gate sticks; lift it.").wait_for()
    phone.locator(".job-status").get_by_text("In progress").wait_for()
    assert banner(phone).inner_text() == "Offline — your changes are kept on this phone (5 waiting)"
    phone.get_by_role("navigation", name="Field").get_by_role("link", name="Sync").click()
    expect(phone.locator(".ops li")).to_have_count(5)

    phone.context.set_offline(False)
    wait_synced(phone)
    materials = {m["name"]: m for m in server(phone, f"/api/jobs/{job['id']}/materials")}
    assert sorted(materials) == sorted([*names, "Concrete mix"])
    assert [materials[n]["purchased"] for n in names] == [True, True, False]
    assert materials["Concrete mix"]["quantity"] == 3
    assert server(phone, f"/api/jobs/{job['id']}")["status"] == "in_progress"
    notes = [n["body"] for n in server(phone, f"/api/jobs/{job['id']}/notes")]
    assert notes.count("Side gate sticks; lift it.") == 1


def test_a_push_whose_answer_is_lost_is_retried_without_duplicates(phone, crew_job):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=job["title"]).wait_for()
    pushes = []

    def lose_first_answer(route):
        pushes.append(json.loads(route.request.post_data)["operations"])
        if len(pushes) == 1:
            route.fetch()  # the server applies the push...
            route.abort("connectionreset")  # ...but its answer never arrives
        else:
            route.continue_()

    phone.context.route("**/api/sync/push", lose_first_answer)
    open_job(phone, job)
    add_material(phone, "Rebar ties")
    checkbox(phone, "Rebar ties (3 bag)").wait_for()
    wait_synced(phone)
    assert len(pushes) >= 2
    assert pushes[0][0]["opId"] == pushes[1][0]["opId"]
    materials = [m["name"] for m in server(phone, f"/api/jobs/{job['id']}/materials")]
    assert materials.count("Rebar ties") == 1


def test_a_rejected_change_reverts_and_is_shown_to_the_user(phone, crew_job):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    phone.locator(".job-item", has_text=job["title"]).wait_for()
    server_row = server(phone, f"/api/jobs/{job['id']}")

    def reject(route):
        ops = json.loads(route.request.post_data)["operations"]
        results = [
            {
                "opId": op["opId"],
                "status": "rejected",
                "version": None,
                "conflicts": [],
                "serverRow": {k: v for k, v in server_row.items() if k not in EXTRAS},
                "error": {"code": "FORBIDDEN", "message": "The office closed this job."},
            }
            for op in ops
        ]
        route.fulfill(json={"data": {"results": results, "cursor": 0}})

    phone.context.route("**/api/sync/push", reject)
    open_job(phone, job)
    phone.get_by_role("button", name="Start job").click()
    status = phone.locator(".job-status")
    status.get_by_text("In progress").wait_for()
    status.get_by_text("Scheduled").wait_for(timeout=15_000)  # reverted to the server's row
    assert "needs your attention" in banner(phone).inner_text()
    phone.get_by_role("navigation", name="Field").get_by_role("link", name="Sync").click()
    issue = phone.locator(".issue")
    issue.get_by_text("Not accepted").wait_for()
    assert "The office closed this job." in issue.inner_text()
    issue.get_by_role("button", name="Dismiss").click()
    phone.get_by_text("No rejected changes or conflicts.").wait_for()
    assert server(phone, f"/api/jobs/{job['id']}")["status"] == "scheduled"


def test_sign_out_warns_about_unsent_changes_and_clears_the_phone(phone, crew_job):
    open_job_offline(phone, crew_job)
    add_note(phone, "Unsent note")
    phone.context.route("**/api/sync/push", lambda route: route.abort())  # keep it unsent
    phone.context.set_offline(False)
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        if len(messages) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    phone.on("dialog", answer)
    phone.get_by_role("link", name="Settings").click()  # who is signed in, and the way out
    phone.get_by_role("heading", name="Language").wait_for()
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_timeout(300)
    assert "1 change has not reached the office" in messages[0]
    assert "/field/settings" in phone.url  # cancelled: still signed in, note still here
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login**")
    databases = phone.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))")
    assert not [name for name in databases if name.startswith("khs-user-")]
    assert phone.evaluate("localStorage.getItem('khs.lastUser')") is None
