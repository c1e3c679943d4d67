"""Structured JSON logs: one line per request, security events, and never a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest

from khs_crm.models import Role
from khs_crm.observability import (
    REDACTED,
    JsonFormatter,
    accept_request_id,
    init_sentry,
    request_id_var,
    scrub,
)
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.factories import PASSWORD, bearer, make_user

ORIGIN = "https://testserver"


@pytest.fixture
def captured() -> Iterator[Callable[[], list[dict]]]:
    """Every record under the ``khs_crm`` logger, formatted exactly as production does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("khs_crm")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.fixture
def client(engine) -> Iterator[AppClient]:
    with AppClient(api_app(), base_url=ORIGIN, raise_server_exceptions=False) as c:
        yield c


def test_formatter_writes_one_json_object_with_request_id_and_extras():
    record = logging.LogRecord(
        "khs_crm.x", logging.WARNING, __file__, 1, "hello %s", ("you",), None
    )
    record.user = "u-1"
    token = request_id_var.set("rid-1")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello you"
    assert line["level"] == "warning"
    assert line["logger"] == "khs_crm.x"
    assert line["request_id"] == "rid-1"
    assert line["user"] == "u-1"
    assert {"timestamp", "level", "message"} <= set(line)  # what Reflex's JSON mode passes on


def test_secret_named_fields_and_secret_looking_text_are_redacted():
    jwt_like = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
    scrubbed = scrub(
        {
            "password": "hunter2",
            "refresh_token": "abc",
            "headers": {"Cookie": "khs_session=xyz", "Accept": "json"},
            "msg": f"Authorization: Bearer {jwt_like} and __Host-khs_session=s3cr3t; path",
        }
    )
    assert scrubbed["password"] == REDACTED
    assert scrubbed["refresh_token"] == REDACTED
    assert scrubbed["headers"] == {"Cookie": REDACTED, "Accept": "json"}
    assert jwt_like not in scrubbed["msg"] and "s3cr3t" not in scrubbed["msg"]
    assert "__Host-khs_session=[redacted]" in scrubbed["msg"]


def test_request_ids_are_accepted_only_when_plain():
    assert accept_request_id("abc-DEF_1.2:3") == "abc-DEF_1.2:3"
    for bad in (None, "", "a b", "x" * 129, "new\nline", "<script>"):
        assert accept_request_id(bad) != bad


def test_sentry_stays_off_without_a_dsn():
    assert init_sentry("", "production") is False


def test_sign_in_refresh_and_refusals_log_json_without_any_secret(client, session, captured):
    owner = make_user(session, Role.owner)
    worker = make_user(session, Role.worker)

    failed = client.post("/api/auth/login", json={"email": owner.email, "password": "wrong-pw-9"})
    assert failed.status_code == 401
    cookie_login = client.post(
        "/api/auth/session", json={"email": owner.email, "password": PASSWORD}
    )
    session_cookie = cookie_login.cookies.get("__Host-khs_session")
    tokens = client.post(
        "/api/auth/login", json={"email": worker.email, "password": PASSWORD}
    ).json()["data"]
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert client.get("/api/auth/me", headers=bearer).status_code == 200
    rotated = client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert rotated.status_code == 200
    reused = client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert reused.status_code == 401
    unknown = client.post("/api/auth/session", json={"email": "x@y.z", "password": "p"})
    assert unknown.status_code == 401
    csrf_less = client.delete("/api/auth/session")  # cookie without the CSRF header -> 403
    assert csrf_less.status_code == 403

    lines = captured()  # each line parses as JSON
    text = json.dumps(lines)
    secrets = [
        PASSWORD,
        "wrong-pw-9",
        session_cookie,
        tokens["accessToken"],
        tokens["refreshToken"],
        rotated.json()["data"]["refreshToken"],
        rotated.json()["data"]["accessToken"],
    ]
    for secret in secrets:
        assert secret and secret not in text

    access = [line for line in lines if line["logger"] == "khs_crm.access"]
    assert len(access) == 8  # one line per request
    me = next(line for line in access if line["path"] == "/api/auth/me")
    assert me["user_id"] == str(worker.id)
    assert me["method"] == "GET" and me["status"] == 200 and me["route"] == "/api/auth/me"
    assert isinstance(me["duration_ms"], float) and len(me["request_id"]) == 32
    security = [line["message"] for line in lines if line["logger"] == "khs_crm.security"]
    assert security.count("failed sign-in") == 2
    assert "refresh token reuse; family revoked" in security
    assert "forbidden" in security


