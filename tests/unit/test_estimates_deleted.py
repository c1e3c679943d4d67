"""The office Estimates list keeps deleted drafts out of the way, and shows them on request:
marked Deleted, their numbers kept (the sequence has no hole), nothing to open."""

from __future__ import annotations

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.office.money import estimates_page
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money.schemas import EstimateCreate
from khs_crm.state.office.estimates import EstimatesState
from tests.unit.test_office_state import call, root_state, signed_in, sub

LINE = {"kind": "labor", "description": "Demo", "quantity": "1", "unitPrice": "80.00"}


def _three(session, cast):
    """E-…1 live, E-…2 deleted, E-…3 live (oldest first)."""
    data = EstimateCreate.model_validate({"lines": [LINE], "taxRate": "0"})
    made = [
        estimate_service.create_estimate(session, job_id=cast.job.id, data=data, actor=cast.owner)
        for _ in range(3)
    ]
    estimate_service.delete_estimate(session, estimate_id=made[1].id, actor=cast.owner)
    session.commit()
    return made


def test_deleted_drafts_are_listed_only_when_asked_and_marked_deleted(session, cast):
    first, gone, last = _three(session, cast)
    rows, info = estimates_page(session, user=cast.owner, status="", page=1, page_size=25)
    assert {r.number for r in rows} == {first.number, last.number} and info.total == 2
    assert not any(r.deleted for r in rows)
    rows, info = estimates_page(
        session, user=cast.owner, status="draft", page=1, page_size=25, deleted=True
    )
    assert info.total == 3
    (tombstone,) = [r for r in rows if r.deleted]
    assert tombstone.number == gone.number and tombstone.id == str(gone.id)
    assert (tombstone.status, tombstone.status_label) == ("deleted", "Deleted")
    assert tombstone.total == "$80.00"


def test_the_list_state_shows_deleted_drafts_from_the_box_or_the_address(session, cast):
    _first, gone, _last = _three(session, cast)
    root = root_state(signed_in(session, cast.owner), "/estimates")
    state = sub(root, EstimatesState)
    call(EstimatesState.load, state)
    assert len(state.rows) == 2 and not state.deleted
    call(EstimatesState.show_deleted, state, True)
    assert state.deleted and len(state.rows) == 3
    assert [r.status_label for r in state.rows if r.number == gone.number] == ["Deleted"]
    call(EstimatesState.show_deleted, state, False)
    assert len(state.rows) == 2
    root = root_state(signed_in(session, cast.owner), "/estimates?deleted=1")
    state = sub(root, EstimatesState)
    call(EstimatesState.load, state)
    assert state.deleted and state.total == 3
