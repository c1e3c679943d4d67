"""Signing out ends the access token too: a revoked refresh family's access tokens are refused
at once, in the database store and in Redis, not 15 minutes later."""

from __future__ import annotations

import time

import jwt
import pytest

from khs_crm.api import create_api
from khs_crm.security import signing_keys
from khs_crm.settings import get_settings
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.factories import PASSWORD, make_user

ORIGIN = "https://testserver"


@pytest.fixture
def https_client(engine):
    with AppClient(api_app(), base_url=ORIGIN, raise_server_exceptions=False) as c:
        yield c


def _login(client, user) -> dict:
    response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _me(client, tokens: dict) -> int:
    headers = {"Authorization": f"Bearer {tokens['accessToken']}"}
    return client.get("/api/auth/me", headers=headers).status_code


def _refresh(client, tokens: dict):
    return client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})


def _logout_ends_the_access_token(client, user) -> None:
    phone, laptop = _login(client, user), _login(client, user)
    assert _me(client, phone) == 200
    logout = client.post("/api/auth/logout", json={"refreshToken": phone["refreshToken"]})
    assert logout.status_code == 200
    assert _me(client, phone) == 401
    assert _me(client, laptop) == 200  # another sign-in of the same person stays


def _reuse_ends_the_access_tokens(client, user) -> None:
    first = _login(client, user)
    second = _refresh(client, first).json()["data"]
    assert _me(client, second) == 200
    assert _refresh(client, first).status_code == 401  # a stolen, already used token
    assert _me(client, first) == 401
    assert _me(client, second) == 401


def test_logout_ends_the_access_token_database(https_client, session):
    _logout_ends_the_access_token(https_client, make_user(session))


def test_refresh_reuse_ends_the_familys_access_tokens_database(https_client, session):
    _reuse_ends_the_access_tokens(https_client, make_user(session))


@pytest.mark.redis
def test_logout_and_reuse_end_the_access_tokens_redis(engine, session, redis_url):
    import redis

    user = make_user(session)
    with AppClient(create_api(), base_url=ORIGIN) as client:
        _logout_ends_the_access_token(client, user)
        _reuse_ends_the_access_tokens(client, user)
    marks = redis.Redis.from_url(redis_url).keys("khs:rtrev:*")
    assert len(marks) == 2  # revoked in Redis, not in the database
    settings = get_settings()
    for mark in marks:
        ttl = redis.Redis.from_url(redis_url).ttl(mark)
        assert ttl > settings.refresh_token_days * 86400 >= settings.access_token_minutes * 60


def test_an_access_token_without_a_family_is_refused(https_client, session):
    user = make_user(session)
    claims = jwt.decode(
        _login(https_client, user)["accessToken"], options={"verify_signature": False}
    )
    private, _ = signing_keys()
    now = int(time.time())
    for changed in ({"fam": None}, {"fam": "not-a-uuid"}):
        forged = {k: v for k, v in (claims | changed | {"iat": now}).items() if v is not None}
        token = jwt.encode(forged, private, algorithm="RS256")
        response = https_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, changed
        assert response.json()["error"]["code"] == "UNAUTHORIZED"
