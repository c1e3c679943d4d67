"""An estimate's "Notes for the customer" says its limit where it is typed: the browser stops
at it and the shared counter shows near it, both from the one source (the input model)."""

from __future__ import annotations

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.office.limits import field_limits
from khs_crm.pages.office.estimates_editor import _terms
from khs_crm.services.money.schemas import EstimateIn
from khs_crm.state.office.estimates_editor import NOTES, EstimateState
from tests.unit.test_office_state import call, root_state, signed_in, sub


def test_the_notes_box_takes_the_input_models_limit_and_counts_near_it():
    limit = field_limits(EstimateIn)["notes"]["maxLength"]
    assert NOTES == limit == 5000
    page = str(_terms())
    notes = page[page.index('id:"estimate-notes"') - 600 :]
    assert f"maxLength:{limit}," in notes[:1500]
    assert f" of {limit:,} characters" in page  # the shared counter (components/forms.py)
    assert "khscount_estimate_notes" in page.lower()


def test_notes_longer_than_the_limit_are_not_kept_whole(session, cast):
    state = sub(root_state(signed_in(session, cast.owner), "/estimates/x"), EstimateState)
    call(EstimateState.set_notes, state, "é" * (NOTES + 10))
    assert len(state.notes) == NOTES and state.dirty
