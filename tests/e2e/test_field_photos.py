"""Photos from the field app: taken offline, kept on the phone across a reload, uploaded once
when the signal is back (production build, real service worker, real upload route)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import DEMO_PASSWORD
from tests.e2e.test_field_pwa import banner, open_field
from tests.e2e.test_field_sync import (
    device_counts,
    open_job,
    open_job_offline,
    server,
    wait_synced,
)
from tests.support.photo_files import image_bytes

office, crew_job, phone = field_pwa.office, field_pwa.crew_job, field_pwa.phone

pytestmark = pytest.mark.e2e


def photos_card(page):
    return page.locator("section[aria-label=Photos]")


def add_photo(page, files: list[dict], caption: str, tag: str) -> None:
    form = page.get_by_role("form", name="Add a photo")
    form.get_by_label("Caption").fill(caption)
    form.get_by_label("Tag").select_option(tag)
    form.get_by_label("From gallery").set_input_files(files)  # kept at once: no "Add" to press


def wait_on_device(page, count: int) -> None:
    for _ in range(100):
        if device_counts(page, "photoUploads", "photoBlobs") == [count, count]:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"expected {count} photos kept on the device")


def test_a_photo_taken_offline_survives_a_reload_and_uploads_once(phone, crew_job):
    job = open_job_offline(phone, crew_job)

    jpeg = image_bytes("JPEG", (320, 240), gps=True)
    shot_file = {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg}
    add_photo(phone, [shot_file], "Rotten sill", "before")
    card = photos_card(phone)
    shot = card.get_by_role("img", name="Rotten sill")
    expect(shot).to_be_visible()
    expect(card.get_by_text("Waiting to upload")).to_be_visible()
    assert banner(phone).inner_text() == "Offline — your changes are kept on this phone (1 waiting)"
    wait_on_device(phone, 1)
    # The preview is the phone's own copy, not a request to the server.
    assert shot.get_attribute("src").startswith("blob:")

    phone.reload()
    phone.get_by_role("heading", name=job["title"]).wait_for()
    expect(photos_card(phone).get_by_role("img", name="Rotten sill")).to_be_visible()
    expect(photos_card(phone).get_by_text("Waiting to upload")).to_be_visible()
    assert (
        phone.get_by_role("form", name="Add a photo")
        .get_by_label("Take a photo")
        .get_attribute("capture")
        == "environment"
    )

    phone.context.set_offline(False)
    wait_synced(phone)
    assert device_counts(phone, "photoUploads", "photoBlobs") == [0, 0]
    photos = server(phone, f"/api/jobs/{job['id']}/photos")
    assert [(p["caption"], p["tag"], p["contentType"]) for p in photos] == [
        ("Rotten sill", "before", "image/jpeg")
    ]
    served = phone.request.get(photos[0]["fileUrl"])
    assert served.ok and served.body()[:3] == b"\xff\xd8\xff"
    assert b"GPSLatitude" not in served.body()

    open_job(phone, job)
    uploaded = photos_card(phone).get_by_role("img", name="Rotten sill")
    expect(uploaded).to_be_visible()
    assert uploaded.get_attribute("src").startswith("/api/photos/")
    expect(photos_card(phone).get_by_text("Waiting to upload")).to_have_count(0)


def add_refused_photo(page, crew_job: dict, name: str, body: bytes, caption: str) -> dict:
    """Online, add a file that is no photo: the server refuses it; the card says so."""
    job = crew_job["job"]
    open_field(page, crew_job["email"])
    open_job(page, job)
    add_photo(page, [{"name": name, "mimeType": "image/jpeg", "buffer": body}], caption, "issue")
    expect(photos_card(page).get_by_role("alert")).to_contain_text("Not uploaded:", timeout=30_000)
    return job


def test_a_file_the_server_refuses_is_shown_and_can_be_discarded(phone, crew_job):
    job = add_refused_photo(phone, crew_job, "notes.jpg", b"just some text", "Not a photo")
    card = photos_card(phone)
    alert = card.get_by_role("alert")
    assert server(phone, f"/api/jobs/{job['id']}/photos") == []
    route = f"/api/jobs/{job['id']}/photos"
    with phone.expect_request(lambda r: r.method == "POST" and r.url.endswith(route)) as sent:
        card.get_by_role("button", name="Try again to upload: Not a photo").click()
    assert sent.value.headers["content-type"].startswith("multipart/form-data")
    expect(alert).to_contain_text("Not uploaded:", timeout=30_000)
    card.get_by_role("button", name="Discard photo: Not a photo").click()
    expect(card.get_by_role("img", name="Not a photo")).to_have_count(0)
    wait_on_device(phone, 0)


def test_a_refused_photo_is_listed_on_the_sync_screen_until_dismissed(phone, crew_job):
    job = add_refused_photo(phone, crew_job, "scan.png", b"%PDF-1.7 not an image", "Permit")
    expect(banner(phone)).to_contain_text("1 item needs your attention")
    expect(banner(phone).get_by_role("link", name="Open Sync")).to_be_visible()
    phone.get_by_role("navigation", name="Field").get_by_role("link", name="Sync").click()
    issue = phone.locator(".issue", has_text="Photo not uploaded")
    expect(issue).to_contain_text(f"Photo for “{job['title']}”: Permit")
    expect(phone.get_by_text("Nothing waiting to be sent")).to_be_visible()
    issue.get_by_role("button", name=re.compile(r"^Dismiss: Photo for")).click()
    expect(issue).to_have_count(0)
    wait_on_device(phone, 0)
    expect(banner(phone)).to_have_count(0)


def test_signing_out_from_an_office_page_warns_about_a_photo_still_on_the_phone(
    phone, crew_job, office
):
    """Office staff use the field app too; the office pages' sign-out counts its photos."""
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    office.call(
        "POST",
        "/api/users",
        {"email": email, "name": "Field Admin", "role": "admin", "password": DEMO_PASSWORD},
    )
    open_job_offline(phone, {**crew_job, "email": email})
    shot = {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}
    add_photo(phone, [shot], "Porch post", "issue")
    wait_on_device(phone, 1)
    phone.context.route("**/api/jobs/*/photos", lambda route: route.abort())  # keep it unsent
    phone.context.set_offline(False)
    phone.goto("/")
    phone.get_by_role("navigation").get_by_role("link", name="Customers").wait_for()
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    phone.on("dialog", answer)
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()
    phone.wait_for_timeout(300)
    assert messages and "1 change has not reached the office" in messages[0]
    assert device_counts(phone, "photoUploads", "photoBlobs") == [1, 1]  # kept: not signed out
