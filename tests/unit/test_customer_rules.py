"""Customer field rules, search-text parsing and spreadsheet-safe CSV, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from khs_crm.services.core import csv_io
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.customers.rules import validated
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.customers.search import Term, fts_query, is_search_object, parse_query

CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@pytest.mark.parametrize(
    "phone",
    ["(512) 555-0101", "+1 512 555 0101", "512.555.0101", "5125550101", "555-0101 x12",
     "+44 20 7946 0958 ext. 3", "555 0101 EXT 9", "123456789012345"],
)  # fmt: skip
def test_valid_phones(phone):
    assert CustomerCreate(name="A", phone=phone).phone == phone


@pytest.mark.parametrize(
    "phone",
    ["555-010", "1234567890123456", "call me", "555#0101", "555/0101", "+1 (512) 555-0101 y"],
)
def test_invalid_phones(phone):
    with pytest.raises(ValidationFailed) as caught:
        validated(CustomerCreate, {"name": "A", "phone": phone})
    assert caught.value.details[0]["field"] == "phone"


def test_name_is_stripped_and_required():
    assert CustomerCreate(name="  Ann  ").name == "Ann"
    for bad in ("", "   ", "x" * 201, "nul\x00"):
        with pytest.raises(ValidationFailed):
            validated(CustomerCreate, {"name": bad})


def test_email_is_checked_and_its_domain_normalised():
    assert CustomerCreate(name="A", email=" Ann@Example.COM ").email == "Ann@example.com"
    assert CustomerCreate(name="A", email="").email == ""
    for bad in ("ann", "ann@", "@example.com", "ann@@example.com", "ann example@x.com"):
        with pytest.raises(ValidationFailed):
            validated(CustomerCreate, {"name": "A", "email": bad})


def test_server_owned_and_unknown_fields_are_refused():
    for field in ("version", "createdAt", "updated_at", "deletedAt", "phoneDigits", "nick"):
        with pytest.raises(ValidationFailed) as caught:
            validated(CustomerCreate, {"name": "A", field: 1})
        assert caught.value.details[0]["field"] == field
    with pytest.raises(ValidationFailed):
        validated(CustomerUpdate, {"id": "5f1b7b52-5ac1-4c36-9a8c-6c1f8f6d2b11"})


def test_update_keeps_phone_digits_in_step_and_null_clears():
    assert CustomerUpdate(name="B").changes() == {"name": "B"}
    assert CustomerUpdate(phone="(512) 555-0101").changes() == {
        "phone": "(512) 555-0101",
        "phone_digits": "5125550101",
    }
    assert CustomerUpdate.model_validate({"email": None}).changes() == {"email": ""}
    with pytest.raises(ValidationFailed):
        validated(CustomerUpdate, {"name": None})


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        ("555-01", [Term("555-01", "55501")]),
        (" (512) 555 ", [Term("(512) 555", "512555")]),
        ("Ann SMITH", [Term("ann"), Term("smith")]),
        ("ann 555-0101", [Term("ann"), Term("555-0101", "5550101")]),
        ("12 main", [Term("12"), Term("main")]),
    ],
)
def test_parse_query(q, terms):
    assert parse_query(q) == terms


@pytest.mark.parametrize("q", ["", "   ", "x" * 201, "a b c d e f g h i"])
def test_parse_query_refuses_blank_or_huge(q):
    with pytest.raises(ValidationFailed):
        parse_query(q)


def test_fts_query_quotes_every_term():
    query = fts_query([Term('say "hi"'), Term("555-01", "55501")])
    assert query == (
        '({name email address} : "say ""hi""") AND '
        '({name email address} : "555-01" OR phone_digits : "55501")'
    )


def test_search_objects_are_recognised_by_name():
    assert is_search_object("customers_fts_keys")
    assert is_search_object("ix_customers_trgm_name")
    assert not is_search_object("customers")
    assert not is_search_object("ix_customers_name")
    assert not is_search_object(None)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+1 512", "'+1 512"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value, cell):
    assert csv_io.neutralise(value) == cell
    assert csv_io.restore(cell) == value


@given(CELL_TEXT)
def test_neutralise_is_safe_and_reversible(value):
    cell = csv_io.neutralise(value)
    assert not cell.startswith(csv_io.FORMULA_STARTS)
    assert csv_io.restore(cell) == value


@given(st.lists(st.tuples(CELL_TEXT, CELL_TEXT), max_size=20))
def test_written_csv_reads_back_identically(rows):
    text = "".join(csv_io.write_csv(("name", "notes"), rows))
    records, errors = csv_io.read_csv(
        text.encode(), columns=("name", "notes"), required={"name"}, max_rows=100
    )
    kept = [r for r in rows if any(c.strip() for c in r)]  # blank lines are skipped
    assert errors == []
    assert [(d.get("name", ""), d.get("notes", "")) for _, d in records] == kept


BIDI = "\u202e"


def test_bidi_overrides_are_taken_out_of_names_titles_and_captions():
    from khs_crm.services.auth.users import _check_name
    from khs_crm.services.jobs.service import JobUpdate
    from khs_crm.services.photos.service import PhotoChanges

    assert CustomerCreate(name=f"Ann{BIDI}exe.txt").name == "Annexe.txt"
    assert JobUpdate(title=f"\u2066Deck{BIDI} build\u2069").title == "Deck build"
    assert PhotoChanges(caption=f"{BIDI}gpj.exe").caption == "gpj.exe"
    assert _check_name(f" Kim{BIDI} ") == "Kim"
    with pytest.raises(ValidationError):
        CustomerCreate(name=BIDI)
    with pytest.raises(ValidationError):
        JobUpdate(title="\u202a\u202c")
