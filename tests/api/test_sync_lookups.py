"""What the sync routes show beside each row (a note's author, a job's crew, a conflict's
people and label) is looked up for the whole page at once, not one query per row."""

from __future__ import annotations

from khs_crm.models import JobNote, Role
from khs_crm.services.core.versioning import next_version
from tests.api.test_sync import add_material, op, push
from tests.api.test_sync_runs import counted_statements
from tests.support.factories import bearer, make_job, make_user


def _notes(session, cast, count):
    for i in range(count):
        author = make_user(session, Role.worker, name=f"Writer {i}")
        session.add(
            JobNote(
                job_id=cast.job.id,
                author_id=author.id,
                body=f"Note {i}",
                version=next_version(session),
            )
        )
    session.commit()


def _pull_all(client, user):
    response = client.get(
        "/api/sync/pull", params={"limit": 10000, "scope": "all"}, headers=bearer(user)
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["changes"]


def test_a_pull_names_every_author_with_the_same_statements_for_5_or_40_notes(
    client, engine, session, cast
):
    _notes(session, cast, 5)
    with counted_statements(engine) as few:
        changes = _pull_all(client, cast.owner)
    _notes(session, cast, 35)
    for i in range(10):
        make_job(session, cast.customer, title=f"Job {i}", crew=[cast.worker_a])
    with counted_statements(engine) as many:
        more = _pull_all(client, cast.owner)
    notes = [c["row"] for c in more if c["entity"] == "note"]
    assert len(notes) == 40 and len(changes) < len(more)
    by_body = {n["body"]: n["authorName"] for n in notes}
    assert all(by_body[f"Note {i}"] == f"Writer {i}" for i in range(5))
    crews = [c["row"]["assignedUserIds"] for c in more if c["entity"] == "job"]
    assert crews.count([str(cast.worker_a.id)]) == 11  # the cast's job and the ten new ones
    assert len(many) == len(few), (len(few), len(many))


def _refuse_ticks(client, session, cast, count, first_seq):
    rows = [add_material(session, cast.job, name=f"Slab {first_seq + i}") for i in range(count)]
    for row in rows:
        gone = client.delete(f"/api/materials/{row.id}", headers=bearer(cast.owner))
        assert gone.status_code in (200, 204)
    ticks = [
        op("material", "update", row.id, {"purchased": True}, base=row.version, seq=first_seq + i)
        for i, row in enumerate(rows)
    ]
    results = push(client, cast.worker_a, *ticks)["results"]
    assert {r["status"] for r in results} == {"conflict"}


def _conflicts(client, user):
    response = client.get("/api/sync/conflicts", params={"pageSize": 100}, headers=bearer(user))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_the_conflict_list_labels_each_with_the_same_statements_for_3_or_30(
    client, engine, session, cast
):
    _refuse_ticks(client, session, cast, 3, 1)
    with counted_statements(engine) as few:
        assert len(_conflicts(client, cast.owner)) == 3
    _refuse_ticks(client, session, cast, 27, 100)
    with counted_statements(engine) as many:
        listed = _conflicts(client, cast.owner)
    assert len(listed) == 30
    labels = {c["label"] for c in listed}
    assert labels == {f"Slab {n} on {cast.job.title}" for n in [*range(1, 4), *range(100, 127)]}
    assert {c["clientUserName"] for c in listed} == {cast.worker_a.name}
    assert len(many) == len(few), (len(few), len(many))


def test_a_refused_move_answers_with_the_job_and_its_crew(client, session, cast):
    """The push's answer for a row that was not applied shows it as it stands, crew included."""
    workflow_moved = client.put(
        f"/api/jobs/{cast.job.id}/status",
        json={"status": "on_hold"},
        headers=bearer(cast.owner) | {"If-Match": f'"{cast.job.version}"'},
    )
    assert workflow_moved.status_code == 200, workflow_moved.text
    stale = op("job", "update", cast.job.id, {"status": "in_progress"}, base=cast.job.version)
    (result,) = push(client, cast.worker_a, stale)["results"]
    assert result["status"] == "conflict"
    assert result["serverRow"]["id"] == str(cast.job.id)
    assert result["serverRow"]["status"] == "on_hold"
    assert result["serverRow"]["assignedUserIds"] == [str(cast.worker_a.id)]
