"""GET /api/search: one search over customers, jobs and people (office only), on SQLite and
PostgreSQL: grouped by kind, exact and prefix matches first, near misses found."""

import pytest

from khs_crm.models import Role
from khs_crm.services.customers.service import create_customer
from tests.support.factories import bearer, make_job, make_user


@pytest.fixture
def world(cast, session):
    """Customers, jobs and people with names that look alike."""
    made = {
        p["name"]: create_customer(session, data=p, actor=cast.owner)
        for p in [
            {"name": "Patricia Nguyen", "phone": "(512) 555-0142", "address": "8 Lamar Blvd"},
            {"name": "Patrick Oduya", "email": "pat.oduya@example.com"},
            {"name": "Smith", "address": "1 Elm St"},
            {"name": "Smithers Roofing LLC"},
            {"name": "Anne Goldsmith", "address": "77 Cedar Ln"},
        ]
    }
    nguyen = made["Patricia Nguyen"]
    make_job(session, nguyen, title="Bathroom retile", site_address="8 Lamar Blvd")
    make_job(session, made["Smith"], title="Deck staining", site_address="1 Elm St")
    make_user(session, Role.worker, name="Casey Whitfield", email="casey@khs.example")
    make_user(session, Role.admin, name="Morgan Patel", email="morgan@khs.example")
    return made


def _search(client, user, q: str, **params):
    response = client.get("/api/search", params={"q": q, **params}, headers=bearer(user))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _names(data) -> dict[str, list[str]]:
    return {
        "customers": [c["name"] for c in data["customers"]],
        "jobs": [j["title"] for j in data["jobs"]],
        "people": [p["name"] for p in data["people"]],
    }


def test_results_are_grouped_by_kind(client, cast, world):
    data = _search(client, cast.owner, "lamar")
    assert _names(data) == {
        "customers": ["Patricia Nguyen"],
        "jobs": ["Bathroom retile"],
        "people": [],
    }
    job = data["jobs"][0]
    assert job["customerName"] == "Patricia Nguyen" and job["siteAddress"] == "8 Lamar Blvd"
    assert job["customerId"] == str(world["Patricia Nguyen"].id) and job["status"] == "lead"
    assert set(data["customers"][0]) == {"id", "name", "phone", "email", "address"}


def test_jobs_by_customer_name_and_people_by_email(client, cast, world):
    assert _names(_search(client, cast.admin, "nguyen"))["jobs"] == ["Bathroom retile"]
    people = _search(client, cast.admin, "casey@khs")["people"]
    assert [(p["name"], p["role"], p["active"]) for p in people] == [
        ("Casey Whitfield", "worker", True)
    ]


def test_a_one_letter_typo_is_found(client, cast, world):
    assert _names(_search(client, cast.owner, "Patrica"))["customers"][0] == "Patricia Nguyen"
    assert _names(_search(client, cast.owner, "bathroon"))["jobs"] == ["Bathroom retile"]
    assert _names(_search(client, cast.owner, "Whitfeld"))["people"] == ["Casey Whitfield"]


def test_exact_then_prefix_then_the_rest(client, cast, world):
    # "Smith" itself, then names with a word starting "smith", then "Goldsmith" (contains it)
    assert _names(_search(client, cast.owner, "smith"))["customers"] == [
        "Smith",
        "Smithers Roofing LLC",
        "Anne Goldsmith",
    ]
    # all three start with "pat": the whole word first, then equally near ones by name
    assert _names(_search(client, cast.owner, "pat"))["customers"][:3] == [
        "Pat Customer",
        "Patricia Nguyen",
        "Patrick Oduya",
    ]


def test_limit_and_phone_fragments(client, cast, world):
    assert len(_search(client, cast.owner, "smith", limit=1)["customers"]) == 1
    assert _names(_search(client, cast.owner, "555-0142"))["customers"] == ["Patricia Nguyen"]


def test_office_only(client, cast, world):
    for worker in (cast.worker_a, cast.worker_b):
        response = client.get("/api/search", params={"q": "smith"}, headers=bearer(worker))
        assert response.status_code == 404
    assert client.get("/api/search", params={"q": "smith"}).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "a", "limit": 0},
        {"q": "a", "limit": 21},
        {},
    ],
)
def test_bad_input_is_refused_with_422(client, cast, params):
    response = client.get("/api/search", params=params, headers=bearer(cast.owner))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"]
