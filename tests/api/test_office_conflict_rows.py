"""The office's Conflicts screen says when the office wrote the value the phone overwrote,
for a whole page in a fixed number of queries."""

from __future__ import annotations

from sqlmodel import select

from khs_crm.models import ActivityLog, SyncConflict
from khs_crm.office.conflicts import conflict_rows
from khs_crm.office.views import when
from tests.api.test_sync import add_material, op, push
from tests.api.test_sync_runs import counted_statements
from tests.support.factories import bearer


def _overwritten(client, session, cast, count, first_seq):
    """``count`` materials whose quantity the office set and a phone then changed offline."""
    for i in range(count):
        material = add_material(session, cast.job, name=f"Board {first_seq + i}", quantity=2)
        base = material.version
        office = client.put(
            f"/api/materials/{material.id}", json={"quantity": 10}, headers=bearer(cast.owner)
        )
        assert office.status_code == 200
        change = op(
            "material", "update", material.id, {"quantity": 4}, base=base, seq=first_seq + i
        )
        (result,) = push(client, cast.worker_a, change)["results"]
        assert len(result["conflicts"]) == 1


def _rows(session):
    session.expire_all()
    return list(session.exec(select(SyncConflict)).all())


def test_each_row_says_when_the_office_wrote_its_value(client, engine, session, cast):
    _overwritten(client, session, cast, 2, 1)
    first = _rows(session)
    with counted_statements(engine) as few:
        conflict_rows(session, first)
    _overwritten(client, session, cast, 6, 100)
    conflicts = _rows(session)
    with counted_statements(engine) as many:
        shown = conflict_rows(session, conflicts)
    assert len(shown) == 8 and len(many) == len(few), (len(few), len(many))
    for row, conflict in zip(shown, conflicts, strict=True):
        logged = session.exec(
            select(ActivityLog.created_at)
            .where(ActivityLog.entity_id == conflict.entity_id)
            .where(ActivityLog.actor_id == cast.owner.id)
        ).one()
        assert row.server_when == when(logged), row
        assert row.server_by == cast.owner.name
