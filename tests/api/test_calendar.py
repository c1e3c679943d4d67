"""/api/calendar: a private .ics feed per person, found only by its secret link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from khs_crm.models import CalendarToken, JobStatus
from khs_crm.services.auth import users
from khs_crm.services.jobs import calendar_feed
from tests.support.factories import bearer, make_customer, make_job

START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


def issue(client, cast, worker) -> str:
    response = client.post(f"/api/calendar/links/{worker.id}", headers=bearer(cast.admin))
    assert response.status_code == 201, response.text
    url = response.json()["data"]["url"]
    assert url.endswith(".ics")
    return "/api/calendar/" + url.rsplit("/", 1)[1]


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_feed_lists_the_workers_jobs_as_events(client, session, cast):
    customer = make_customer(session, name="Lopez, Ana; Jr.")
    make_job(
        session,
        customer,
        crew=[cast.worker_a],
        title="Deck build",
        status=JobStatus.scheduled,
        site_address="12 Oak St, Austin, TX\nBack gate",
        scheduled_start=START,
        scheduled_end=START + timedelta(hours=6),
    )
    make_job(session, customer, crew=[cast.worker_b], title="Not theirs", scheduled_start=START)
    path = issue(client, cast, cast.worker_a)

    response = client.get(path)  # no sign-in: the link is the secret
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    assert lines.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Deck build — Lopez\\, Ana\\; Jr." in lines
    assert "LOCATION:12 Oak St\\, Austin\\, TX\\nBack gate" in lines
    assert f"DTSTART:{START.strftime('%Y%m%dT%H%M%SZ')}" in lines
    end = START + timedelta(hours=6)
    assert f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}" in lines
    assert any(line.startswith("UID:job-") for line in lines)
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert "Not theirs" not in body


def test_token_is_stored_hashed_and_reissue_revokes_the_old_link(client, session, cast):
    first = issue(client, cast, cast.worker_a)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    stored = session.exec(select(CalendarToken)).all()
    assert [row.token_hash for row in stored] == [calendar_feed.token_hash(token)]
    assert token not in {row.token_hash for row in stored}

    second = issue(client, cast, cast.worker_a)
    assert second != first
    assert client.get(second).status_code == 200
    gone = client.get(first)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "NOT_FOUND"


def test_revoked_unknown_and_deactivated_links_are_404_in_the_envelope(client, session, cast):
    path = issue(client, cast, cast.worker_a)
    assert client.get("/api/calendar/not-a-real-token.ics").json()["error"]["code"] == "NOT_FOUND"
    users.deactivate_user(session, user_id=cast.worker_a.id, actor=cast.owner)
    assert client.get(path).status_code == 404

    path = issue(client, cast, cast.worker_b)
    revoked = client.delete(f"/api/calendar/links/{cast.worker_b.id}", headers=bearer(cast.owner))
    assert revoked.json()["data"] == {"revoked": 1}
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found."


def test_only_the_office_manages_links(client, cast):
    url = f"/api/calendar/links/{cast.worker_a.id}"
    assert client.post(url, headers=bearer(cast.worker_a)).status_code == 404
    assert client.post(url).status_code == 401
    assert client.delete(url, headers=bearer(cast.worker_b)).status_code == 404


def test_long_lines_fold_without_splitting_characters():
    line = "SUMMARY:" + "Baño ñandú " * 20
    folded = calendar_feed.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert calendar_feed.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_deactivation_revokes_the_link_for_good(client, session, cast):
    path = issue(client, cast, cast.worker_a)
    url = f"/api/users/{cast.worker_a.id}"
    assert client.put(url, json={"active": False}, headers=bearer(cast.admin)).status_code == 200
    assert client.get(path).status_code == 404
    assert client.put(url, json={"active": True}, headers=bearer(cast.admin)).status_code == 200
    assert client.get(path).status_code == 404  # reactivation brings no old link back
    session.expire_all()
    assert calendar_feed.users_with_feeds(session, [cast.worker_a.id]) == set()
    assert client.get(issue(client, cast, cast.worker_a)).status_code == 200


def test_only_an_owner_manages_an_owners_link(client, session, cast):
    url = f"/api/calendar/links/{cast.owner.id}"
    assert client.post(url, headers=bearer(cast.admin)).status_code == 403
    issued = client.post(url, headers=bearer(cast.owner))
    assert issued.status_code == 201
    path = "/api/calendar/" + issued.json()["data"]["url"].rsplit("/", 1)[1]
    refused = client.delete(url, headers=bearer(cast.admin))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    assert client.get(path).status_code == 200
    assert client.delete(url, headers=bearer(cast.owner)).json()["data"] == {"revoked": 1}
