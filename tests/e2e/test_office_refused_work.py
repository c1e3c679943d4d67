"""Crew work the office's data refused is on the Conflicts screen: restore it or dismiss it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO_PASSWORD, OWNER, WORKER, push_material_edit, sign_in
from tests.e2e.test_office_flow import go

pytestmark = pytest.mark.e2e


def _tick_after_delete(page: Page, url: str) -> tuple[str, str, str]:
    """The office adds and deletes a material; a phone that still had it ticks it as bought.

    Returns the job's id, the material's id and the sentence the office should read."""
    headers = {"X-KHS-CSRF": "1", "Origin": url}
    phone = page.context.browser.new_context(base_url=url)
    try:
        assert phone.request.post(
            "/api/auth/session", data={"email": WORKER, "password": DEMO_PASSWORD}
        ).ok
        job = phone.request.get("/api/jobs?status=in_progress&pageSize=1").json()["data"][0]
        name = f"Quartz slab {uuid.uuid4().hex[:6]}"
        added = page.request.post(
            f"/api/jobs/{job['id']}/materials", data={"name": name}, headers=headers
        )
        assert added.ok, added.text()
        material = added.json()["data"]
        deleted = page.request.delete(f"/api/materials/{material['id']}", headers=headers)
        assert deleted.ok, deleted.text()
        result = push_material_edit(phone, url, material, {"purchased": True})
        assert result["status"] == "conflict", result
        sentence = f"{name} on {job['title']} was deleted by the office; your tick was not applied."
        return job["id"], material["id"], sentence
    finally:
        phone.close()


def _materials(page: Page, job_id: str) -> dict[str, dict]:
    rows = page.request.get(f"/api/jobs/{job_id}/materials").json()["data"]
    return {row["id"]: row for row in rows}


def test_a_tick_on_a_deleted_material_can_be_restored(page: Page, app_server):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    job_id, material_id, sentence = _tick_after_delete(page, app_server["url"])
    go(page, "Conflicts")
    item = page.locator(".conflict", has_text=sentence)
    expect(item).to_be_visible()
    expect(item.get_by_text("The crew tried: purchased: Yes")).to_be_visible()
    page.screenshot(path=str(app_server["data"] / "conflicts-refused.png"), full_page=True)
    item.get_by_role("button", name="Restore with the crew's change").click()
    expect(page.get_by_text("Settled.")).to_be_visible()
    expect(page.locator(".conflict", has_text=sentence)).to_have_count(0)
    assert _materials(page, job_id)[material_id]["purchased"] is True


def test_a_tick_on_a_deleted_material_can_be_dismissed(page: Page, app_server):
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    job_id, material_id, sentence = _tick_after_delete(page, app_server["url"])
    go(page, "Conflicts")
    item = page.locator(".conflict", has_text=sentence)
    item.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Settled.")).to_be_visible()
    expect(page.locator(".conflict", has_text=sentence)).to_have_count(0)
    assert material_id not in _materials(page, job_id)
