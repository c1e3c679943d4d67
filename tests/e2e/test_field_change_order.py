"""A change order written up and signed on the phone with no signal (390×844, touch,
production build): with a photo, the customer's name and a drawn signature; still signed and
frozen after an offline reload; back online the office has it once, numbered, its integrity
ok and the signature drawn in its PDF."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.test_field_photos import add_photo, photos_card
from tests.e2e.test_field_pwa import PHONE, open_field
from tests.e2e.test_field_sync import open_job, wait_synced
from tests.support.photo_files import image_bytes

office, crew_job = field_pwa.office, field_pwa.crew_job

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser, app_server, server_log_clean):
    context = browser.new_context(
        base_url=app_server["url"], viewport=PHONE, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


def draw_signature(page) -> None:
    """Sign in the box with the pointer: two strokes."""
    box = page.get_by_role("img", name="Signature box: sign here with a finger").bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    for stroke in ([(30, 120), (80, 40), (130, 110)], [(160, 60), (220, 100), (300, 50)]):
        page.mouse.move(x + stroke[0][0], y + stroke[0][1])
        page.mouse.down()
        for px, py in stroke[1:]:
            page.mouse.move(x + px, y + py, steps=6)
        page.mouse.up()


def test_a_change_order_signed_offline_reaches_the_office_once_and_frozen(phone, crew_job, office):
    job = crew_job["job"]
    open_field(phone, crew_job["email"])
    open_job(phone, job)
    jpeg = {
        "name": "outlet.jpg",
        "mimeType": "image/jpeg",
        "buffer": image_bytes("JPEG", (320, 240)),
    }
    add_photo(phone, [jpeg], "Outlet by the sink", "before")
    expect(photos_card(phone).get_by_text("Waiting to upload")).to_have_count(0, timeout=30_000)

    phone.context.set_offline(True)
    cards = phone.get_by_role("region", name="Change orders")
    cards.locator("summary", has_text="New change order").click()
    form = phone.get_by_role("form", name="New change order")
    form.get_by_label("What the customer asked for").fill("Move the outlet by the sink 2 ft left")
    form.get_by_label("Work or material").fill("Move outlet")
    form.get_by_label("Quantity").fill("2.50")
    form.get_by_label("Unit").fill("h")
    form.get_by_role("button", name="Write it up").click()

    phone.get_by_role("heading", name="Number pending", level=1).wait_for()
    expect(
        phone.get_by_text("The price of this work will be confirmed by the office.")
    ).to_be_visible()
    phone.get_by_role("checkbox", name="Outlet by the sink").check()
    expect(phone.get_by_role("region", name="Change order")).to_contain_text("Outlet by the sink")
    sign = phone.get_by_role("form", name="Customer signature")
    sign.get_by_role("button", name="Sign").click()
    expect(sign.get_by_role("alert")).to_have_text("Type the customer's name first.")
    sign.get_by_label("Customer's name").fill("José Muñoz")
    sign.get_by_role("button", name="Sign").click()
    expect(sign.get_by_role("alert")).to_have_text("The customer signs in the box first.")
    draw_signature(phone)
    sign.get_by_role("button", name="Sign").click()
    signed = phone.get_by_role("region", name="Signed")
    expect(signed).to_contain_text("Signed by José Muñoz")
    expect(phone.get_by_role("form", name="Customer signature")).to_have_count(0)  # frozen

    phone.reload()  # still no signal
    expect(signed).to_contain_text("Signed by José Muñoz")
    drawn = signed.get_by_role("img", name="The customer's signature").locator("path")
    assert (drawn.get_attribute("d") or "").count("M") == 2
    expect(phone.get_by_role("button", name="Add line")).to_have_count(0)

    phone.context.set_offline(False)
    wait_synced(phone)
    found = office.call("GET", f"/api/change-orders?jobId={job['id']}")
    assert len(found) == 1, found  # sent once
    (co,) = found
    assert co["status"] == "signed" and co["integrity"] == "ok"
    assert co["number"].startswith("CO-")
    assert co["signature"]["name"] == "José Muñoz"
    assert co["lines"][0]["quantity"] == "2.5" and co["lines"][0]["unitPrice"] is None
    assert len(co["photoIds"]) == 1
    pdf = office.request.get(f"/api/change-orders/{co['id']}/pdf", headers=office.headers)
    assert pdf.ok
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "José Muñoz" in text and co["number"] in text
    # Signed is signed: the office cannot edit it.
    edit = office.request.put(
        f"/api/change-orders/{co['id']}",
        data={"description": "Something else"},
        headers=office.headers,
    )
    assert edit.status == 409
    # The phone shows the office's number once it has it.
    phone.goto(f"/field/change-order?id={co['id']}")
    phone.get_by_role("heading", name=co["number"], level=1).wait_for()
