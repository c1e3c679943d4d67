"""GET /api/customers/export.csv and POST /api/customers/import."""

import csv
import io

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Customer
from khs_crm.services.customers.service import create_customer
from tests.support import databases
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_user

HOSTILE = [
    {"name": '=HYPERLINK("http://evil.example","click")', "notes": "=1+2"},
    {"name": "+SUM(A1:A9)", "phone": "+1 (512) 555-0101", "notes": "-5 degrees"},
    {"name": "@cmd|' /C calc'!A0", "address": '1, "Quoted" Way\nSuite 5'},
    {"name": "-minus", "notes": "\tstarts with a tab"},
    {"name": "'=already quoted", "notes": "\rstarts with CR\r\nand has\nlines"},
    {"name": 'O\'Brien, "Duke"', "email": "duke@example.com", "notes": "''+two quotes"},
    {"name": "Zoë Ångström", "address": "Straße 5", "notes": "emoji 🏗️ and ümlauts"},
]
FIELDS = ("name", "phone", "email", "address", "notes")


def _rows(session) -> list[tuple[str, ...]]:
    session.expire_all()
    customers = session.exec(select(Customer).where(Customer.deleted_at.is_(None))).all()
    return sorted(tuple(getattr(c, f) for f in FIELDS) for c in customers)


def _upload(client, user, content: bytes, name: str = "customers.csv"):
    files = {"file": (name, content, "text/csv")}
    return client.post("/api/customers/import", files=files, headers=bearer(user))


def test_export_is_a_spreadsheet_safe_attachment(client, cast, session):
    for person in HOSTILE:
        create_customer(session, data=person, actor=cast.owner)
    response = client.get("/api/customers/export.csv", headers=bearer(cast.owner))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.text.startswith("\ufeffname,phone,email,address,notes\r\n")
    rows = list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1 + len(HOSTILE) + 1  # header, hostile rows, cast.customer
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+1 (512) 555-0101" in cells
    assert '1, "Quoted" Way\nSuite 5' in cells
    assert "''=already quoted" in cells


def test_export_then_import_into_an_empty_database_gives_identical_customers(
    client, cast, session, engine
):
    for person in HOSTILE:
        create_customer(session, data=person, actor=cast.owner)
    before = _rows(session)
    exported = client.get("/api/customers/export.csv", headers=bearer(cast.owner)).content

    databases.empty_tables(engine)
    owner = make_user(session, "owner")
    assert _rows(session) == []
    response = _upload(client, owner, exported)
    assert response.status_code == 201, response.text
    assert response.json()["data"] == {"imported": len(before)}
    assert _rows(session) == before
    again = client.get("/api/customers/export.csv", headers=bearer(owner)).content
    assert again == exported


def test_import_adds_searchable_customers_and_logs_each(client, cast, session):
    content = (
        b"Name,Phone,Email\r\n"
        b"Dana Scully,(202) 555-0143,dana@fbi.example.com\r\n"
        b"\r\n"
        b"Fox Mulder,,\r\n"
    )
    response = _upload(client, cast.admin, content)
    assert response.status_code == 201
    assert response.json()["data"] == {"imported": 2}
    dana = session.exec(select(Customer).where(Customer.name == "Dana Scully")).one()
    assert dana.phone_digits == "2025550143"
    assert dana.email == "dana@fbi.example.com"
    found = client.get("/api/customers/search?q=555-014", headers=bearer(cast.admin)).json()
    assert [c["name"] for c in found["data"]] == ["Dana Scully"]
    log = session.exec(select(ActivityLog).where(ActivityLog.action == "import")).all()
    assert sorted(r.changes["name"]["new"] for r in log) == ["Dana Scully", "Fox Mulder"]
    assert all(r.changes["name"]["old"] is None for r in log)
    assert {r.actor_id for r in log} == {cast.admin.id}


def test_one_bad_row_imports_nothing_and_reports_every_problem(client, cast, session):
    content = (
        b"name,phone,email,address,notes\n"
        b"Good One,512 555 0111,good@example.com,,\n"
        b"Bad Email,512 555 0112,not-an-email,,\n"
        b",512 555 0113,,,\n"
        b"Bad Phone,call me,,,\n"
        b"Too,Many,Cells,Here,Really,Yes\n"
    )
    response = _upload(client, cast.owner, content)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert "nothing was imported" in error["message"]
    fields = {d["field"] for d in error["details"]}
    assert fields == {"row 3.email", "row 4.name", "row 5.phone", "row 6"}
    assert _rows(session) == [("Pat Customer", "(512) 555-0100", "", "", "")]
    assert session.exec(select(ActivityLog)).all() == []


@sqlite_only
@pytest.mark.parametrize(
    "content",
    [
        pytest.param("name\nJosé\n".encode("latin-1"), id="latin-1"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png"),
        pytest.param(b"name\nNul\x00byte\n", id="nul"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\n\n", id="blank"),
        pytest.param(b"phone,email\n5125550100,a@b.co\n", id="no-name-column"),
        pytest.param(b"name,id\nX,1\n", id="unknown-column"),
        pytest.param(b"name,name\nX,Y\n", id="duplicate-column"),
        pytest.param(b'{"name": "json"}', id="json"),
        pytest.param(b"name\n", id="header-only"),
        pytest.param(b"name\n" + b"Person\n" * 10_001, id="too-many-rows"),
    ],
)
def test_unusable_files_are_422(client, cast, session, content):
    response = _upload(client, cast.owner, content)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert len(_rows(session)) == 1


def test_import_limits(client, cast, session):
    exactly_max = b"name\n" + b"Person\n" * 10_000
    response = _upload(client, cast.owner, exactly_max)
    assert response.status_code == 201 and response.json()["data"]["imported"] == 10_000
    too_big = b"name,notes\n" + (b"x," + b"n" * 4000 + b"\n") * 1400
    assert len(too_big) > 5 * 1024 * 1024
    response = _upload(client, cast.owner, too_big)
    assert response.status_code == 413
    no_file = client.post("/api/customers/import", headers=bearer(cast.owner))
    assert no_file.status_code == 422