def test_a_calendar_token_in_the_path_is_redacted(client, captured):
    token = "s3cr3t-calendar-token-value"
    assert client.get(f"/api/calendar/{token}.ics").status_code == 404
    lines = [line for line in captured() if line["message"] == "request"]
    assert lines and all(token not in json.dumps(line) for line in captured())
    assert lines[-1]["path"] == f"/api/calendar/{REDACTED}.ics"


LINK_ROUTES = [
    ("GET", "/e/{token}"),
    ("GET", "/i/{token}"),
    ("GET", "/c/{token}"),
    ("POST", "/api/public/estimates/{token}/approve"),
    ("POST", "/api/public/estimates/{token}/decline"),
    ("POST", "/api/public/change-orders/{token}/approve"),
    ("POST", "/api/public/change-orders/{token}/decline"),
]


@pytest.mark.parametrize(("method", "route"), LINK_ROUTES, ids=[r for _, r in LINK_ROUTES])
def test_a_customer_link_token_in_the_path_is_redacted(client, captured, method, route):
    token = "Cu5t0mer-link-token-value_x"
    data = {"name": "Ana", "agree": "yes"} if method == "POST" else None
    client.request(method, route.format(token=token), data=data)
    lines = [line for line in captured() if line["message"] == "request"]
    assert lines and token not in json.dumps(captured())
    assert lines[-1]["path"] == route.format(token=REDACTED)
    assert lines[-1]["route"] == route


MISSED_ROUTES = [  # no route serves these: a redirect (trailing slash), a 405, a 404
    ("GET", "/e/{token}/"),
    ("GET", "/api/public/change-orders/{token}/approve"),
    ("POST", "/i/{token}/pay"),
    ("GET", "/api/calendar/{token}"),
]


@pytest.mark.parametrize(("method", "route"), MISSED_ROUTES, ids=[r for _, r in MISSED_ROUTES])
def test_a_token_in_a_path_no_route_serves_is_redacted_too(client, captured, method, route):
    token = "Cu5t0mer-link-token-value_y"
    answer = client.request(method, route.format(token=token), follow_redirects=False)
    assert answer.status_code in (307, 404, 405)
    lines = [line for line in captured() if line["message"] == "request"]
    assert lines and token not in json.dumps(captured())
    assert lines[-1]["path"] == route.format(token=REDACTED)


def _link_path(response) -> str:
    assert response.status_code == 200, response.text
    return "/" + response.json()["data"]["link"]["url"].split("/", 3)[3]


def test_a_customer_opening_and_approving_real_links_leaves_no_token_in_the_log(
    client, cast, captured
):
    owner = bearer(cast.owner)
    line = {"kind": "material", "description": "Tile", "quantity": "2", "unitPrice": "10"}
    body = {"lines": [line], "taxRate": "0"}
    estimate = client.post(f"/api/jobs/{cast.job.id}/estimates", json=body, headers=owner)
    estimate_id = estimate.json()["data"]["id"]
    page = _link_path(client.post(f"/api/estimates/{estimate_id}/send", headers=owner))
    token = page.rsplit("/", 1)[1]
    assert client.get(page).status_code == 200
    approval = f"/api/public/estimates/{token}/approve"
    assert client.post(approval, data={"name": "Ana", "agree": "yes"}).status_code == 200
    deposit = {"kind": "deposit", "estimateId": estimate_id, "percent": "50"}
    invoice = client.post(f"/api/jobs/{cast.job.id}/invoices", json=deposit, headers=owner)
    invoice_id = invoice.json()["data"]["id"]
    bill = _link_path(client.post(f"/api/invoices/{invoice_id}/send", headers=owner))
    assert client.get(bill).status_code == 200

    text = json.dumps(captured())
    for secret in (token, bill.rsplit("/", 1)[1]):
        assert secret not in text
    for path in ("/e/[redacted]", "/api/public/estimates/[redacted]/approve", "/i/[redacted]"):
        assert f'"path": "{path}"' in text
