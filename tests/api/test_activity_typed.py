"""The typed activity log over the API: one change shape, job timelines, housekeeping apart."""

from __future__ import annotations

import uuid

import pytest

from khs_crm.integrations import jobqueue
from khs_crm.office.timelines import job_timeline
from khs_crm.services.core import activity
from tests.support.factories import bearer, make_job
from tests.support.photo_files import image_bytes


def _log(client, cast, **params) -> list[dict]:
    response = client.get("/api/activity", params=params, headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _add_material(client, cast, job_id, name="Quartz countertop") -> dict:
    url = f"/api/jobs/{job_id}/materials"
    response = client.post(url, json=[{"name": name}], headers=bearer(cast.worker_a))
    assert response.status_code == 201, response.text
    return response.json()["data"][0]


def test_changes_come_as_old_and_new(client, cast):
    owner, job = bearer(cast.owner), cast.job
    client.put(f"/api/jobs/{job.id}", json={"siteAddress": "12 Elm St"}, headers=owner)
    [update] = _log(client, cast, entity="job", entityId=str(job.id))
    assert update["action"] == "update" and update["jobId"] == str(job.id)
    assert update["changes"] == {"siteAddress": {"old": job.site_address, "new": "12 Elm St"}}


def test_a_material_tick_appears_in_its_jobs_timeline(client, session, cast):
    tile = _add_material(client, cast, cast.job.id)
    ticked = client.put(
        f"/api/materials/{tile['id']}", json={"purchased": True}, headers=bearer(cast.worker_a)
    )
    assert ticked.status_code == 200, ticked.text
    elsewhere = make_job(session, cast.customer, title="Porch rebuild", crew=[cast.worker_a])
    _add_material(client, cast, elsewhere.id, name="Decking")

    timeline = _log(client, cast, jobId=str(cast.job.id))
    assert [(a["entity"], a["action"]) for a in timeline] == [
        ("material", "update"),
        ("material", "create"),
    ]
    assert timeline[0]["changes"]["purchased"] == {"old": False, "new": True}
    assert {a["jobId"] for a in timeline} == {str(cast.job.id)}
    rows, _page = job_timeline(session, job_id=str(cast.job.id), page=1, page_size=10)
    assert rows[0].summary == "marked “Quartz countertop” purchased on job “Kitchen remodel”"


def test_the_crew_and_notes_of_a_job_are_in_its_timeline(client, cast):
    job, owner = cast.job.id, bearer(cast.owner)
    crew = {"userIds": [str(cast.worker_b.id)]}
    assert client.post(f"/api/jobs/{job}/assign", json=crew, headers=owner).status_code == 200
    client.post(f"/api/jobs/{job}/notes", json={"body": "Gate code 1234"}, headers=owner)
    timeline = _log(client, cast, jobId=str(job))
    assert [(a["entity"], a["action"]) for a in timeline] == [("note", "create"), ("job", "assign")]
    assert timeline[1]["changes"]["assignedUserIds"] == {
        "old": [str(cast.worker_a.id)],
        "new": [str(cast.worker_b.id)],
    }


@pytest.mark.usefixtures("uploads", "drained")
def test_thumbnail_housekeeping_stays_out_of_timelines(client, session, cast):
    files = {"file": ("site.jpg", image_bytes(), "image/jpeg")}
    url = f"/api/jobs/{cast.job.id}/photos"
    form = {"id": str(uuid.uuid4())}
    response = client.post(url, files=files, data=form, headers=bearer(cast.worker_a))
    assert response.status_code == 201, response.text
    assert jobqueue.get_queue().join(20)

    assert [a["action"] for a in _log(client, cast)] == ["create"]
    assert [a["action"] for a in _log(client, cast, jobId=str(cast.job.id))] == ["create"]
    rows, _total = activity.list_activity(session, job_id=cast.job.id, include_system=True)
    assert [row.action for row, _name in rows] == ["housekeeping", "create"]
    assert rows[0][1] is None  # no one: the system
    timeline, _page = job_timeline(session, job_id=str(cast.job.id), page=1, page_size=10)
    assert [r.summary for r in timeline] == ["added a photo on job “Kitchen remodel”"]


def test_a_bad_job_filter_is_422(client, cast):
    response = client.get("/api/activity?jobId=nope", headers=bearer(cast.owner))
    assert response.status_code == 422
