"""A person's language over the API: /api/auth/me says it, PUT /api/users/{id} sets it
(anyone their own, the office under least privilege)."""

from __future__ import annotations

from typing import get_args

from khs_crm.api.schemas import Language
from khs_crm.i18n import LANGUAGES
from tests.support.factories import bearer


def test_the_api_offers_the_apps_languages():
    assert get_args(Language) == LANGUAGES


def test_me_says_the_language(client, cast):
    me = client.get("/api/auth/me", headers=bearer(cast.worker_a))
    assert me.status_code == 200 and me.json()["data"]["language"] == "en"


def test_a_worker_sets_their_own_language_and_nothing_else(client, cast):
    mine = f"/api/users/{cast.worker_a.id}"
    headers = bearer(cast.worker_a)
    changed = client.put(mine, json={"language": "es"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["language"] == "es"
    assert client.get("/api/auth/me", headers=headers).json()["data"]["language"] == "es"
    for body, url in (
        ({"language": "es", "name": "New name"}, mine),
        ({"name": "New name"}, mine),
        ({"language": "es"}, f"/api/users/{cast.worker_b.id}"),
    ):
        refused = client.put(url, json=body, headers=headers)
        assert refused.status_code == 404, (body, url, refused.text)  # as any office route


def test_the_office_sets_a_workers_language(client, cast):
    response = client.put(
        f"/api/users/{cast.worker_a.id}", json={"language": "es"}, headers=bearer(cast.admin)
    )
    assert response.status_code == 200 and response.json()["data"]["language"] == "es"
    stale = client.put(
        f"/api/users/{cast.worker_a.id}",
        json={"language": "en"},
        headers=bearer(cast.admin) | {"If-Match": f'"{cast.worker_a.version}"'},
    )
    assert stale.status_code == 412


def test_an_unknown_language_is_422(client, cast):
    response = client.put(
        f"/api/users/{cast.worker_a.id}", json={"language": "fr"}, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_a_phone_sends_its_users_language_as_a_sync_operation(client, cast):
    """Set offline in the field app's settings, the language travels like any other change."""
    from tests.api.test_sync import op, push

    mine = op("user", "update", cast.worker_a.id, {"language": "es"}, seq=1)
    theirs = op("user", "update", cast.worker_b.id, {"language": "es"}, seq=2)
    more = op("user", "update", cast.worker_a.id, {"language": "es", "name": "X"}, seq=3)
    odd = op("user", "update", cast.worker_a.id, {"language": "fr"}, seq=4)
    results = push(client, cast.worker_a, mine, theirs, more, odd)["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "rejected"]
    assert [r["error"]["code"] for r in results[1:]] == [
        "NOT_FOUND",
        "VALIDATION_ERROR",
        "VALIDATION_ERROR",
    ]
    assert all(r["serverRow"] is None for r in results)
    me = client.get("/api/auth/me", headers=bearer(cast.worker_a)).json()["data"]
    assert me["language"] == "es"
    assert push(client, cast.worker_a, mine)["results"][0]["status"] == "duplicate"
    other = client.get("/api/auth/me", headers=bearer(cast.worker_b)).json()["data"]
    assert other["language"] == "en"
