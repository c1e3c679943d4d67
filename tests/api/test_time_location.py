"""The optional location stamp at clock in and out (docs/time.md), through sync and the API,
on SQLite and PostgreSQL: the person's own choice (asked once), kept rounded to 3 decimals,
seen by the person and the office only."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from khs_crm.models import TimeEntry, User
from khs_crm.models.base import utcnow
from tests.api.test_sync import op, pull_all, push
from tests.api.test_time_sync import entries, iso, midday, punch  # noqa: F401 (fixture)
from tests.support.factories import bearer, make_job

# Where a phone says it is, to the metre; what the server keeps (half-up, 3 decimals).
AT = {"inLat": 41.878113, "inLng": -87.629798}
KEPT = {"inLat": 41.878, "inLng": -87.63}
OUT = {"outLat": 41.88150049, "outLng": -87.6235}
OUT_KEPT = {"outLat": 41.882, "outLng": -87.624}  # -87.6235 → -87.624: half away from zero


def share(user, value, seq=1):
    return op("user", "update", user.id, {"shareLocation": value}, seq=seq)


def stamped(cast, start, *, seq, stamps=AT, entry_id=None):
    create = punch(cast, start, entry_id=entry_id, seq=seq)
    create["changes"].update(stamps)
    return create


def me(client, user):
    return client.get("/api/auth/me", headers=bearer(user)).json()["data"]


def test_a_person_has_not_been_asked_until_their_phone_says(client, cast):
    assert me(client, cast.worker_a)["shareLocation"] is None
    results = push(client, cast.worker_a, share(cast.worker_a, True))["results"]
    assert results[0]["status"] == "applied"
    assert me(client, cast.worker_a)["shareLocation"] is True
    both = op("user", "update", cast.worker_a.id, {"language": "es", "shareLocation": False}, seq=2)
    assert push(client, cast.worker_a, both)["results"][0]["status"] == "applied"
    assert me(client, cast.worker_a) | {"language": "es", "shareLocation": False} == me(
        client, cast.worker_a
    )
    assert me(client, cast.worker_b)["shareLocation"] is None  # one person's choice


@pytest.mark.parametrize(
    "changes",
    [{"shareLocation": "yes"}, {"shareLocation": None}, {"shareLocation": 1}, {}],
    ids=["text", "null", "number", "nothing"],
)
def test_a_choice_that_is_not_true_or_false_is_refused(client, cast, changes):
    result = push(client, cast.worker_a, op("user", "update", cast.worker_a.id, changes))
    assert result["results"][0]["status"] == "rejected"
    assert result["results"][0]["error"]["code"] == "VALIDATION_ERROR"
    assert me(client, cast.worker_a)["shareLocation"] is None


def test_nobody_chooses_for_someone_else(client, cast):
    (result,) = push(client, cast.worker_a, share(cast.worker_b, True))["results"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "NOT_FOUND")
    assert me(client, cast.worker_b)["shareLocation"] is None


def test_the_server_rounds_the_stamps_to_about_100_metres(client, cast, session):
    now = utcnow()
    entry_id = uuid.uuid4()
    clock_in = stamped(cast, now - timedelta(hours=2), seq=2, entry_id=entry_id)
    clock_out = op(
        "time_entry", "update", entry_id, {"endedAt": iso(now - timedelta(hours=1)), **OUT}, seq=3
    )
    results = push(client, cast.worker_a, share(cast.worker_a, True), clock_in, clock_out)
    assert [r["status"] for r in results["results"]] == ["applied"] * 3
    (entry,) = entries(client, cast)
    assert {k: entry[k] for k in (*KEPT, *OUT_KEPT)} == KEPT | OUT_KEPT
    row = session.get(TimeEntry, entry_id)
    session.refresh(row)
    assert (str(row.in_lat), str(row.in_lng), str(row.out_lng)) == ("41.878", "-87.630", "-87.624")


def test_a_stamp_from_someone_who_does_not_share_is_not_kept(client, cast):
    now = utcnow()
    first = stamped(cast, now - timedelta(hours=5), seq=1)
    first["changes"]["endedAt"] = iso(now - timedelta(hours=4))
    assert push(client, cast.worker_a, first)["results"][0]["status"] == "applied"
    push(client, cast.worker_a, share(cast.worker_a, False, seq=2))
    later = stamped(cast, now - timedelta(hours=3), seq=3)
    assert push(client, cast.worker_a, later)["results"][0]["status"] == "applied"
    kept = [(e["inLat"], e["inLng"], e["outLat"]) for e in entries(client, cast)]
    assert kept == [(None, None, None), (None, None, None)]


@pytest.mark.parametrize(
    "stamps",
    [
        {"inLat": 91, "inLng": 0},
        {"inLat": 0, "inLng": -180.5},
        {"inLat": 41.9},
        {"inLat": "41.9", "inLng": "-87.6"},
        {"inLat": True, "inLng": 0},
        {"outLng": 10},
    ],
    ids=["lat-past-pole", "lng-past-antimeridian", "lat-alone", "text", "boolean", "lng-alone"],
)
def test_a_position_that_is_not_one_is_refused(client, cast, stamps):
    push(client, cast.worker_a, share(cast.worker_a, True))
    bad = stamped(cast, utcnow() - timedelta(hours=1), seq=2, stamps=stamps)
    (result,) = push(client, cast.worker_a, bad)["results"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "VALIDATION_ERROR")
    assert entries(client, cast) == []


def test_a_worker_pulls_their_own_stamps_and_nobody_elses(client, cast, session):
    for worker in (cast.worker_a, cast.worker_b):
        worker.share_location = True
        session.add(worker)
    session.commit()
    both = make_job(session, cast.customer, crew=[cast.worker_a, cast.worker_b], title="Porch")
    now = utcnow()
    mine = stamped(cast, now - timedelta(hours=2), seq=1)
    theirs = punch(cast, now - timedelta(hours=2), user=cast.worker_b, job=both, seq=1)
    theirs["changes"].update({"inLat": 40.0, "inLng": -88.0})
    assert push(client, cast.worker_a, mine)["results"][0]["status"] == "applied"
    assert push(client, cast.worker_b, theirs, client_id="phone-2")["results"][0]["status"] == (
        "applied"
    )
    changes, _ = pull_all(client, cast.worker_a, scope="all")
    times = [c["row"] for c in changes if c["entity"] == "time_entry"]
    assert [(t["userId"], t["inLat"], t["inLng"]) for t in times] == [
        (str(cast.worker_a.id), *KEPT.values())
    ]
    seen = client.get(
        "/api/time-entries", params={"userId": str(cast.worker_b.id)}, headers=bearer(cast.worker_a)
    ).json()["data"]
    assert seen == []
    office = client.get(
        "/api/time-entries", params={"userId": str(cast.worker_b.id)}, headers=bearer(cast.owner)
    ).json()["data"]
    assert [(e["inLat"], e["inLng"]) for e in office] == [(40.0, -88.0)]


def test_the_office_cannot_stamp_a_position(client, cast):
    now = utcnow()
    body = {
        "userId": str(cast.worker_a.id),
        "jobId": str(cast.job.id),
        "startedAt": iso(now - timedelta(hours=2)),
        "endedAt": iso(now - timedelta(hours=1)),
        **AT,
    }
    response = client.post("/api/time-entries", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["error"]["details"]} == {"inLat", "inLng"}


def test_the_choice_is_kept_on_the_user_row(session, cast):
    from khs_crm.services.time.location import set_share_location

    set_share_location(session, actor=cast.worker_a, share=True)
    session.commit()
    assert session.get(User, cast.worker_a.id).share_location is True


def test_the_contract_names_the_stamps_and_the_choice(client, cast):
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    entry = schemas["TimeEntryOut"]["properties"]
    assert {"inLat", "inLng", "outLat", "outLng"} <= set(entry)
    assert "3 decimals" in entry["inLat"]["description"]
    assert "shareLocation" in schemas["Me"]["properties"]
    now = utcnow()
    push(client, cast.worker_a, punch(cast, now - timedelta(hours=1)))
    (row,) = entries(client, cast, user=cast.worker_a)
    assert set(row) == {
        "id", "userId", "jobId", "startedAt", "endedAt", "breaks", "note", "hours",
        "receivedAt", "flags", "approved", "source", "inLat", "inLng", "outLat", "outLng",
        "version", "createdAt", "updatedAt",
    }  # fmt: skip
