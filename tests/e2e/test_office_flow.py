"""The office's main path in a real browser: customer → job → crew → materials → workflow."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import OWNER, sign_in

pytestmark = pytest.mark.e2e


def go(page: Page, screen: str) -> None:
    """Open a screen from the sidebar (client-side navigation, like a person would)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=screen).click()


def open_as(page: Page, path: str, email: str = OWNER) -> None:
    """Sign in and open ``path``.

    The sign-in form can be sent before its hidden "next" field is filled in (it lands on
    the default page then), so go to ``path`` again when sign-in did not end there.
    """
    sign_in(page, email, start=path)
    page.wait_for_url(lambda url: "/login" not in url)
    if urlparse(page.url).path.rstrip("/") != path.split("?")[0].rstrip("/"):
        page.goto(path)


def unique_phone() -> tuple[str, str]:
    """A phone number no demo customer has, and a part of it as someone would type it."""
    d = f"{uuid.uuid4().int % 10**7:07d}"
    return f"(8{d[0]}{d[1]}) 6{d[2]}{d[3]}-{d[4]}{d[5]}{d[6]}7", f"6{d[2]}{d[3]}-{d[4]}{d[5]}"


def add_customer(page: Page, name: str, phone: str) -> None:
    go(page, "Customers")
    page.get_by_role("button", name="New customer").click()
    form = page.get_by_role("dialog", name="New customer")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Phone").fill(phone)
    form.get_by_label("Email").fill(f"{name.split()[-1].lower()}@example.com")
    form.get_by_label("Address").fill("12 Test Lane, Austin, TX")
    form.get_by_role("button", name="Add customer").click()
    page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_customer_job_crew_materials_workflow_and_timeline(page: Page):
    tag = uuid.uuid4().hex[:6]
    name, title = f"Erin Test{tag}", f"Deck {tag}"
    phone, part = unique_phone()
    sign_in(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    add_customer(page, name, phone)
    expect(page.get_by_role("link", name=f"Call {name}")).to_have_attribute(
        "href", "tel:" + re.sub(r"[^0-9]", "", phone)
    )

    # Find the customer again by typing part of the phone number.
    go(page, "Customers")
    page.get_by_label("Search customers").fill(part)
    results = page.get_by_role("table", name="Customers")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and the match
    results.get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}$"))

    # A job for this customer.
    page.get_by_role("button", name="New job").click()
    form = page.get_by_role("dialog", name="New job")
    expect(form.get_by_text(f"Customer: {name}")).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("Starts").fill("2030-06-03T08:00")
    form.get_by_label("Ends").fill("2030-06-03T16:00")
    form.get_by_role("button", name="Create job").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # The crew.
    page.get_by_label("Worker to assign").select_option(label="Alex Rivera")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("button", name="Remove Alex Rivera from this job")).to_be_visible()

    # Materials: one line at a time, then several at once.
    quick = page.get_by_role("form", name="Add a material")
    quick.get_by_label("Material", exact=True).fill("Deck boards")
    quick.get_by_label("Qty").fill("40")
    quick.get_by_label("Unit").fill("pcs")
    quick.get_by_label("Supplier").fill("Lumber Yard")
    quick.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_label("Purchased: Deck boards")).not_to_be_checked()
    page.get_by_text("Add several at once").click()
    lines = page.get_by_role("form", name="Add several materials")
    lines.get_by_label(re.compile("One material per line")).fill(
        "Joist hangers, 24, pcs, Home Depot\nDeck screws, 3, box"
    )
    lines.get_by_role("button", name="Add all").click()
    expect(page.get_by_text("3 to buy · 0 bought")).to_be_visible()

    # Edit a quantity in place, then mark everything bought in one go.
    qty = page.get_by_label("Quantity of Deck screws")
    qty.fill("4")
    qty.press("Tab")
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_label("Select all to buy").click()
    expect(page.get_by_label("Select all to buy")).to_be_checked()
    page.get_by_role("button", name=re.compile(r"Mark selected purchased \(3\)")).click()
    expect(page.get_by_text("0 to buy · 3 bought")).to_be_visible()
    for material in ("Deck boards", "Joist hangers", "Deck screws"):
        expect(page.get_by_label(f"Purchased: {material}")).to_be_checked()

    # The workflow: a lead cannot jump to Completed; step through it instead.
    status = page.get_by_role("region", name="Status").or_(page.locator(".card", has_text="Now:"))
    expect(status.get_by_role("button", name="Completed", exact=True)).to_be_disabled()
    for step in ("Quoted", "Scheduled", "In progress", "Completed"):
        status.get_by_role("button", name=step, exact=True).click()
        expect(page.get_by_text(f"Moved to {step}.")).to_be_visible()

    # Everything shows in the job's activity timeline, newest first, a page at a time.
    timeline = page.locator(".card", has=page.get_by_role("heading", name="Activity"))
    for text in (
        f"moved job “{title}” from In progress to Completed",
        f"moved job “{title}” from Lead to Quoted",
        "marked “Deck boards” purchased",
        "changed the quantity of material “Deck screws” from 3 to 4",
        "added material “Joist hangers”",
    ):
        expect(timeline.get_by_text(text, exact=False).first).to_be_visible()
    timeline.get_by_role("button", name="Next page of activity").click()
    for text in (f"put Alex Rivera on job “{title}”", f"added job “{title}”"):
        expect(timeline.get_by_text(text, exact=False).first).to_be_visible()
