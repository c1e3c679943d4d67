"""Text the API reads itself refuses NUL with 422, as every service input model does:
PostgreSQL cannot hold NUL in text, not even as a query parameter, and answered 500."""

from __future__ import annotations

import pytest

from tests.support.factories import PASSWORD, bearer

NUL = "a\x00b"


def _requests(cast):
    owner = bearer(cast.owner)
    return {
        "sign in": ("POST", "/api/auth/login", {"json": {"email": NUL, "password": "x"}}),
        "browser sign in": ("POST", "/api/auth/session", {"json": {"email": NUL, "password": "x"}}),
        "new user": (
            "POST",
            "/api/users",
            {
                "json": {
                    "email": "n@example.com",
                    "name": NUL,
                    "role": "worker",
                    "password": PASSWORD,
                },
                "headers": owner,
            },
        ),
        "rename": (
            "PUT",
            f"/api/users/{cast.worker_b.id}",
            {"json": {"name": NUL}, "headers": owner},
        ),
        "activity": ("GET", "/api/activity", {"params": {"entity": NUL}, "headers": owner}),
        "sync status": ("GET", "/api/sync/status", {"params": {"clientId": NUL}, "headers": owner}),
    }


@pytest.mark.parametrize(
    "name", ["sign in", "browser sign in", "new user", "rename", "activity", "sync status"]
)
def test_nul_in_text_is_422_not_500(client, cast, name):
    method, path, kwargs = _requests(cast)[name]
    response = client.request(method, path, **kwargs)
    assert response.status_code == 422, response.text
    messages = [d["message"] for d in response.json()["error"]["details"]]
    assert "must not contain NUL characters" in messages
