"""The merge rules, as pure functions."""

import pytest

from khs_crm.services.sync.merge import (
    FieldConflict,
    merge_fields,
    payload_hash,
    worker_status_refused,
)


def test_fields_unchanged_on_the_server_apply_without_conflict():
    to_apply, conflicts = merge_fields(
        changes={"name": "Deck screws", "quantity": 4},
        current={"name": "Screws", "quantity": 2, "unit": "box"},
        field_versions={"name": 3, "quantity": 3},
        base_version=5,
    )
    assert to_apply == {"name": "Deck screws", "quantity": 4}
    assert conflicts == []


def test_a_field_changed_after_the_base_applies_and_is_recorded():
    to_apply, conflicts = merge_fields(
        changes={"quantity": 4, "unit": "box"},
        current={"quantity": 10, "unit": "pcs"},
        field_versions={"quantity": 9, "unit": 2},
        base_version=5,
    )
    assert to_apply == {"quantity": 4, "unit": "box"}
    assert conflicts == [FieldConflict("quantity", 10, 4, 9)]


def test_same_value_on_both_sides_is_neither_written_nor_a_conflict():
    to_apply, conflicts = merge_fields(
        changes={"quantity": 10},
        current={"quantity": 10},
        field_versions={"quantity": 9},
        base_version=5,
    )
    assert (to_apply, conflicts) == ({}, [])


def test_fields_not_sent_are_never_touched():
    to_apply, _ = merge_fields(
        changes={"name": "B"},
        current={"name": "A", "phone": "1"},
        field_versions={},
        base_version=1,
    )
    assert "phone" not in to_apply


@pytest.mark.parametrize(
    ("office", "base", "status_version", "by_office", "refused"),
    [
        (False, 5, 7, True, True),  # office moved it after the worker's base
        (False, 7, 7, True, False),  # the worker had seen that move
        (False, 5, 7, False, False),  # another worker moved it: last write wins
        (True, 5, 7, True, False),  # office edits are never refused by this rule
        (False, None, 1, True, True),  # no base at all: the office move stands
    ],
)
def test_worker_status_rule(office, base, status_version, by_office, refused):
    assert (
        worker_status_refused(
            actor_is_office=office,
            base_version=base,
            status_version=status_version,
            status_changed_by_office=by_office,
        )
        is refused
    )


def test_payload_hash_ignores_key_order_but_not_values():
    a = {"opId": "1", "changes": {"a": 1, "b": 2}}
    assert payload_hash(a) == payload_hash({"changes": {"b": 2, "a": 1}, "opId": "1"})
    assert payload_hash(a) != payload_hash({"opId": "1", "changes": {"a": 1, "b": 3}})
