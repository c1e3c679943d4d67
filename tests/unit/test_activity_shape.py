"""The typed activity log: one change shape, a known action, the migration's conversion."""

from __future__ import annotations

import importlib.util
import uuid

import pytest

from khs_crm.cli import ROOT
from khs_crm.models import ActivityAction
from khs_crm.services.core import activity


def _migration():
    path = ROOT / "alembic" / "versions" / "0008_typed_activity.py"
    spec = importlib.util.spec_from_file_location("typed_activity_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_created_and_diff_build_the_one_change_shape():
    assert activity.created({"name": "Tile"}) == {"name": {"old": None, "new": "Tile"}}
    assert activity.diff({"purchased": [False, True]}) == {"purchased": {"old": False, "new": True}}


def test_an_unknown_action_is_a_programming_error():
    assert activity.parse_action("status") is ActivityAction.status
    with pytest.raises(ValueError, match="Unknown activity action 'tickled'"):
        activity.parse_action("tickled")


def test_record_refuses_an_unknown_action_or_a_bare_value(session):
    with pytest.raises(ValueError, match="Unknown activity action"):
        activity.record(session, actor=None, entity="job", entity_id=uuid.uuid4(), action="oops")
    with pytest.raises(ValueError, match="use created"):
        activity.record(
            session,
            actor=None,
            entity="job",
            entity_id=uuid.uuid4(),
            action=ActivityAction.update,
            changes={"title": ["Old", "New"]},
        )


def test_migration_turns_pairs_and_create_values_into_old_new():
    m = _migration()
    crew = [str(uuid.uuid4()), str(uuid.uuid4())]
    assert m.new_shape("update", {"title": ["A", "B"], "tags": "x"}) == {
        "title": {"old": "A", "new": "B"},
        "tags": {"old": None, "new": "x"},
    }
    # A create held plain values: a crew of two is a value, not an [old, new] pair.
    assert m.new_shape("create", {"assigned_user_ids": crew, "name": "Tile"}) == {
        "assigned_user_ids": {"old": None, "new": crew},
        "name": {"old": None, "new": "Tile"},
    }
    done = {"title": {"old": "A", "new": "B"}}
    assert m.new_shape("update", done) == done  # converting twice changes nothing


def test_migration_downgrade_restores_the_old_shapes():
    m = _migration()
    for action, changes in [
        ("update", {"title": ["A", "B"], "assigned_user_ids": [["u1"], ["u2"]]}),
        ("import", {"name": "Dana", "phone": ""}),
        ("status", {"status": ["lead", "quoted"]}),
    ]:
        assert m.old_shape(action, m.new_shape(action, changes)) == changes


def test_migration_marks_thumbnail_rows_as_housekeeping():
    m = _migration()
    thumb = {"thumbnail_key": [None, "t.webp"], "thumbnail_status": ["pending", "ready"]}
    assert m.is_housekeeping("photo", None, thumb)
    assert not m.is_housekeeping("photo", uuid.uuid4(), thumb)  # a person's edit
    assert not m.is_housekeeping("photo", None, {"caption": ["a", "b"]})
