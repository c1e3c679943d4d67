"""The production backend rides out PostgreSQL and Redis outages without a restart.

Each test runs the real ``reflex run --env prod --backend-only`` process against its own
PostgreSQL and Redis on temporary ports, then stops and starts them under it.

What happens while a dependency is down (also in README, "Production deployment"):

| while down | PostgreSQL | Redis |
| --- | --- | --- |
| REST reads/writes | 503 SERVICE_UNAVAILABLE | keep working with a Bearer token |
| sign-in, refresh, sign-out | 503 | 503 (sessions and refresh tokens live in Redis: fail closed) |
| cookie-authenticated calls | 503 | 503 (the session cannot be checked: fail closed) |
| login rate limit | (sign-in is 503 anyway) | per-process counter (still limits) |
| /api/health | 503, database "down" | 503, redis "down" |

When the dependency is back, the same process answers normally again.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from khs_crm.db import make_engine
from khs_crm.models import Role
from tests.security.prod_stack import (
    Postgres,
    Process,
    Redis,
    app_copy,
    app_env,
    free_port,
    postgres_available,
    redis_available,
    start_backend,
    wait_until,
)
from tests.support.databases import migrate
from tests.support.factories import PASSWORD, make_customer, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not postgres_available(), reason="PostgreSQL binaries (initdb) missing"),
    pytest.mark.skipif(not redis_available(), reason="redis-server missing"),
]


@pytest.fixture(scope="module")
def private_pg() -> Iterator[Postgres]:
    folder = Path(tempfile.mkdtemp(prefix="khs-pg-"))
    pg = Postgres(folder).init()
    pg.start()
    try:
        migrate(pg.url)
        engine = make_engine(pg.url)
        with Session(engine) as session:
            make_user(session, Role.owner, email="owner@resilience.test")
            for n in range(30):
                make_customer(session, name=f"Customer {n:02d}")
        engine.dispose()
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_redis() -> Iterator[Redis]:
    folder = Path(tempfile.mkdtemp(prefix="khs-redis-"))
    redis = Redis(folder)
    redis.start()
    yield redis
    redis.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _backend(tmp_path: Path, **env: str) -> Process:
    workdir = app_copy(tmp_path / "app")
    settings = app_env(
        tmp_path / "data",
        KHS_API_CALLS_PER_MINUTE="1000000",
        KHS_LOGIN_IP_ATTEMPTS_PER_MINUTE="1000",
        **env,
    )
    return start_backend(workdir, settings, free_port())


def _login(client: httpx.Client) -> dict:
    response = client.post(
        "/api/auth/login", json={"email": "owner@resilience.test", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _hammer(url: str, token: str, stop: threading.Event, results: list) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=10) as client:
        deadline = time.monotonic() + 60  # bounded even if the test fails to stop it
        while not stop.is_set() and time.monotonic() < deadline:
            at = time.monotonic()
            try:
                response = client.get("/api/customers", headers=headers)
            except httpx.HTTPError as exc:
                results.append((at, "transport", type(exc).__name__, None, time.monotonic()))
                continue
            answered = time.monotonic()
            code = response.json().get("error", {}).get("code") if response.content else None
            retry = response.headers.get("retry-after")
            results.append((at, response.status_code, code, retry, answered))


def test_postgres_restart_under_load_is_a_brief_503_then_recovery(private_pg, tmp_path):
    app = _backend(tmp_path, KHS_DATABASE_URL=private_pg.url, GRANIAN_WORKERS="2")
    try:
        with httpx.Client(base_url=app.url, timeout=10) as client:
            token = _login(client)["accessToken"]
            stop, results = threading.Event(), []
            workers = [
                threading.Thread(target=_hammer, args=(app.url, token, stop, results))
                for _ in range(4)
            ]
            for worker in workers:
                worker.start()
            time.sleep(1.5)
            down_at = time.monotonic()
            private_pg.stop()
            time.sleep(1.5)
            health = client.get("/api/health")
            private_pg.start()
            up_at = time.monotonic()
            wait_until(
                lambda: any(r[0] > up_at and r[1] == 200 for r in list(results)),
                15,
                "a 200 after PostgreSQL came back",
            )
            time.sleep(2)
            stop.set()
            for worker in workers:
                worker.join(timeout=15)
        assert app.alive, "the app process died"
    finally:
        app.stop()

    assert health.status_code == 503 and health.json()["data"]["database"] == "down"
    statuses = {r[1] for r in results}
    assert statuses <= {200, 503}, f"unexpected answers: {statuses - {200, 503}}"
    failed = [r for r in results if r[1] == 503]
    assert failed, "no request saw the outage"
    assert all(r[2] == "SERVICE_UNAVAILABLE" and r[3] == "2" for r in failed)
    # each 503 was asked before the database was back (+10 s) and answered after it went down
    # (a request already in flight when it stopped may have been asked well before, on a
    # loaded machine)
    assert all(r[0] <= up_at + 10 and r[4] >= down_at for r in failed), "503s outside the outage"
    first_ok = min(r[0] for r in results if r[1] == 200 and r[0] > up_at)
    assert first_ok - up_at < 10
    last = sorted(results)[-20:]
    assert all(r[1] == 200 for r in last), "not recovered by the end"


def test_redis_outage_fails_tokens_closed_keeps_reads_and_recovers(
    private_pg, private_redis, tmp_path
):
    app = _backend(
        tmp_path,
        KHS_DATABASE_URL=private_pg.url,
        KHS_REDIS_URL=private_redis.url,
        KHS_LOGIN_ATTEMPTS_PER_MINUTE="3",
        GRANIAN_WORKERS="1",  # one process: the fallback login counter is exact
    )
    owner = {"email": "owner@resilience.test", "password": PASSWORD}
    origin = {"Origin": app.url}
    try:
        with httpx.Client(base_url=app.url, timeout=10) as client:
            tokens = _login(client)
            bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
            cookie = client.post("/api/auth/session", json=owner).cookies["khs_session"]
            client.cookies.clear()  # sent only where a test says so
            session = {"Cookie": f"khs_session={cookie}"}
            assert client.get("/api/auth/me", headers=session).status_code == 200

            private_redis.stop()
            down = {
                "read": client.get("/api/customers", headers=bearer),
                "refresh": client.post(
                    "/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
                ),
                "login": client.post("/api/auth/login", json=owner),
                "cookie": client.get("/api/auth/me", headers=session),
                "health": client.get("/api/health"),
            }
            wrong = {**owner, "password": "not-the-password"}
            attempts = [
                client.post("/api/auth/login", json=wrong, headers=origin).status_code
                for _ in range(4)
            ]

            private_redis.start()
            wait_until(lambda: client.get("/api/health").status_code == 200, 20, "health ok")
            back = {
                "refresh": client.post(
                    "/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
                ),
                "cookie": client.get("/api/auth/me", headers=session),
                "read": client.get("/api/customers", headers=bearer),
            }
        assert app.alive, "the app process died"
    finally:
        app.stop()

    assert down["read"].status_code == 200 and down["read"].json()["data"]
    for name in ("refresh", "login", "cookie"):
        assert down[name].status_code == 503, name
        assert down[name].json()["error"]["code"] == "SERVICE_UNAVAILABLE", name
    assert down["health"].status_code == 503
    assert down["health"].json()["data"]["redis"] == "down"
    assert down["health"].json()["data"]["database"] == "ok"
    assert attempts == [401, 401, 401, 429], "the in-process login limit must still hold"
    assert back["refresh"].status_code == 200, back["refresh"].text  # AOF kept the token
    assert back["cookie"].status_code == 200
    assert back["read"].status_code == 200
