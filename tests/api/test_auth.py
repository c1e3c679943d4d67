"""Sign-in for browsers (cookie sessions) and API clients (JWT + rotating refresh tokens)."""

from __future__ import annotations

import base64
import json
import threading
import time

import jwt
import pytest

from khs_crm.api import create_api
from khs_crm.models import Role
from khs_crm.security import signing_keys
from khs_crm.services.auth import users as user_service
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.databases import reset_caches
from tests.support.factories import PASSWORD, make_user

ORIGIN = "https://testserver"
CSRF = {"X-KHS-CSRF": "1", "Origin": ORIGIN}


@pytest.fixture
def https_client(engine):
    with AppClient(api_app(), base_url=ORIGIN, raise_server_exceptions=False) as c:
        yield c


def _login(client, user, password=PASSWORD):
    return client.post("/api/auth/login", json={"email": user.email, "password": password})


def _set_limit(monkeypatch, name: str, value: int) -> None:
    monkeypatch.setenv(name, str(value))
    reset_caches()


# Browser sessions -------------------------------------------------------------------------


def test_session_cookie_is_httponly_secure_strict_and_body_has_only_the_user(https_client, session):
    user = make_user(session, Role.admin)
    response = https_client.post(
        "/api/auth/session", json={"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "user": {
            "id": str(user.id),
            "email": user.email,
            "name": user.name,
            "role": "admin",
            "active": True,
            "language": "en",
        }
    }
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-khs_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert flag.lower() in cookie.lower()
    assert "domain" not in cookie.lower()
    me = https_client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["data"]["email"] == user.email


def test_plain_http_uses_the_unprefixed_cookie(engine, session):
    user = make_user(session)
    with AppClient(create_api()) as client:
        response = client.post(
            "/api/auth/session", json={"email": user.email, "password": PASSWORD}
        )
    assert response.headers["set-cookie"].startswith("khs_session=")


@pytest.mark.redis
def test_sessions_live_in_redis_when_configured(engine, session, redis_url):
    import redis

    user = make_user(session)
    with AppClient(create_api(), base_url=ORIGIN) as client:
        client.post("/api/auth/session", json={"email": user.email, "password": PASSWORD})
        keys = redis.Redis.from_url(redis_url).keys("khs:sess:*")
        assert len(keys) == 1
        assert client.get("/api/auth/me").status_code == 200
        assert client.delete("/api/auth/session", headers=CSRF).status_code == 200
        assert redis.Redis.from_url(redis_url).keys("khs:sess:*") == []
        assert client.get("/api/auth/me").status_code == 401


