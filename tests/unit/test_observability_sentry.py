"""Sentry, proved: a local HTTP endpoint stands in for Sentry (its DSN points there), the
real API raises on a request full of secrets and a customer's details, and the envelope that
arrives holds the error but no token, cookie, password or customer field. The field app's
reported errors reach the same endpoint through the server, anonymised."""

from __future__ import annotations

import gzip
import re
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from tests.support import databases
from tests.support.api_app import api_app
from tests.support.databases import sqlite_only
from tests.support.factories import PASSWORD, bearer

sentry_sdk = pytest.importorskip("sentry_sdk")

CUSTOMER = {"name": "Zebediah Quuxworth", "phone": "(512) 555-0147", "notes": "Gate code 8841"}
COOKIE_VALUE = "cookie-value-7f3a9c2e"


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self) -> None:  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        encoding = self.headers.get("content-encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def sentry_endpoint(monkeypatch) -> Iterator[list[bytes]]:
    received: list[bytes] = []
    handler = type("Handler", (_Sentry,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("KHS_SENTRY_DSN", f"http://publickey@127.0.0.1:{server.server_port}/42")
    databases.reset_caches()
    yield received
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again for the tests after this one
    server.shutdown()
    databases.reset_caches()


def _wait_for(received: list[bytes], needle: bytes) -> bytes:
    sentry_sdk.flush(5)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [body for body in received if needle in body]
        if found:
            return b"\n".join(found)
        time.sleep(0.05)
    raise AssertionError(f"no envelope with {needle!r} arrived: {received!r}")


@sqlite_only
def test_a_server_error_reaches_sentry_without_secrets_or_customer_data(
    sentry_endpoint, engine, cast, monkeypatch
):
    def broken(session, *, data, actor):
        password = PASSWORD  # a secret in a local variable of the failing frame
        raise RuntimeError(f"induced failure for {data.name} ({len(password)})")

    monkeypatch.setattr("khs_crm.services.customers.service.create_customer", broken)
    headers = bearer(cast.owner) | {"Cookie": f"khs_session={COOKIE_VALUE}; other={COOKIE_VALUE}"}
    token = headers["Authorization"].removeprefix("Bearer ")
    with TestClient(api_app(), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/customers?email=pat@example.com", json=CUSTOMER, headers=headers
        )
    assert response.status_code == 500

    envelope = _wait_for(sentry_endpoint, b"RuntimeError")
    assert response.headers["x-request-id"].encode() in envelope  # finds the full log line
    leaks = [token, COOKIE_VALUE, PASSWORD, cast.owner.email, "pat@example.com", *CUSTOMER.values()]
    assert [s for s in leaks if s.encode() in envelope] == []
    # Pieces of the phone and the notes, however written; inside an id, a hash or a time (hex
    # digits on both sides: "…a5558f…") they are chance, not a leak.
    for piece in (b"555", b"0147", b"8841"):
        assert not re.search(rb"(?<![0-9a-f])" + piece + rb"(?![0-9a-f])", envelope), piece
    assert b"5550147" not in envelope


@sqlite_only
def test_the_field_apps_errors_reach_sentry_through_the_server_anonymised(
    sentry_endpoint, engine, cast
):
    report = {
        "kind": "error",
        "message": "TypeError: x is undefined (call pat@example.com at (512) 555-0147)",
        "page": "/field/jobs/0b7e5c9a-aaaa-4bbb-8ccc-123456789abc",
        "source": "/khs_app.js",
        "line": 10,
        "column": 4,
        "stack": "TypeError: x is undefined\n    at render (/khs_app.js:10:4)",
    }
    with TestClient(api_app(), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/telemetry/errors", json={"errors": [report]}, headers=bearer(cast.worker_a)
        )
    assert response.status_code == 202

    envelope = _wait_for(sentry_endpoint, b"x is undefined")
    assert b"field-app" in envelope and b"/field/jobs/:id" in envelope
    for personal in (
        b"pat@example.com",
        b"555-0147",
        b"0b7e5c9a-aaaa",
        cast.worker_a.email.encode(),
    ):
        assert personal not in envelope
