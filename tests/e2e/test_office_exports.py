"""Export CSV downloads a file (clicked or with Enter), never an in-app 404 page; the jobs
list's export carries its filters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_office_flow import go, open_as

pytestmark = pytest.mark.e2e


def _rows(path: str | Path) -> list[list[str]]:
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_customers_export_downloads_when_clicked_or_entered(page: Page):
    open_as(page, "/customers")
    export = page.get_by_role("link", name="Export CSV")
    with page.expect_download() as clicked:
        export.click()
    assert clicked.value.suggested_filename.startswith("customers-")
    header, *rows = _rows(clicked.value.path())
    assert header == ["name", "phone", "email", "address", "notes"] and len(rows) > 10
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    assert "404" not in page.inner_text("main")

    page.set_viewport_size({"width": 1024, "height": 768})
    export.focus()
    with page.expect_download() as entered:
        page.keyboard.press("Enter")
    assert _rows(entered.value.path())[0] == header
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()


def test_jobs_export_downloads_the_filtered_list(page: Page):
    open_as(page, "/jobs/list")
    page.get_by_label("Status").select_option("in_progress")
    shown = page.get_by_role("table", name="Jobs").get_by_role("row")
    expect(shown.filter(has_not_text="In progress")).to_have_count(1)  # the header row only
    export = page.get_by_role("link", name="Export CSV")
    expect(export).to_have_attribute("href", "/api/jobs/export.csv?status=in_progress")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.startswith("jobs-")
    header, *rows = _rows(download.value.path())
    assert header[:3] == ["title", "customer", "status"]
    assert rows and {row[2] for row in rows} == {"in_progress"}
    titles = {row[0] for row in rows}
    first = shown.nth(1).get_by_role("link").first.inner_text()
    assert first in titles
    go(page, "Customers")
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
