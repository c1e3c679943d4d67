"""App-wide middleware: security headers, CSP hashes, body limits, gzip, request ids, 503s."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import redis
from fastapi import FastAPI, Request, WebSocket
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.middleware.cors import CORSMiddleware

from khs_crm.api import body_limits, middleware, security_headers
from khs_crm.api.envelope import install_error_handlers, ok
from khs_crm.settings import Settings, get_settings

ORIGIN = "http://localhost:3000"
MB = 1024 * 1024


def _test_app() -> FastAPI:
    """A FastAPI app wired like create_api() + Reflex's CORS, with routes that misbehave."""
    api = FastAPI()
    install_error_handlers(api)
    middleware.install(api)

    @api.post("/api/echo")
    async def echo(request: Request):
        return ok({"bytes": len(await request.body())})

    @api.post("/api/jobs/{job_id}/photos")
    async def upload(job_id: str, request: Request):
        return ok({"bytes": len(await request.body())})

    @api.post("/_upload")
    async def reflex_upload(request: Request):
        return ok({"bytes": len(await request.body())})

    @api.get("/api/big")
    def big():
        return ok({"text": "x" * 5000})

    @api.get("/api/scheme")
    def scheme(request: Request):
        return ok({"scheme": request.url.scheme})

    @api.get("/api/boom")
    def boom():
        raise RuntimeError("kaboom")

    @api.get("/api/db-down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    @api.get("/api/db-integrity")
    def db_integrity():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    @api.get("/api/redis-down")
    def redis_down():
        raise redis.ConnectionError("Connection refused")

    @api.get("/page")
    def page():
        from fastapi.responses import HTMLResponse

        return HTMLResponse("<html><body>hi</body></html>")

    @api.websocket("/_event/")
    async def event(ws: WebSocket):
        await ws.accept()
        await ws.send_text(await ws.receive_text())
        await ws.close()

    origins = get_settings().allowed_origins
    api.add_middleware(
        CORSMiddleware,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        allow_origins=origins,
    )
    return api


@pytest.fixture
def client():
    with TestClient(_test_app(), raise_server_exceptions=False) as c:
        yield c


# Security headers ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/big", "/page", "/api/nowhere"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # development


def test_api_answers_are_not_cached_but_pages_may_be(client):
    assert client.get("/api/big").headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/page").headers


def test_hsts_only_in_production():
    dev = dict(security_headers.security_headers(Settings(env="development"), "x"))
    prod = dict(security_headers.security_headers(Settings(env="production"), "x"))
    assert b"strict-transport-security" not in dev
    assert prod[b"strict-transport-security"].startswith(b"max-age=63072000")


def test_csp_hashes_every_inline_script_of_the_build_and_nothing_else(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<html><script>window.a = 1;</script><script type="module" async="">import "/x.js";'
        '</script><script src="/assets/app.js"></script></html>'
    )
    (tmp_path / "sub" / "page.html").write_text("<script>window.a = 1;</script>")
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in (b"window.a = 1;", b'import "/x.js";')
    }
    hashes = security_headers.inline_script_hashes(tmp_path)
    assert set(hashes) == expected
    policy = security_headers.content_security_policy(hashes)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src.split()[1] == "'self'"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in policy


def test_a_page_gone_while_the_build_is_read_is_skipped(tmp_path):
    """A build replacing the folder removes pages between the listing and the reading (it
    made GET /api/openapi.json answer 500 once, in the suite, beside the browser tests' build)."""
    (tmp_path / "index.html").write_text("<script>window.a = 1;</script>")
    (tmp_path / "conflicts.html").symlink_to(tmp_path / "removed.html")  # listed, not readable
    hashes = security_headers.inline_script_hashes(tmp_path)
    assert hashes == [
        "'sha256-" + base64.b64encode(hashlib.sha256(b"window.a = 1;").digest()).decode() + "'"
    ]


def test_the_s3_origin_is_allowed_for_presigned_uploads():
    settings = Settings(
        storage_backend="s3", s3_bucket="b", s3_endpoint_url="https://minio.internal:9000/x"
    )
    policy = security_headers.content_security_policy(
        [], security_headers.storage_origins(settings)
    )
    assert "img-src 'self' data: blob: https://minio.internal:9000;" in policy
    assert "connect-src 'self' https://minio.internal:9000;" in policy
    aws = security_headers.storage_origins(
        Settings(storage_backend="s3", s3_bucket="khs", s3_region="us-west-2")
    )
    assert aws == ["https://khs.s3.amazonaws.com", "https://khs.s3.us-west-2.amazonaws.com"]
    assert security_headers.storage_origins(Settings(storage_backend="local")) == []


# CORS -----------------------------------------------------------------------------------------


def test_a_listed_origin_gets_cors_headers_an_unlisted_one_no_grant(client):
    listed = client.get("/api/big", headers={"Origin": ORIGIN})
    assert listed.headers["access-control-allow-origin"] == ORIGIN
    for method, extra in (("GET", {}), ("OPTIONS", {"Access-Control-Request-Method": "POST"})):
        foreign = client.request(
            method, "/api/big", headers={"Origin": "https://evil.example", **extra}
        )
        assert "access-control-allow-origin" not in foreign.headers


# Behind a proxy ---------------------------------------------------------------------------------


