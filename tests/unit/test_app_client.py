"""The tests' in-process client (tests/support/app_client.py) gives the app what
Starlette's TestClient gives it, in the test's own thread."""

from __future__ import annotations

import contextlib
import threading

import pytest
from fastapi import FastAPI, Request

from tests.support.app_client import AppClient


def _app(events: list[str]) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        events.append("started")
        yield
        events.append("stopped")

    app = FastAPI(lifespan=lifespan)

    @app.post("/echo")
    async def echo(request: Request) -> dict:
        return {
            "client": request.client.host if request.client else None,
            "host": request.headers["host"],
            "agent": request.headers["user-agent"],
            "body": (await request.body()).decode(),
        }

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    return app


def test_the_app_sees_a_test_client_and_its_lifespan_runs_around_the_block():
    events: list[str] = []
    with AppClient(_app(events)) as client:
        assert events == ["started"]
        answer = client.post("/echo", content=b"hello").json()
        assert answer["client"] == "testclient"
        assert answer["host"] == "testserver"
        assert answer["agent"] == "testclient"
        assert answer["body"] == "hello"
    assert events == ["started", "stopped"]


def test_an_error_the_app_lets_out_is_raised_or_answered_500():
    with AppClient(_app([])) as client, pytest.raises(RuntimeError, match="boom"):
        client.get("/boom")
    with AppClient(_app([]), raise_server_exceptions=False) as client:
        assert client.get("/boom").status_code == 500


def test_requests_from_two_threads_at_once_each_get_their_answer():
    barrier = threading.Barrier(2)
    bodies: list[str] = []
    with AppClient(_app([])) as client:

        def send(word: str) -> None:
            barrier.wait(timeout=10)
            bodies.append(client.post("/echo", content=word.encode()).json()["body"])

        threads = [threading.Thread(target=send, args=(w,)) for w in ("one", "two")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(bodies) == ["one", "two"]
