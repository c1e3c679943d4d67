"""The office uploads several photos at once from a job page (production build, Chromium)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from khs_crm.state.office.base import UPLOAD_STALL_S
from tests.e2e.test_office_flow import open_as
from tests.support.photo_files import image_bytes

pytestmark = pytest.mark.e2e


def open_demo_job(page: Page, row: int) -> None:
    open_as(page, "/jobs/list")
    page.get_by_role("table", name="Jobs").get_by_role("link").nth(row).click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))


def choose(page: Page, files: list[Path]) -> None:
    """Press "Choose photos" and pick the files in the file dialog, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose photos").click()
    chooser.value.set_files(files)


def photo_count(page: Page) -> int:
    """How many photos the job on screen has, from the API."""
    job_id = page.url.rsplit("/", 1)[-1]
    response = page.request.get(f"/api/jobs/{job_id}/photos?pageSize=1")
    return response.json()["pagination"]["total"]


def written(folder: Path, files: dict[str, bytes]) -> list[Path]:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def test_two_before_photos_uploaded_at_once_show_in_the_gallery(page: Page, tmp_path: Path):
    caption = f"Kitchen wall {uuid.uuid4().hex[:6]}"
    files = written(
        tmp_path,
        {"wall.jpg": image_bytes("JPEG", (640, 480)), "floor.png": image_bytes("PNG", (480, 640))},
    )
    open_demo_job(page, 0)
    form = page.get_by_role("form", name="Upload photos")
    choose(page, files)
    chosen = form.get_by_role("list", name="Chosen photos")
    expect(chosen.get_by_role("listitem")).to_have_text(["wall.jpg", "floor.png"])
    form.get_by_label("Tag").select_option(label="Before")
    form.get_by_label("Caption").fill(caption)
    # a slow office line (8 KB at 2 KB/s): while the batch is on its way the form says so
    # and sends no other
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    slow = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 2_000}
    network.send("Network.emulateNetworkConditions", slow)
    form.get_by_role("button", name="Upload photos").click()
    expect(form.get_by_role("status")).to_contain_text("Uploading the photos:")
    expect(form.get_by_role("button", name="Uploading…")).to_be_disabled()
    network.send("Network.emulateNetworkConditions", {**slow, "uploadThroughput": -1})

    expect(page.get_by_role("status").filter(has_text="2 photos uploaded.")).to_be_visible()
    gallery = page.get_by_role("region", name="Photos")
    cards = gallery.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=f"Open full size: {caption}")
    )
    expect(cards).to_have_count(2)
    expect(cards.get_by_text("Before", exact=True)).to_have_count(2)
    # The thumbnails are made off the request path; the page shows them once they exist.
    thumbs = cards.get_by_role("img", name=caption)
    expect(thumbs).to_have_count(2)
    for i in range(2):
        assert re.fullmatch(
            r"/api/photos/[0-9a-f-]{36}/thumbnail", thumbs.nth(i).get_attribute("src")
        )
    pairs = page.get_by_role("region", name="Before and after")
    expect(pairs.get_by_role("link", name=f"Before: {caption}")).to_have_count(2)
    expect(chosen).to_have_count(0)
    expect(form.get_by_role("button", name="Upload photos")).to_be_disabled()


def test_files_that_are_not_photos_are_named_and_nothing_is_stored(page: Page, tmp_path: Path):
    files = written(
        tmp_path, {"notes.txt": b"Gate code 1234", "fake.jpg": b"<html>not a photo</html>"}
    )
    open_demo_job(page, 1)
    before = photo_count(page)
    form = page.get_by_role("form", name="Upload photos")
    choose(page, files)
    expect(page.get_by_role("alert").filter(has_text="Not added: notes.txt")).to_contain_text(
        "not a JPEG, PNG, WebP or HEIC image"
    )
    expect(form.get_by_role("list", name="Chosen photos").get_by_role("listitem")).to_have_text(
        ["fake.jpg"]
    )
    form.get_by_role("button", name="Upload photos").click()

    refused = page.get_by_role("alert").filter(has_text="Not uploaded:")
    expect(refused.get_by_role("listitem")).to_have_text(
        ["fake.jpg: This file is not a photo: only JPEG, PNG, WebP or HEIC images are accepted."]
    )
    expect(page.get_by_role("status").filter(has_text="uploaded.")).to_have_count(0)
    assert photo_count(page) == before


def test_a_batch_the_network_drops_is_said_and_can_be_sent_again(page: Page, tmp_path: Path):
    """The browser tells the page nothing when an upload's connection fails: the form stops
    waiting once the batch has made no progress for UPLOAD_STALL_S, says nothing was stored,
    and the same photo chosen again goes up."""
    files = written(tmp_path, {"porch.jpg": image_bytes("JPEG", (320, 240))})
    open_demo_job(page, 2)
    before = photo_count(page)
    form = page.get_by_role("form", name="Upload photos")
    page.route("**/_upload", lambda route: route.abort("internetdisconnected"))
    choose(page, files)
    form.get_by_role("button", name="Upload photos").click()
    expect(form.get_by_role("button", name="Uploading…")).to_be_disabled()

    lost = page.get_by_role("alert").filter(has_text="did not reach the server")
    expect(lost).to_contain_text("Nothing was uploaded", timeout=(UPLOAD_STALL_S + 15) * 1000)
    expect(form.get_by_role("button", name="Uploading…")).to_have_count(0)
    assert photo_count(page) == before

    page.unroute("**/_upload")
    choose(page, files)
    form.get_by_role("button", name="Upload photos").click()
    expect(page.get_by_role("status").filter(has_text="1 photo uploaded.")).to_be_visible()
    expect(lost).to_have_count(0)
    assert photo_count(page) == before + 1
