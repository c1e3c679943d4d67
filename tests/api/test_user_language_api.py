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
