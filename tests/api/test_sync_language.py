"""What the server says to a crew member's phone is in that person's language: refusals,
invalid changes and rows they may not see; the office reads the same record in English."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from khs_crm.models import Material, User
from khs_crm.services.core.versioning import next_version
from tests.api.test_sync import op, push
from tests.support.factories import bearer


def _spanish(session: Session, user: User) -> User:
    user.language = "es"
    session.add(user)
    session.commit()
    return user


def test_a_refusal_reads_in_spanish_on_the_phone_and_in_english_for_the_office(
    client, session, cast
):
    worker = _spanish(session, cast.worker_a)
    material = Material(job_id=cast.job.id, name="Quartz countertop", version=next_version(session))
    session.add(material)
    session.commit()
    base = material.version
    assert client.delete(f"/api/materials/{material.id}", headers=bearer(cast.owner)).is_success
    tick = op("material", "update", material.id, {"purchased": True}, base=base)
    (result,) = push(client, worker, tick)["results"]
    assert result["status"] == "conflict"
    assert result["error"]["message"] == (
        f"La oficina quitó Quartz countertop en {cast.job.title}; "
        "tu marca de comprado no se aplicó."
    )
    office = client.get("/api/sync/conflicts", headers=bearer(cast.owner)).json()["data"]
    assert office[0]["message"] == (
        f"Quartz countertop on {cast.job.title} was deleted by the office; "
        "your tick was not applied."
    )
    mine = client.get("/api/sync/conflicts", headers=bearer(worker)).json()["data"]
    assert mine[0]["message"].endswith("tu marca de comprado no se aplicó.")
    # Pushed again, the phone gets its first answer (in its words) again.
    (again,) = push(client, worker, tick)["results"]
    assert again["status"] == "duplicate" and again["error"] == result["error"]


def test_an_invalid_change_names_each_field_in_spanish(client, session, cast):
    worker = _spanish(session, cast.worker_a)
    too_long = op(
        "material", "create", changes={"jobId": str(cast.job.id), "name": "x" * 500}, seq=1
    )
    missing = op("job", "update", uuid.uuid4(), {"status": "in_progress"}, seq=2)
    malformed = {"opId": str(uuid.uuid4()), "seq": "first"}
    results = push(client, worker, too_long, missing, malformed)["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    invalid, unknown, bad = (r["error"] for r in results)
    assert invalid["message"] == "El cambio no es válido."
    assert [d["field"] for d in invalid["details"]] == ["name"]
    assert (
        invalid["details"][0]["message"].startswith("Usa ")
        and "caracteres" in invalid["details"][0]["message"]
    )
    assert unknown["message"] == "Este trabajo no existe."
    assert bad["message"] == "Esta operación no es válida."
    assert all("should" not in d["message"] for d in bad["details"])


def test_an_english_speaker_gets_the_same_answers_in_english(client, cast):
    too_long = op(
        "material", "create", changes={"jobId": str(cast.job.id), "name": "x" * 500}, seq=1
    )
    (result,) = push(client, cast.worker_a, too_long)["results"]
    assert result["error"]["message"] == "The change is not valid."
    assert result["error"]["details"][0]["message"].startswith("Use at most ")
