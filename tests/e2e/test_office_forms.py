"""Office forms in a person's words: every field's problem at once, nothing typed lost, a
counter near a text's limit, a warning before adding a customer twice, a question before
making someone an owner."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_office_flow import go, open_as

pytestmark = pytest.mark.e2e


def _dialog(page: Page, name: str):
    return page.get_by_role("dialog", name=name)


def test_a_refused_customer_keeps_what_was_typed_and_says_why(page: Page):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_as(page, "/customers")
    page.get_by_role("button", name="New customer").click()
    form = _dialog(page, "New customer")
    form.get_by_label("Phone").fill("12")
    form.get_by_label("Email").fill("nobody")
    notes = "Side gate. " * 420  # 4,620 characters: past 80% of 5,000
    form.get_by_label("Notes").fill(notes)
    expect(form.get_by_text("4,620 of 5,000 characters")).to_be_visible()
    form.get_by_role("button", name="Add customer").click()
    expect(form.get_by_text("Enter the customer's name.")).to_be_visible()
    expect(form.get_by_text("Enter a phone number with 7 to 15 digits")).to_be_visible()
    expect(form.get_by_text("Enter a whole email address")).to_be_visible()
    expect(form.get_by_text("String should")).to_have_count(0)
    expect(form.get_by_label("Phone")).to_have_value("12")
    expect(form.get_by_label("Notes")).to_have_value(notes)


def test_a_customer_with_a_known_phone_is_named_before_adding(page: Page):
    open_as(page, "/customers")
    listed = page.request.get("/api/customers?pageSize=50&sort=name").json()["data"]
    known = next(c for c in listed if c["phone"])
    page.get_by_role("button", name="New customer").click()
    form = _dialog(page, "New customer")
    name = f"Twin {uuid.uuid4().hex[:6]}"
    form.get_by_label("Name").fill(name)
    form.get_by_label("Phone").fill(known["phone"])
    form.get_by_role("button", name="Add customer").click()
    expect(form.get_by_text("You may already have this customer.")).to_be_visible()
    expect(form.get_by_role("link", name=f"Open {known['name']}")).to_be_visible()
    form.get_by_role("button", name="Add anyway").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def test_a_twelve_thousand_character_note_is_kept_when_refused(page: Page):
    open_as(page, "/jobs/list?status=in_progress")
    page.get_by_role("table", name="Jobs").get_by_role("link").first.click()
    box = page.get_by_label("New note")
    note = "x" * 12_000
    box.fill(note)
    expect(page.get_by_text("12,000 of 10,000 characters (too long: shorten it)")).to_be_visible()
    page.get_by_role("button", name="Add note").click()
    expect(
        page.get_by_text("Shorten the note to 10,000 characters or fewer.").first
    ).to_be_visible()
    expect(box).to_have_value(note)
    box.fill("Gate code 4321")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.get_by_label("New note")).to_have_value("")
    expect(page.get_by_text("Gate code 4321").first).to_be_visible()


def test_making_someone_an_owner_asks_first(page: Page):
    open_as(page, "/people")
    picker = page.get_by_role("combobox", name="Role of Alex Rivera")
    before = picker.input_value()
    picker.select_option("owner")
    question = _dialog(page, "Make this person an owner?")
    expect(question).to_be_visible()
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_have_count(0)
    expect(picker).to_have_value(before)
    go(page, "Dashboard")
