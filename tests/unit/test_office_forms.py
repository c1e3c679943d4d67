"""Office forms speak like a person, every field at once; a refused form keeps what was
typed; a customer who may already exist is named before being added twice."""

from __future__ import annotations

import pytest
from sqlmodel import select

from khs_crm.models import Customer, JobNote
from khs_crm.office.forms import customer_create
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.state.office.customer import CustomerState
from khs_crm.state.office.customers import CustomersState
from khs_crm.state.office.job_activity import JobActivityState
from tests.unit.test_office_state import call, root_state, signed_in, sub

PYDANTIC_WORDS = ("String should", "Value error", "at least 1 character")


def _customer(**fields: str) -> dict[str, str]:
    return {"name": "", "phone": "", "email": "", "address": "", "notes": "", **fields}


def _customers(session, cast) -> CustomersState:
    state = sub(root_state(signed_in(session, cast.owner), "/customers"), CustomersState)
    call(CustomersState.open_create, state)
    return state


def test_every_bad_customer_field_is_named_at_once_in_plain_words():
    form = _customer(name=" ", phone="12", email="nope", notes="n" * 5001, address="a" * 501)
    with pytest.raises(ValidationFailed) as refused:
        customer_create(form)
    said = {d["field"]: d["message"] for d in refused.value.details}
    assert said == {
        "name": "Enter the customer's name.",
        "phone": "Enter a phone number with 7 to 15 digits, e.g. (512) 555-0101.",
        "email": "Enter a whole email address, e.g. pat@example.com.",
        "address": "Shorten the address to 500 characters or fewer.",
        "notes": "Shorten the notes to 5,000 characters or fewer.",
    }
    assert refused.value.message == "Check the customer: 5 fields need a change."
    assert not [m for m in said.values() if any(w in m for w in PYDANTIC_WORDS)]


def test_an_empty_name_says_enter_the_customers_name(session, cast):
    state = _customers(session, cast)
    assert call(CustomersState.create, state, _customer(notes="kept")) is None
    assert state.creating and state.field_errors == {"name": "Enter the customer's name."}
    page = sub(root_state(signed_in(session, cast.owner), f"/customers/{cast.customer.id}"),
               CustomerState)  # fmt: skip
    call(CustomerState.load, page)
    call(CustomerState.save, page, _customer(phone="12"))
    assert page.field_errors["name"] == "Enter the customer's name."
    assert page.field_errors["phone"].startswith("Enter a phone number")


def test_a_customer_with_a_known_phone_or_email_is_named_before_adding(session, cast):
    known = cast.customer  # phone (512) 555-0100
    count = len(session.exec(select(Customer)).all())
    state = _customers(session, cast)
    form = _customer(name="Pat Again", phone=" 512.555.0100 ")
    assert call(CustomersState.create, state, form) is None
    assert [(d.id, d.name, d.matched) for d in state.duplicates] == [
        (str(known.id), known.name, "same phone")
    ]
    assert state.creating and state.error == ""
    changed = _customer(name="Pat Again", phone="512 555 0100", email="pat@example.com")
    assert call(CustomersState.create, state, changed) is None  # other values: asked again
    assert state.duplicates and len(session.exec(select(Customer)).all()) == count
    result = call(CustomersState.create, state, changed)  # "Add anyway"
    assert "/customers/" in str(result) and not state.creating
    session.expire_all()
    assert len(session.exec(select(Customer)).all()) == count + 1


def test_a_new_email_or_phone_adds_at_once(session, cast):
    state = _customers(session, cast)
    result = call(CustomersState.create, state, _customer(name="Nia", email="NIA@example.com"))
    assert "/customers/" in str(result) and state.duplicates == []
    again = _customers(session, cast)
    call(CustomersState.create, again, _customer(name="Nia 2", email="nia@EXAMPLE.com"))
    assert [(d.name, d.matched) for d in again.duplicates] == [("Nia", "same email")]


def test_a_refused_note_keeps_its_form_and_an_added_one_empties_it(session, cast):
    state = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"),
                JobActivityState)  # fmt: skip
    call(JobActivityState.load, state)
    call(JobActivityState.add_note, state, {"body": "x" * 12_000})
    assert state.field_errors == {"body": "Shorten the note to 10,000 characters or fewer."}
    assert state.notes_added == 0  # same form key: the 12,000 characters stay in the box
    call(JobActivityState.add_note, state, {"body": "Gate code 1234"})
    assert state.notes_added == 1 and state.notice == "Note added."
    session.expire_all()
    assert [n.body for n in session.exec(select(JobNote)).all()] == ["Gate code 1234"]
