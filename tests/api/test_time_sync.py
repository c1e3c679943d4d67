"""The time clock through sync (entity ``time_entry``): on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from khs_crm.models import SyncConflict, TimeEntry
from khs_crm.models.base import utcnow
from khs_crm.services.sync.messages import local_text
from khs_crm.services.time import checks
from khs_crm.settings import get_settings
from tests.api.test_sync import op, pull_all, push
from tests.support.factories import bearer


@pytest.fixture(autouse=True)
def midday(monkeypatch):
    """A company time zone where it is about 1 pm now: the last few hours fall on one day."""
    monkeypatch.setenv("KHS_TIMEZONE", midday_zone())
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def midday_zone() -> str:
    offset = (13 - utcnow().hour + 12) % 24 - 12  # -12 … +11 hours from UTC
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


def punch(cast, start, end=None, *, entry_id=None, user=None, breaks=(), seq=1, job=None):
    changes = {
        "userId": str((user or cast.worker_a).id),
        "jobId": str((job or cast.job).id),
        "startedAt": iso(start),
        "endedAt": iso(end) if end else None,
        "breaks": list(breaks),
        "note": "",
    }
    return op("time_entry", "create", entity_id=entry_id, changes=changes, seq=seq)


def entries(client, cast, user=None):
    response = client.get(
        "/api/time-entries",
        params={"userId": str(cast.worker_a.id)},
        headers=bearer(user or cast.owner),
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_an_entry_pushed_twice_is_one_entry(client, cast):
    now = utcnow()
    create = punch(cast, now - timedelta(hours=3), now - timedelta(hours=1))
    first = push(client, cast.worker_a, create)["results"][0]
    again = push(client, cast.worker_a, create)["results"][0]
    assert (first["status"], again["status"]) == ("applied", "duplicate")
    assert again["version"] == first["version"]
    (entry,) = entries(client, cast)
    assert entry["id"] == create["entityId"]
    assert entry["hours"] == "2.00"
    assert entry["startedAt"] == (now - timedelta(hours=3)).isoformat()
    assert entry["receivedAt"] and entry["flags"] == [] and entry["approved"] is False


def test_clock_in_break_and_out_keep_the_device_times(client, cast):
    now = utcnow().replace(microsecond=0)
    start = now - timedelta(hours=4)
    entry_id = uuid.uuid4()
    assert (
        push(client, cast.worker_a, punch(cast, start, entry_id=entry_id))["results"][0]["status"]
        == "applied"
    )
    pause = [
        {
            "startedAt": iso(start + timedelta(hours=1)),
            "endedAt": iso(start + timedelta(hours=1, minutes=30)),
        }
    ]
    out = op(
        "time_entry", "update", entity_id=entry_id, seq=2,
        changes={"endedAt": iso(now - timedelta(minutes=1)), "breaks": pause},
    )  # fmt: skip
    assert push(client, cast.worker_a, out)["results"][0]["status"] == "applied"
    (entry,) = entries(client, cast, cast.worker_a)
    # 3 h 59 min less a 30-minute break: 3 h 29 min = 3.4833… → 3.48
    assert entry["hours"] == "3.48"
    assert entry["breaks"][0]["endedAt"] == (start + timedelta(hours=1, minutes=30)).isoformat()


def test_an_overlap_is_refused_naming_the_other_entry(client, cast):
    now = utcnow()
    a_start, a_end = now - timedelta(hours=6), now - timedelta(hours=2)
    push(client, cast.worker_a, punch(cast, a_start, a_end))
    result = push(client, cast.worker_a, punch(cast, now - timedelta(hours=3), now, seq=2))[
        "results"
    ][0]
    assert result["status"] == "rejected"
    assert result["error"]["reason"] == "time_overlap"
    message = result["error"]["message"]
    assert cast.job.title in message
    assert local_text(a_start) in message and local_text(a_end) in message
    assert len(entries(client, cast)) == 1


def test_one_open_entry_per_person(client, cast):
    now = utcnow()
    push(client, cast.worker_a, punch(cast, now - timedelta(hours=2)))
    result = push(client, cast.worker_a, punch(cast, now - timedelta(hours=1), seq=2))["results"][0]
    assert (result["status"], result["error"]["reason"]) == ("rejected", "time_already_open")
    assert "clocked in" in result["error"]["message"]


def test_a_device_time_ahead_of_the_server_is_refused(client, cast):
    now = utcnow()
    ahead = push(client, cast.worker_a, punch(cast, now + timedelta(minutes=11)))["results"][0]
    assert (ahead["status"], ahead["error"]["reason"]) == ("rejected", "time_in_future")
    assert entries(client, cast) == []
    close = push(client, cast.worker_a, punch(cast, now + timedelta(minutes=5), seq=2))["results"][
        0
    ]
    assert close["status"] == "applied"


def test_a_worker_records_only_their_own_time(client, cast):
    now = utcnow()
    theirs = punch(cast, now - timedelta(hours=1), user=cast.worker_b)
    result = push(client, cast.worker_a, theirs)["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "FORBIDDEN"
    mine = punch(cast, now - timedelta(hours=1), seq=2)
    push(client, cast.worker_a, mine)
    steal = op("time_entry", "update", entity_id=mine["entityId"], changes={"note": "x"}, seq=1)
    stolen = push(client, cast.worker_b, steal)["results"][0]
    assert stolen["status"] == "rejected" and stolen["error"]["code"] == "NOT_FOUND"


def test_a_punch_into_an_approved_week_is_kept_as_refused_work(client, session, cast):
    start = utcnow() - timedelta(days=8)
    week = checks.week_of(session, start)
    approved = client.post(
        f"/api/timesheets/{cast.worker_a.id}/{week.isoformat()}/approve",
        json={"reason": ""},
        headers=bearer(cast.owner),
    )
    assert approved.status_code == 200, approved.text
    create = punch(cast, start, start + timedelta(hours=8))
    result = push(client, cast.worker_a, create)["results"][0]
    assert result["status"] == "conflict" and result["conflictId"]
    assert result["error"]["reason"] == "time_week_approved"
    assert week.isoformat() in result["error"]["message"]
    assert session.get(TimeEntry, uuid.UUID(create["entityId"])) is None
    listed = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"]
    (kept,) = [c for c in listed if c["id"] == result["conflictId"]]
    assert (kept["entity"], kept["kind"]) == ("time_entry", "refused")
    assert cast.job.title in kept["label"]
    assert kept["changes"]["startedAt"] == create["changes"]["startedAt"]
    again = push(client, cast.worker_a, create)["results"][0]
    assert again["status"] == "duplicate" and again["conflictId"] == result["conflictId"]


def test_a_punch_over_the_offices_entry_is_kept_for_review(client, session, cast):
    now = utcnow()
    office = client.post(
        "/api/time-entries",
        json={
            "userId": str(cast.worker_a.id),
            "jobId": str(cast.job.id),
            "startedAt": iso(now - timedelta(hours=5)),
            "endedAt": iso(now - timedelta(hours=1)),
        },
        headers=bearer(cast.admin),
    )
    assert office.status_code == 201, office.text
    result = push(client, cast.worker_a, punch(cast, now - timedelta(hours=2), now))["results"][0]
    assert result["status"] == "conflict"
    assert result["error"]["reason"] == "time_office_overlap"
    kept = session.exec(
        select(SyncConflict).where(SyncConflict.id == uuid.UUID(result["conflictId"]))
    ).one()
    assert kept.kind == "refused" and kept.client_user_id == cast.worker_a.id


def test_a_worker_pulls_only_their_own_time(client, cast):
    now = utcnow()
    push(client, cast.worker_a, punch(cast, now - timedelta(hours=2), now - timedelta(hours=1)))
    office = client.post(
        "/api/time-entries",
        json={
            "userId": str(cast.worker_b.id),
            "jobId": str(cast.job.id),
            "startedAt": iso(now - timedelta(hours=2)),
            "endedAt": iso(now - timedelta(hours=1)),
        },
        headers=bearer(cast.owner),
    )
    assert office.status_code == 201, office.text
    changes, _ = pull_all(client, cast.worker_a)
    time_rows = [c["row"] for c in changes if c["entity"] == "time_entry"]
    assert [r["userId"] for r in time_rows] == [str(cast.worker_a.id)]
    assert time_rows[0]["hours"] == "1.00" and time_rows[0]["deletedAt"] is None


def test_flags_for_the_office(client, cast):
    now = utcnow()
    late = punch(cast, now - timedelta(hours=40), now - timedelta(hours=30))
    long = punch(cast, now - timedelta(hours=25), now - timedelta(hours=8), seq=2)
    still_open = punch(cast, now - timedelta(hours=7), seq=3)
    results = push(client, cast.worker_a, late, long, still_open)["results"]
    assert [r["status"] for r in results] == ["applied"] * 3
    by_id = {e["id"]: e for e in entries(client, cast)}
    assert "late_sync" in by_id[late["entityId"]]["flags"]
    assert {"over_16h", "open_past_midnight"} <= set(by_id[long["entityId"]]["flags"])
    assert "late_sync" not in by_id[long["entityId"]]["flags"]
    assert by_id[still_open["entityId"]]["hours"] is None
