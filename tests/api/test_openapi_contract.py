"""/api/openapi.json describes every answer: each operation's success in the envelope (lists
in the one list shape), every error status it can give in the error envelope, how to sign
in, and request bodies as their validators read them. Real answers match what it says."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import schemathesis

from khs_crm.api.deps import IF_MATCH_PATTERN, if_match
from khs_crm.api.openapi import BLANK_OR_VISIBLE, VISIBLE
from khs_crm.integrations import jobqueue
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.core.text import BIDI_CONTROLS
from khs_crm.services.customers.rules import SPACE
from tests.support.api_app import api_app
from tests.support.factories import PASSWORD, bearer
from tests.support.photo_files import image_bytes

DOC = api_app().openapi()
SCHEMAS = DOC["components"]["schemas"]
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DOC["paths"].items()
    for method, operation in item.items()
]
FILES = {"text/csv", "text/calendar", "image/jpeg"}  # downloads: not JSON
ERROR = {"$ref": "#/components/schemas/ErrorEnvelope"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SOMEONE = uuid.UUID(int=7)  # fixed: test ids must be the same in every xdist worker


def _ids(operations: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{method} {path}" for method, path, _ in operations]


def _schema_of(response: dict[str, Any]) -> dict[str, Any]:
    return response.get("content", {}).get("application/json", {}).get("schema", {})


@pytest.fixture
def db_url(sqlite_url):
    """The document and the shapes of answers do not depend on the database."""
    return sqlite_url


def test_the_document_covers_every_route():
    assert len(OPERATIONS) == 101  # 26 money (docs/money.md), 10 time (docs/time.md), 1 search,
    # 9 change orders (docs/change_orders.md), 3 telemetry (docs/operations.md)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_success_is_documented_in_the_envelope(method, path, operation):
    successes = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
    assert successes, "no success response"
    for code, response in successes.items():
        if FILES & response.get("content", {}).keys():  # a download: the bytes are the file
            assert "application/json" not in response["content"], code
            continue
        name = _schema_of(response).get("$ref", "").rsplit("/", 1)[-1]
        assert name.startswith(("Envelope_", "Page_")), (code, name)
        shape = SCHEMAS[name]
        assert set(shape["required"]) >= {"data", "meta"}, code
        if name.startswith("Page_"):  # the one list shape
            assert shape["properties"]["data"]["type"] == "array"
            assert "pagination" in shape["required"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_every_error_it_can_give_is_documented_in_the_error_envelope(method, path, operation):
    responses = operation["responses"]
    errors = {int(code) for code in responses if code[0] in "45"}
    for code in errors - {503} if path == "/api/health" else errors:
        assert _schema_of(responses[str(code)]) == ERROR, code
    expected = {503}
    parameters = {p["in"] for p in operation.get("parameters", [])}
    if operation.get("security"):
        expected |= {401, 429} | ({403} if method in UNSAFE else set())
    if "requestBody" in operation:
        expected |= {400, 413, 422}
    if parameters & {"path", "query"}:
        expected |= {422}
    if "path" in parameters:
        expected |= {404}
    if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
        expected |= {412, 422}
    assert errors >= expected, sorted(expected - errors)


def test_no_operation_keeps_fastapis_own_validation_error():
    assert "HTTPValidationError" not in SCHEMAS
    assert "ValidationError" not in SCHEMAS


def test_signing_in_is_documented_where_it_is_needed():
    public = {
        ("GET", "/api/health"),
        ("POST", "/api/auth/session"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/auth/refresh"),
        ("POST", "/api/auth/logout"),
        ("GET", "/api/calendar/{token}.ics"),
    }
    schemes = DOC["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for method, path, operation in OPERATIONS:
        signed_in = [next(iter(option)) for option in operation.get("security", [])]
        if (method, path) in public:
            assert not signed_in, path
        else:
            assert set(signed_in) == set(schemes), path


def test_request_bodies_take_null_as_their_validators_do():
    def prop(model: str, name: str) -> dict[str, Any]:
        return SCHEMAS[model]["properties"][name]

    nullable = {"type": "null"}
    # Null reads as "" for these: the schema says null is taken.
    assert nullable in prop("CustomerCreate", "phone")["anyOf"]
    assert nullable in prop("CustomerCreate", "notes")["anyOf"]
    # Optional, but never null: leave the field out instead.
    assert prop("CustomerUpdate", "name")["type"] == "string"
    assert prop("JobUpdate", "title")["type"] == "string"
    assert prop("MaterialChanges", "quantity")["type"] == "number"
    assert "anyOf" not in prop("UserUpdate", "name")
    assert nullable not in prop("PhotoChanges", "tag").get("anyOf", [])
    # A status may not be sent with a job at all (it has its own route).
    assert "status" not in SCHEMAS["JobUpdate"]["properties"]
    assert SCHEMAS["JobUpdate"]["additionalProperties"] is False


def test_text_patterns_spell_out_what_python_strips():
    spaces = {c for c in range(0x110000) if chr(c).isspace()}
    assert {c for c in range(0x3100) if re.fullmatch(SPACE, chr(c))} == spaces
    invisible = spaces | set(BIDI_CONTROLS)
    assert {c for c in range(0x3100) if not re.fullmatch(VISIBLE, chr(c))} == invisible
    assert re.search(BLANK_OR_VISIBLE, " \t") and re.search(BLANK_OR_VISIBLE, "a")
    assert not re.search(BLANK_OR_VISIBLE, "\u202a") and not re.search(BLANK_OR_VISIBLE, "\x1c")
    assert SCHEMAS["JobCreate"]["properties"]["title"]["pattern"] == VISIBLE


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/api/health", "GET"),
        ("PATCH", f"/api/customers/{SOMEONE}", "DELETE, GET, PUT"),
        ("OPTIONS", f"/api/customers/{SOMEONE}", "DELETE, GET, PUT"),
        # A fixed path is its own, whatever a pattern beside it (/customers/{id}) matches.
        ("PUT", "/api/customers/search", "GET"),
        ("DELETE", "/api/materials/bulk-update", "PUT"),
    ],
)
def test_method_not_allowed_says_which_are(client, cast, method, path, allow):
    response = client.request(method, path, headers=bearer(cast.owner))
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_an_unknown_path_is_still_404(client):
    assert client.options("/api/no/such/thing").status_code == 404


@pytest.mark.usefixtures("uploads", "drained")
def test_real_answers_match_the_document(client, cast):
    """A tour of the API with real records: each answer, success or refusal, validates
    against what /api/openapi.json says for its operation and status."""
    schema = schemathesis.openapi.from_dict(DOC)
    owner, worker = bearer(cast.owner), bearer(cast.worker_a)
    job, customer = cast.job.id, cast.customer.id
    seen: set[str] = set()

    def call(method: str, path: str, template: str, *, status: int, **kwargs: Any) -> Any:
        kwargs.setdefault("headers", owner)
        response = client.request(method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        assert str(status) in DOC["paths"][template][method.lower()]["responses"]
        schema[template][method].validate_response(response)
        seen.add(f"{method} {template}")
        return (
            response.json()["data"]
            if response.headers["content-type"].startswith("application/json") and status < 400
            else None
        )

    call("GET", "/api/health", "/api/health", status=200)
    tokens = call(
        "POST",
        "/api/auth/login",
        "/api/auth/login",
        status=200,
        json={"email": cast.owner.email, "password": PASSWORD},
        headers={},
    )
    refreshed = call(
        "POST",
        "/api/auth/refresh",
        "/api/auth/refresh",
        status=200,
        json={"refreshToken": tokens["refreshToken"]},
        headers={},
    )
    call(
        "POST",
        "/api/auth/logout",
        "/api/auth/logout",
        status=200,
        json={"refreshToken": refreshed["refreshToken"]},
        headers={},
    )
    call("GET", "/api/auth/me", "/api/auth/me", status=200)
    call("GET", "/api/customers", "/api/customers", status=200)
    call("GET", "/api/customers/search", "/api/customers/search", status=200, params={"q": "a"})
    new = call(
        "POST",
        "/api/customers",
        "/api/customers",
        status=201,
        json={"name": "Lee Contract", "phone": None, "email": "lee@example.com"},
    )
    path = "/api/customers/{customer_id}"
    call("GET", f"/api/customers/{customer}", path, status=200)
    call("PUT", f"/api/customers/{new['id']}", path, status=200, json={"notes": "Gate code"})
    call(
        "PUT",
        f"/api/customers/{new['id']}",
        path,
        status=412,
        json={},
        headers={**owner, "If-Match": "1"},
    )
    call("DELETE", f"/api/customers/{new['id']}", path, status=200)
    call("POST", "/api/customers", "/api/customers", status=422, json={})
    call("GET", "/api/jobs", "/api/jobs", status=200, params={"from": "2026-01-01"})
    call("GET", f"/api/jobs/{job}", "/api/jobs/{job_id}", status=200)
    call("GET", f"/api/jobs/{uuid.uuid4()}", "/api/jobs/{job_id}", status=404)
    made = call(
        "POST",
        "/api/jobs",
        "/api/jobs",
        status=201,
        json={
            "customerId": str(customer),
            "title": "Porch",
            "assignedUserIds": [str(cast.worker_a.id)],
        },
    )
    call("PUT", f"/api/jobs/{made['id']}", "/api/jobs/{job_id}", status=200, json={"title": "Deck"})
    call(
        "PUT",
        f"/api/jobs/{made['id']}/status",
        "/api/jobs/{job_id}/status",
        status=409,
        json={"status": "completed"},
    )
    call(
        "POST",
        f"/api/jobs/{made['id']}/assign",
        "/api/jobs/{job_id}/assign",
        status=200,
        json={"userIds": []},
    )
    call("DELETE", f"/api/jobs/{made['id']}", "/api/jobs/{job_id}", status=200)
    materials = "/api/jobs/{job_id}/materials"
    one = call("POST", f"/api/jobs/{job}/materials", materials, status=201, json={"name": "Tile"})
    call("POST", f"/api/jobs/{job}/materials", materials, status=201, json=[{"name": "Grout"}])
    call("GET", f"/api/jobs/{job}/materials", materials, status=200, headers=worker)
    call(
        "PUT",
        "/api/materials/bulk-update",
        "/api/materials/bulk-update",
        status=200,
        json={"ids": [one["id"]], "changes": {"purchased": True}},
    )
    call(
        "PUT",
        f"/api/materials/{one['id']}",
        "/api/materials/{material_id}",
        status=200,
        json={"quantity": 2},
    )
    notes = "/api/jobs/{job_id}/notes"
    call("POST", f"/api/jobs/{job}/notes", notes, status=201, json={"body": "Side door"})
    call("GET", f"/api/jobs/{job}/notes", notes, status=200)
    photo_id = str(uuid.uuid4())
    call(
        "POST",
        f"/api/jobs/{job}/photos",
        "/api/jobs/{job_id}/photos",
        status=201,
        files={"file": ("site.jpg", image_bytes(), "image/jpeg")},
        data={"id": photo_id, "tag": "before"},
        headers=worker,
    )
    # The thumbnail job writes the photo's row (a new version) beside these requests, and a
    # caption edit racing it is refused with 412, as the README says. Here it is done first.
    assert jobqueue.get_queue().join(20)
    call("GET", f"/api/jobs/{job}/photos", "/api/jobs/{job_id}/photos", status=200)
    call("GET", f"/api/photos/{photo_id}", "/api/photos/{photo_id}", status=200)
    call(
        "PUT",
        f"/api/photos/{photo_id}",
        "/api/photos/{photo_id}",
        status=200,
        json={"caption": "Wall"},
    )
    call("GET", f"/api/photos/{photo_id}/file", "/api/photos/{photo_id}/file", status=200)
    call("DELETE", f"/api/materials/{one['id']}", "/api/materials/{material_id}", status=200)
    pushed = call(
        "POST",
        "/api/sync/push",
        "/api/sync/push",
        status=200,
        headers=worker,
        json={
            "clientId": "phone-1",
            "operations": [
                {
                    "opId": str(uuid.uuid4()),
                    "seq": 1,
                    "entity": "material",
                    "entityId": str(uuid.uuid4()),
                    "action": "create",
                    "changes": {"jobId": str(job), "name": "Nails"},
                },
                {"opId": 7, "seq": -1},
                {
                    "opId": str(uuid.uuid4()),
                    "seq": 2,
                    "entity": "job",
                    "entityId": str(job),
                    "action": "update",
                    "changes": {"status": "completed"},
                    "baseVersion": 1,
                },
            ],
        },
    )
    assert [r["status"] for r in pushed["results"]] == ["applied", "conflict", "rejected"]
    call("GET", "/api/sync/pull", "/api/sync/pull", status=200, params={"scope": "all"})
    call("GET", "/api/sync/status", "/api/sync/status", status=200, params={"clientId": "phone-1"})
    conflicts = call("GET", "/api/sync/conflicts", "/api/sync/conflicts", status=200)
    call(
        "POST",
        f"/api/sync/conflicts/{conflicts[0]['id']}/resolve",
        "/api/sync/conflicts/{conflict_id}/resolve",
        status=200,
        json={"keep": "server"},
    )
    call("GET", "/api/activity", "/api/activity", status=200, params={"jobId": str(job)})
    call("GET", "/api/users", "/api/users", status=200)
    person = call(
        "POST",
        "/api/users",
        "/api/users",
        status=201,
        json={"email": "kim@example.com", "name": "Kim", "role": "worker", "password": PASSWORD},
    )
    call(
        "PUT",
        f"/api/users/{person['id']}",
        "/api/users/{user_id}",
        status=200,
        json={"name": "Kim L"},
    )
    call(
        "POST",
        f"/api/users/{person['id']}/reset-password",
        "/api/users/{user_id}/reset-password",
        status=200,
        json={"password": PASSWORD + "!"},
    )
    links = "/api/calendar/links/{user_id}"
    call("POST", f"/api/calendar/links/{person['id']}", links, status=201)
    call("DELETE", f"/api/calendar/links/{person['id']}", links, status=200)
    call("GET", "/api/customers/export.csv", "/api/customers/export.csv", status=200)
    call("GET", "/api/jobs/export.csv?status=lead", "/api/jobs/export.csv", status=200)
    call("GET", "/api/jobs/export.csv", "/api/jobs/export.csv", status=404, headers=worker)
    call("GET", "/api/jobs", "/api/jobs", status=401, headers={})
    call("GET", "/api/users", "/api/users", status=404, headers=worker)
    assert len(seen) >= 40


@pytest.mark.parametrize("header", ["\u00b2", "\u00b9", "\u0663", "x1", "1 2"])
def test_if_match_that_is_not_a_version_is_422(header):
    """A digit that is not ASCII (², ¹, ٣) passed str.isdigit() and then failed int(): a 500.
    (Called directly: the test client sends header values as UTF-8, a server as Latin-1.)"""
    assert re.fullmatch(IF_MATCH_PATTERN, header) is None
    with pytest.raises(ValidationFailed):
        if_match(header)


@pytest.mark.parametrize(("header", "version"), [("7", 7), ('"7"', 7), ('W/"7"', 7), (" 7\t", 7)])
def test_if_match_takes_a_version_bare_quoted_or_weak(header, version):
    assert if_match(header) == version