def test_forwarded_proto_is_believed_only_from_trusted_proxies(monkeypatch):
    monkeypatch.setenv("KHS_TRUSTED_PROXIES", '["10.0.0.0/8"]')
    get_settings.cache_clear()
    app = _test_app()
    https = {"X-Forwarded-Proto": "https"}
    try:
        with TestClient(app, client=("10.1.2.3", 5000)) as proxied:
            assert proxied.get("/api/scheme", headers=https).json()["data"]["scheme"] == "https"
            assert proxied.get("/api/scheme").json()["data"]["scheme"] == "http"
        with TestClient(app, client=("192.0.2.7", 5000)) as direct:
            assert direct.get("/api/scheme", headers=https).json()["data"]["scheme"] == "http"
    finally:
        monkeypatch.delenv("KHS_TRUSTED_PROXIES")
        get_settings.cache_clear()


# Body limits ----------------------------------------------------------------------------------


def _chunks(size: int, chunk: int = 64 * 1024):
    sent = 0
    while sent < size:
        part = min(chunk, size - sent)
        sent += part
        yield b"x" * part


def test_a_json_body_over_1_mb_is_413_in_the_envelope(client):
    response = client.post(
        "/api/echo", content=b"[" + b"1," * (MB // 2) + b"1]", headers={"content-type": "json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(client):
    response = client.post("/api/echo", content=_chunks(MB + 10))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_body_under_the_limit_passes(client):
    assert client.post("/api/echo", content=b"x" * (MB - 1)).json()["data"] == {"bytes": MB - 1}


def test_photo_uploads_may_be_up_to_16_mb(client):
    files = {"file": ("p.jpg", b"\xff" * (5 * MB), "image/jpeg")}
    response = client.post("/api/jobs/abc/photos", files=files)
    assert response.status_code == 200 and response.json()["data"]["bytes"] > 5 * MB
    too_big = client.post("/api/jobs/abc/photos", content=_chunks(16 * MB + 1))
    assert too_big.status_code == 413
    assert body_limits.body_limit("/api/customers/import") == 16 * MB
    assert body_limits.body_limit("/api/jobs/abc/photos/extra") == MB


def _browser_session(session, role: str) -> dict[str, str]:
    from khs_crm.api.deps import SESSION_COOKIE
    from khs_crm.services.auth import service as auth
    from tests.support.factories import make_user

    raw = auth.create_session(session, user=make_user(session, role))
    session.commit()
    return {"cookie": f"{SESSION_COOKIE}={raw}"}


def test_the_offices_uploads_may_carry_ten_photos_at_their_largest(client, session):
    """Reflex's /_upload: 10 photos of 15 MB and the form around them; more is 413."""
    owner = _browser_session(session, "owner")
    assert body_limits.body_limit("/_upload") == 10 * 15 * MB + MB
    response = client.post("/_upload", content=b"x" * (20 * MB), headers=owner)
    assert response.status_code == 200 and response.json()["data"]["bytes"] == 20 * MB
    too_big = client.post("/_upload", content=_chunks(151 * MB + 1, chunk=MB), headers=owner)
    assert too_big.status_code == 413
    assert too_big.json()["error"]["message"] == "The request body is larger than 151 MB."


def test_an_upload_no_office_session_sent_is_refused_before_its_body_is_read(client, session):
    worker = _browser_session(session, "worker")
    read = []

    def body():
        for _ in range(150):
            read.append(1)
            yield b"x" * MB

    for headers in ({}, {"cookie": "khs_session=made-up"}, worker):
        read.clear()
        response = client.post("/_upload", content=body(), headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHORIZED"
        assert len(read) <= 1  # the client's first chunk at most: the server read nothing


# Gzip -----------------------------------------------------------------------------------------


def test_api_responses_over_1_kb_are_gzipped_small_ones_are_not(client):
    big = client.get("/api/big", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert big.json()["data"]["text"] == "x" * 5000  # httpx decodes it
    assert int(big.headers["content-length"]) < 1000
    small = client.get("/api/nowhere", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


# Request ids and errors -------------------------------------------------------------------------


def test_a_sane_request_id_is_echoed_an_odd_one_is_replaced(client):
    assert client.get("/api/big", headers={"X-Request-ID": "edge-42.a"}).headers[
        "x-request-id"
    ] == ("edge-42.a")
    for odd in ("x" * 200, "has space", "semi;colon"):
        replaced = client.get("/api/big", headers={"X-Request-ID": odd}).headers["x-request-id"]
        assert replaced != odd and len(replaced) == 32


def test_a_500_carries_the_same_request_id_in_header_and_body(client):
    response = client.get("/api/boom", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "trace-500"
    body = response.json()["error"]
    assert body["code"] == "INTERNAL_ERROR"
    assert body["details"] == [{"field": "requestId", "message": "trace-500"}]
    assert "content-security-policy" in response.headers

    generated = client.get("/api/boom")
    assert generated.json()["error"]["details"][0]["message"] == generated.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/api/db-down", "/api/redis-down"])
def test_an_unreachable_database_or_redis_is_503_not_500(client, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["retry-after"] == "2"


def test_other_database_errors_stay_500(client):
    response = client.get("/api/db-integrity")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"


def test_websockets_pass_through_every_layer(client):
    with client.websocket_connect("/_event/", headers={"Origin": ORIGIN}) as ws:
        ws.send_text(json.dumps({"ping": 1}))
        assert json.loads(ws.receive_text()) == {"ping": 1}
