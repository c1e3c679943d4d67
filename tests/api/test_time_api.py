"""The time clock's REST routes: approvals lock a week, office edits need a reason, overtime
and labor cost to the cent — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import select

from khs_crm.models import ActivityLog
from khs_crm.models.base import utcnow
from khs_crm.services.time import checks, timesheets
from tests.api.test_sync import op, push
from tests.api.test_time_sync import iso, punch
from tests.support.factories import bearer


def last_week(session) -> datetime:
    """08:00 on the first day of the company week before last (company time zone)."""
    week = checks.week_of(session, utcnow()) - timedelta(days=14)
    return datetime.combine(week, time(8), ZoneInfo(checks.timezone()))


def office_entry(client, cast, start, end, *, user=None, breaks=()):
    response = client.post(
        "/api/time-entries",
        json={
            "userId": str((user or cast.worker_a).id),
            "jobId": str(cast.job.id),
            "startedAt": iso(start),
            "endedAt": iso(end),
            "breaks": list(breaks),
        },
        headers=bearer(cast.owner),
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def sheet(client, cast, who, week, action, **body):
    return client.post(
        f"/api/timesheets/{cast.worker_a.id}/{week.isoformat()}/{action}",
        json=body,
        headers=bearer(who),
    )


def test_approval_locks_the_week_for_the_worker(client, session, cast):
    start = last_week(session)
    entry_id = uuid.uuid4()
    first = push(
        client, cast.worker_a, punch(cast, start, start + timedelta(hours=8), entry_id=entry_id)
    )
    assert first["results"][0]["status"] == "applied"
    week = start.date()
    assert sheet(client, cast, cast.admin, week, "approve").status_code == 200
    listed = client.get("/api/time-entries", headers=bearer(cast.worker_a)).json()["data"]
    assert [e["approved"] for e in listed] == [True]

    note = op("time_entry", "update", entity_id=entry_id, changes={"note": "forgot lunch"}, seq=2)
    refused = push(client, cast.worker_a, note)["results"][0]
    assert refused["status"] == "conflict" and refused["error"]["reason"] == "time_week_approved"
    assert refused["serverRow"]["note"] == "" and refused["serverRow"]["approved"] is True

    assert sheet(client, cast, cast.admin, week, "unapprove", reason="Fix").status_code == 403
    assert sheet(client, cast, cast.owner, week, "unapprove").status_code == 422
    reopened = sheet(client, cast, cast.owner, week, "unapprove", reason="Lunch was missed")
    assert reopened.status_code == 200 and reopened.json()["data"]["approved"] is False
    again = op("time_entry", "update", entity_id=entry_id, changes={"note": "forgot lunch"}, seq=3)
    assert push(client, cast.worker_a, again)["results"][0]["status"] == "applied"


def test_a_week_starts_on_the_company_day(client, session, cast):
    start = last_week(session)
    assert (
        sheet(client, cast, cast.owner, start.date() + timedelta(days=1), "approve").status_code
        == 404
    )
    assert sheet(client, cast, cast.worker_a, start.date(), "approve").status_code == 404


def test_an_office_edit_needs_a_reason_and_is_logged(client, session, cast):
    start = last_week(session)
    entry = office_entry(client, cast, start, start + timedelta(hours=8))
    path = f"/api/time-entries/{entry['id']}"
    new_end = iso(start + timedelta(hours=9))
    missing = client.put(path, json={"endedAt": new_end}, headers=bearer(cast.admin))
    assert missing.status_code == 422
    assert any(d["field"] == "reason" for d in missing.json()["error"]["details"])
    edited = client.put(
        path, json={"endedAt": new_end, "reason": "Stayed to clean up"}, headers=bearer(cast.admin)
    )
    assert edited.status_code == 200, edited.text
    data = edited.json()["data"]
    assert data["hours"] == "9.00" and "edited" in data["flags"]
    log = session.exec(
        select(ActivityLog).where(
            ActivityLog.entity_id == uuid.UUID(entry["id"]), ActivityLog.action == "update"
        )
    ).one()
    ended = log.changes["ended_at"]
    assert datetime.fromisoformat(ended["old"]) == start + timedelta(hours=8)
    assert datetime.fromisoformat(ended["new"]) == start + timedelta(hours=9)
    assert log.changes["reason"]["new"] == "Stayed to clean up"
    assert client.put(path, json={"reason": "x"}, headers=bearer(cast.worker_a)).status_code == 404


def test_an_edit_in_an_approved_week_is_flagged(client, session, cast):
    start = last_week(session)
    entry = office_entry(client, cast, start, start + timedelta(hours=8))
    assert sheet(client, cast, cast.owner, start.date(), "approve", reason="ok").status_code == 200
    edited = client.put(
        f"/api/time-entries/{entry['id']}",
        json={"note": "checked", "reason": "note"},
        headers=bearer(cast.owner),
    )
    assert edited.status_code == 200
    assert {"edited", "after_approval"} <= set(edited.json()["data"]["flags"])


def test_the_office_cannot_overlap_a_persons_time(client, session, cast):
    start = last_week(session)
    office_entry(client, cast, start, start + timedelta(hours=8))
    response = client.post(
        "/api/time-entries",
        json={
            "userId": str(cast.worker_a.id),
            "jobId": str(cast.job.id),
            "startedAt": iso(start + timedelta(hours=7)),
            "endedAt": iso(start + timedelta(hours=10)),
        },
        headers=bearer(cast.owner),
    )
    assert response.status_code == 409
    assert cast.job.title in response.json()["error"]["message"]


def test_a_worker_sees_only_their_own_time(client, session, cast):
    start = last_week(session)
    office_entry(client, cast, start, start + timedelta(hours=8), user=cast.worker_b)
    mine = client.get(
        "/api/time-entries", params={"userId": str(cast.worker_b.id)}, headers=bearer(cast.worker_a)
    )
    assert mine.status_code == 200 and mine.json()["data"] == []
    theirs = client.get(
        "/api/time-entries", params={"userId": str(cast.worker_b.id)}, headers=bearer(cast.owner)
    ).json()["data"]
    assert len(theirs) == 1
    body = {"userId": str(cast.worker_a.id), "jobId": str(cast.job.id), "startedAt": iso(start)}
    assert (
        client.post("/api/time-entries", json=body, headers=bearer(cast.worker_a)).status_code
        == 404
    )
    cost = f"/api/users/{cast.worker_a.id}/hourly-cost"
    assert client.get(cost, headers=bearer(cast.worker_a)).status_code == 404
    assert client.get(cost, headers=bearer(cast.admin)).status_code == 403


def test_overtime_and_labor_cost_to_the_cent(client, session, cast):
    start = last_week(session)
    put = client.put(
        f"/api/users/{cast.worker_a.id}/hourly-cost",
        json={"hourlyCost": "27.35"},
        headers=bearer(cast.owner),
    )
    assert put.status_code == 200 and put.json()["data"]["hourlyCost"] == "27.35"
    for day in range(4):  # 4 × 10 h 30 min less a 30-minute lunch = 40 h
        begin = start + timedelta(days=day)
        lunch = [
            {
                "startedAt": iso(begin + timedelta(hours=4)),
                "endedAt": iso(begin + timedelta(hours=4, minutes=30)),
            }
        ]
        office_entry(client, cast, begin, begin + timedelta(hours=10, minutes=30), breaks=lunch)
    friday = start + timedelta(days=4)
    office_entry(client, cast, friday, friday + timedelta(hours=8, minutes=20, seconds=30))  # 8.34
    response = client.get(
        "/api/timesheets/export.csv",
        params={
            "from": start.date().isoformat(),
            "to": (start.date() + timedelta(days=6)).isoformat(),
        },
        headers=bearer(cast.owner),
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["hours"] for r in rows] == ["10.00"] * 4 + ["8.34"]
    assert [r["overtime"] for r in rows] == ["0.00"] * 4 + ["8.34"]
    assert rows[0]["breaks"] == "30" and rows[0]["start"] == "08:00" and rows[0]["end"] == "18:30"
    assert rows[0]["person"] == cast.worker_a.name and rows[0]["job"] == cast.job.title
    # 48.34 h × 27.35 = 1322.099 → 1322.10
    assert timesheets.job_labor_cost(session, cast.job.id) == Decimal("1322.10")
    money = client.get(f"/api/jobs/{cast.job.id}/money", headers=bearer(cast.owner))
    assert money.status_code == 200
    card = money.json()["data"]
    assert card["laborCost"] == "1322.10" and card["margin"] == "-1322.10"
