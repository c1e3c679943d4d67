"""The app shell's sign-out form: a cross-site post neither ends the session nor clears the
cookie (logout CSRF); the app's own same-origin post does both."""

from __future__ import annotations

import pytest

from khs_crm.api.deps import SECURE_SESSION_COOKIE
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.databases import sqlite_only
from tests.support.factories import PASSWORD, make_user

ORIGIN = "https://testserver"


@pytest.fixture
def tab(engine, session):
    user = make_user(session)
    with AppClient(api_app(), base_url=ORIGIN, raise_server_exceptions=False) as client:
        signed_in = client.post(
            "/api/auth/session", json={"email": user.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200
        yield client


def _sign_out(client, headers: dict[str, str]):
    return client.post("/api/auth/signout", headers=headers, follow_redirects=False)


@sqlite_only
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-KHS-CSRF": "1"},
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "X-KHS-CSRF": "1"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_sign_out_is_refused_and_clears_nothing(tab, headers):
    refused = _sign_out(tab, headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "FORBIDDEN"
    assert "set-cookie" not in refused.headers
    assert tab.get("/api/auth/me").status_code == 200


@pytest.mark.parametrize("headers", [{"Origin": ORIGIN}, {"Origin": ORIGIN, "X-KHS-CSRF": "1"}])
def test_the_apps_own_sign_out_ends_the_session(tab, headers):
    raw = tab.cookies[SECURE_SESSION_COOKIE]
    signed_out = _sign_out(tab, headers)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"
    assert f'{SECURE_SESSION_COOKIE}=""' in signed_out.headers["set-cookie"]
    assert tab.get("/api/auth/me").status_code == 401
    tab.cookies.set(SECURE_SESSION_COOKIE, raw)  # the old cookie, kept by someone
    assert tab.get("/api/auth/me").status_code == 401
