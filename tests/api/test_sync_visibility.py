"""Visibility before every other rule: a row a worker may not see is answered by sync exactly
as a row that does not exist — no serverRow, the same words, nothing recorded."""

from __future__ import annotations

import uuid

import pytest

from khs_crm.models import JobNote, Material, Photo, SyncConflict
from khs_crm.services.core.versioning import next_version
from tests.api.test_sync import op, push
from tests.support.factories import make_customer, make_job

SECRET = "New alarm code 9911"


@pytest.fixture
def hidden(session, cast):
    """A customer, job, material, note and photo on a job worker A is not on."""
    customer = make_customer(session, name="Hidden Person", notes=SECRET)
    job = make_job(session, customer, title="Hidden job", description=SECRET)
    material = Material(job_id=job.id, name=SECRET, version=next_version(session))
    note = JobNote(job_id=job.id, body=SECRET, version=next_version(session))
    photo = Photo(
        id=uuid.uuid4(),
        job_id=job.id,
        storage_key="photos/x.jpg",
        content_type="image/jpeg",
        caption=SECRET,
        version=next_version(session),
    )
    session.add_all([material, note, photo])
    session.commit()
    return {"customer": customer, "job": job, "material": material, "note": note, "photo": photo}


ATTEMPTS = [
    ("customer", "update", {"name": "Mine now"}),
    ("customer", "delete", {}),
    ("job", "update", {"title": "Mine now"}),
    ("job", "update", {"status": "in_progress"}),
    ("job", "delete", {}),
    ("material", "update", {"purchased": True}),
    ("material", "delete", {}),
    ("note", "update", {"body": "x"}),
    ("photo", "update", {"caption": "x"}),
    ("photo", "delete", {}),
]


@pytest.mark.parametrize(("entity", "action", "changes"), ATTEMPTS)
def test_a_hidden_row_is_answered_as_a_missing_one(
    client, session, cast, hidden, entity, action, changes
):
    row = hidden[entity]
    seen = op(entity, action, row.id, changes, base=row.version)
    missing = op(entity, action, uuid.uuid4(), changes, base=row.version, seq=2)
    first, second = push(client, cast.worker_a, seen, missing)["results"]
    assert first["status"] == second["status"] == "rejected"
    assert first["error"] == second["error"]
    assert first["serverRow"] is None and second["serverRow"] is None
    assert SECRET not in str(first)
    assert session.query(SyncConflict).count() == 0  # nothing planted for the office


def test_a_planted_status_move_is_not_kept_for_the_office(client, session, cast, hidden):
    job = hidden["job"]
    move = op("job", "update", job.id, {"status": "in_progress"}, base=0)
    (result,) = push(client, cast.worker_a, move)["results"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "NOT_FOUND")
    assert session.query(SyncConflict).count() == 0
    session.refresh(job)
    assert job.status == "lead"
