"""An id that is taken answers one generic 409, whether or not the caller may see its row."""

from __future__ import annotations

import uuid

from tests.api.test_photos import upload
from tests.support.factories import bearer, make_job


def _add_material(client, user, job_id, material_id):
    return client.post(
        f"/api/jobs/{job_id}/materials",
        json={"id": str(material_id), "name": "Grout"},
        headers=bearer(user),
    )


def test_a_material_id_taken_on_another_job_reveals_nothing(client, session, cast, uploads):
    hidden_job = make_job(session, cast.customer, title="Alarm install")
    hidden, mine = uuid.uuid4(), uuid.uuid4()
    assert _add_material(client, cast.owner, hidden_job.id, hidden).status_code == 201
    assert _add_material(client, cast.worker_a, cast.job.id, mine).status_code == 201
    on_hidden = _add_material(client, cast.worker_a, cast.job.id, hidden)
    on_mine = _add_material(client, cast.worker_a, cast.job.id, mine)
    assert on_hidden.status_code == on_mine.status_code == 409
    assert on_hidden.json()["error"] == on_mine.json()["error"]
    assert "Alarm install" not in on_hidden.text and str(hidden_job.id) not in on_hidden.text


def test_a_photo_id_taken_on_another_job_reveals_nothing(client, session, cast, uploads):
    hidden_job = make_job(session, cast.customer, title="Alarm install")
    photo_id = uuid.uuid4()
    assert upload(client, cast, "owner", photo_id=photo_id, job=hidden_job).status_code == 201
    client.delete(f"/api/photos/{photo_id}", headers=bearer(cast.owner))
    taken = upload(client, cast, photo_id=photo_id)
    fresh_taken = upload(client, cast, photo_id=photo_id, job=cast.job)
    assert taken.status_code == fresh_taken.status_code == 409
    assert (
        taken.json()["error"]["message"]
        == "This id is already in use; the app will choose another."
    )
    assert "deleted" not in taken.text and "Alarm install" not in taken.text