def test_wrong_password_is_401_in_the_envelope(https_client, session):
    user = make_user(session)
    response = https_client.post(
        "/api/auth/session", json={"email": user.email, "password": "wrong-password!"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert "set-cookie" not in response.headers


def test_cookie_writes_need_csrf_header_and_same_origin(https_client, session):
    user = make_user(session)
    https_client.post("/api/auth/session", json={"email": user.email, "password": PASSWORD})
    assert https_client.delete("/api/auth/session").status_code == 403
    assert https_client.delete("/api/auth/session", headers={"X-KHS-CSRF": "1"}).status_code == 403
    foreign = {"X-KHS-CSRF": "1", "Origin": "https://evil.example"}
    assert https_client.delete("/api/auth/session", headers=foreign).status_code == 403
    assert https_client.get("/api/auth/me").status_code == 200
    signed_out = https_client.delete("/api/auth/session", headers=CSRF)
    assert signed_out.status_code == 200
    assert https_client.get("/api/auth/me").status_code == 401


def test_form_sign_in_redirects_back_and_refuses_open_redirects(https_client, session):
    user = make_user(session)
    form = {"email": user.email, "password": PASSWORD, "next": "/customers?page=2"}
    response = https_client.post(
        "/api/auth/session/form", data=form, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/customers?page=2"
    evil = {**form, "next": "//evil.example/x"}
    response = https_client.post(
        "/api/auth/session/form", data=evil, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert response.headers["location"] == "/"


def test_form_sign_in_with_bad_password_goes_back_to_login(https_client, session):
    user = make_user(session)
    form = {"email": user.email, "password": "nope-nope-nope", "next": "/jobs"}
    response = https_client.post(
        "/api/auth/session/form", data=form, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert response.headers["location"] == "/login?next=%2Fjobs&error=invalid"
    no_origin = https_client.post("/api/auth/session/form", data=form, follow_redirects=False)
    assert "error=origin" in no_origin.headers["location"]


def test_deactivation_ends_sessions_and_tokens_at_once(https_client, session):
    owner = make_user(session, Role.owner)
    user = make_user(session)
    https_client.post("/api/auth/session", json={"email": user.email, "password": PASSWORD})
    tokens = _login(https_client, user).json()["data"]
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert https_client.get("/api/auth/me", headers=bearer).status_code == 200
    user_service.deactivate_user(session, user_id=user.id, actor=owner)
    assert https_client.get("/api/auth/me").status_code == 401
    assert https_client.get("/api/auth/me", headers=bearer).status_code == 401
    refreshed = https_client.post(
        "/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert refreshed.status_code == 401
    assert _login(https_client, user).status_code == 401


# API tokens ---------------------------------------------------------------------------------


def test_login_returns_rs256_access_token_with_the_claims(https_client, session):
    user = make_user(session, Role.worker)
    body = _login(https_client, user).json()["data"]
    assert set(body) == {"accessToken", "refreshToken", "expiresIn", "user"}
    assert body["expiresIn"] == 900
    header = jwt.get_unverified_header(body["accessToken"])
    assert header["alg"] == "RS256"
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == str(user.id)
    assert claims["role"] == "worker" and claims["type"] == "access"
    assert claims["iss"] == "khs-crm" and claims["aud"] == "khs-crm-api"
    assert claims["exp"] - claims["iat"] == 900
    me = https_client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['accessToken']}"}
    )
    assert me.json()["data"] == {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": "worker",
        "active": True,
        "language": "en",
        "shareLocation": None,  # the phone has not asked yet (docs/time.md)
    }


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _attacks(user, good: str, refresh: str) -> dict[str, str]:
    claims = jwt.decode(good, options={"verify_signature": False})
    private, public = signing_keys()
    head, payload, sig = good.split(".")
    tampered = dict(claims, role="owner")
    expired = dict(claims, iat=int(time.time()) - 3600, exp=int(time.time()) - 60)
    as_refresh = dict(claims, type="refresh")
    return {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "hs256 with public key": _hs256(claims, public),
        "tampered payload": f"{head}.{_b64(tampered)}.{sig}",
        "expired": jwt.encode(expired, private, algorithm="RS256"),
        "wrong type": jwt.encode(as_refresh, private, algorithm="RS256"),
        "wrong audience": jwt.encode(dict(claims, aud="other"), private, algorithm="RS256"),
        "refresh token as access": refresh,
        "garbage": "not.a.jwt",
    }


def _hs256(claims: dict, key: bytes) -> str:
    import hashlib
    import hmac

    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def test_token_attacks_all_get_401_in_the_envelope(https_client, session):
    user = make_user(session)
    body = _login(https_client, user).json()["data"]
    for name, token in _attacks(user, body["accessToken"], body["refreshToken"]).items():
        response = https_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "UNAUTHORIZED", name


def _refresh(client, token):
    return client.post("/api/auth/refresh", json={"refreshToken": token})


def _rotation_and_reuse(client, user):
    first = _login(client, user).json()["data"]
    second = _refresh(client, first["refreshToken"])
    assert second.status_code == 200
    second = second.json()["data"]
    assert second["refreshToken"] != first["refreshToken"]
    third = _refresh(client, second["refreshToken"]).json()["data"]
    # Reusing an already used token revokes the whole family, newest token included.
    reuse = _refresh(client, first["refreshToken"])
    assert reuse.status_code == 401
    assert _refresh(client, third["refreshToken"]).status_code == 401


def test_refresh_rotation_and_reuse_detection_database(https_client, session):
    _rotation_and_reuse(https_client, make_user(session))


@pytest.mark.redis
def test_refresh_rotation_and_reuse_detection_redis(engine, session, redis_url):
    user = make_user(session)
    with AppClient(create_api(), base_url=ORIGIN) as client:
        _rotation_and_reuse(client, user)


def _race(client, user) -> list[int]:
    token = _login(client, user).json()["data"]["refreshToken"]
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def go():
        barrier.wait()
        codes.append(_refresh(client, token).status_code)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@pytest.mark.real_commits  # two requests at once, on two threads
def test_simultaneous_refreshes_exactly_one_wins_database(https_client, session):
    user = make_user(session)
    for _ in range(5):
        assert _race(https_client, user) == [200, 401]


@pytest.mark.real_commits  # two requests at once, on two threads
@pytest.mark.redis
def test_simultaneous_refreshes_exactly_one_wins_redis(engine, session, redis_url):
    user = make_user(session)
    with AppClient(create_api(), base_url=ORIGIN) as client:
        for _ in range(5):
            assert _race(client, user) == [200, 401]


def test_logout_revokes_the_family(https_client, session):
    user = make_user(session)
    body = _login(https_client, user).json()["data"]
    assert (
        https_client.post(
            "/api/auth/logout", json={"refreshToken": body["refreshToken"]}
        ).status_code
        == 200
    )
    assert _refresh(https_client, body["refreshToken"]).status_code == 401


# Passwords and limits -----------------------------------------------------------------------


def test_long_unicode_password_works_and_oversized_is_422(https_client, session):
    long_password = "Ünïcödé-пароль-密码-" * 5
    assert len(long_password) >= 64
    user = make_user(session, password=long_password)
    assert _login(https_client, user, long_password).status_code == 200
    assert _login(https_client, user, long_password[:-1]).status_code == 401
    huge = https_client.post("/api/auth/login", json={"email": user.email, "password": "x" * 5000})
    assert huge.status_code == 422


def _lockout(client, monkeypatch, user):
    _set_limit(monkeypatch, "KHS_LOGIN_ATTEMPTS_PER_MINUTE", 5)
    for _ in range(5):
        assert _login(client, user, "wrong-password-1").status_code == 401
    blocked = _login(client, user)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "RATE_LIMITED"
    assert 0 < int(blocked.headers["retry-after"]) <= 60
    session_blocked = client.post(
        "/api/auth/session", json={"email": user.email, "password": PASSWORD}
    )
    assert session_blocked.status_code == 429


def test_five_failures_lock_the_account_for_a_minute(https_client, session, monkeypatch):
    _lockout(https_client, monkeypatch, make_user(session))


@pytest.mark.redis
def test_lockout_is_shared_through_redis(engine, session, redis_url, monkeypatch):
    user = make_user(session)
    with AppClient(create_api(), base_url=ORIGIN) as client:
        _lockout(client, monkeypatch, user)
    from khs_crm.integrations.limits import clear_all_local, peek

    clear_all_local()  # a second process would see the same Redis counter
    assert peek(f"login:acct:{user.email}")[0] == 5


def test_per_ip_ceiling_on_failed_attempts(https_client, session, monkeypatch):
    _set_limit(monkeypatch, "KHS_LOGIN_IP_ATTEMPTS_PER_MINUTE", 3)
    users = [make_user(session) for _ in range(4)]
    for user in users[:3]:
        assert _login(https_client, user, "wrong-password-1").status_code == 401
    assert _login(https_client, users[3]).status_code == 429


def test_api_calls_are_limited_per_user(https_client, session, monkeypatch):
    user = make_user(session)
    token = _login(https_client, user).json()["data"]["accessToken"]
    _set_limit(monkeypatch, "KHS_API_CALLS_PER_MINUTE", 3)
    headers = {"Authorization": f"Bearer {token}"}
    codes = [https_client.get("/api/auth/me", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_forwarded_for_is_only_trusted_from_configured_proxies(monkeypatch):
    from starlette.requests import Request

    from khs_crm.api.deps import client_ip

    def request(peer: str) -> Request:
        headers = [(b"x-forwarded-for", b"203.0.113.9")]
        return Request({"type": "http", "headers": headers, "client": (peer, 1234)})

    assert client_ip(request("10.0.0.5")) == "10.0.0.5"
    _set_limit(monkeypatch, "KHS_TRUSTED_PROXIES", '["10.0.0.0/8"]')
    assert client_ip(request("10.0.0.5")) == "203.0.113.9"
    assert client_ip(request("192.0.2.1")) == "192.0.2.1"


def test_form_sign_in_takes_next_from_the_login_page_url_when_the_field_is_empty(
    https_client, session
):
    user = make_user(session)
    form = {"email": user.email, "password": PASSWORD, "next": "/"}
    headers = {"Origin": ORIGIN, "Referer": f"{ORIGIN}/login?next=%2Fjobs%2Flist"}
    response = https_client.post(
        "/api/auth/session/form", data=form, headers=headers, follow_redirects=False
    )
    assert response.headers["location"] == "/jobs/list"
    foreign = {"Origin": ORIGIN, "Referer": "https://evil.example/login?next=%2Fjobs"}
    response = https_client.post(
        "/api/auth/session/form", data=form, headers=foreign, follow_redirects=False
    )
    assert response.headers["location"] == "/"
