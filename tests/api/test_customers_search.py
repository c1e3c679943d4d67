"""GET /api/customers/search: any part of name, phone, email or address, any case."""

import pytest

from khs_crm.services.customers.service import create_customer, delete_customer, update_customer
from tests.support.factories import bearer

PEOPLE = [
    {
        "name": "Ann Smith",
        "phone": "(512) 555-0101",
        "email": "ann.smith@example.com",
        "address": "12 Main St, Austin",
    },
    {
        "name": "Bob Jones",
        "phone": "+1 737-555-0199",
        "email": "bob@builders.io",
        "address": "400 Oak Ave",
    },
    {"name": "Carla Diaz", "email": "carla@example.net", "address": "9 Elm Rd, Round Rock"},
    {"name": "José Núñez", "phone": "512.867.5309", "address": "77 Lamar Blvd"},
]


@pytest.fixture
def people(cast, session):
    """cast.customer is "Pat Customer", (512) 555-0100, no email, no address."""
    return {
        p["name"].split()[0]: create_customer(session, data=p, actor=cast.owner) for p in PEOPLE
    }


def _found(client, user, q: str, **params) -> list[str]:
    response = client.get("/api/customers/search", params={"q": q, **params}, headers=bearer(user))
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["data"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("smi", ["Ann Smith"]),
        ("SMITH", ["Ann Smith"]),
        ("jOnE", ["Bob Jones"]),
        ("arl", ["Carla Diaz"]),
        ("ann smith", ["Ann Smith"]),
        ("ann austin", ["Ann Smith"]),
        ("ann oak", []),
        ("zzz", []),
    ],
)
def test_search_by_part_of_the_name_any_case(client, cast, people, q, expected):
    assert _found(client, cast.owner, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("555-01", ["Ann Smith", "Bob Jones", "Pat Customer"]),
        ("55501", ["Ann Smith", "Bob Jones", "Pat Customer"]),
        ("555-0101", ["Ann Smith"]),
        ("5550101", ["Ann Smith"]),
        ("(512) 555-0101", ["Ann Smith"]),
        ("512.555.0101", ["Ann Smith"]),
        ("512 555 0101", ["Ann Smith"]),
        ("+1 737", ["Bob Jones"]),
        ("0199", ["Bob Jones"]),
        ("867-5309", ["José Núñez"]),
        ("512", ["Ann Smith", "José Núñez", "Pat Customer"]),
    ],
)
def test_search_by_part_of_the_phone_in_any_format(client, cast, people, q, expected):
    assert _found(client, cast.owner, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("builders.io", ["Bob Jones"]),
        ("ann.smith@", ["Ann Smith"]),
        ("EXAMPLE", ["Ann Smith", "Carla Diaz"]),
        ("main st", ["Ann Smith"]),
        ("round rock", ["Carla Diaz"]),
        ("oak ave", ["Bob Jones"]),
        ("lamar", ["José Núñez"]),
    ],
)
def test_search_by_part_of_the_email_or_address(client, cast, people, q, expected):
    assert _found(client, cast.owner, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ob", ["Bob Jones"]),
        ("oa", ["Bob Jones"]),
        ("a", [p["name"] for p in PEOPLE] + ["Pat Customer"]),
    ],
)
def test_short_queries_still_match_anywhere(client, cast, people, q, expected):
    assert _found(client, cast.owner, q, pageSize=100) == sorted(expected, key=str.lower)


def test_non_ascii_names_are_found(client, cast, people):
    assert _found(client, cast.owner, "josé") == ["José Núñez"]
    assert _found(client, cast.owner, "Núñ") == ["José Núñez"]


@pytest.mark.parametrize("q", ["%", "50%", "_", "a_b", '"', "o'", "\\", "*", "(", "AND", "NEAR("])
def test_wildcards_and_query_syntax_are_plain_text(client, cast, people, q):
    assert _found(client, cast.owner, q) == []


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "   "}, {}, {"q": "x" * 201}])
def test_blank_missing_or_huge_query_is_422(client, cast, params):
    response = client.get("/api/customers/search", params=params, headers=bearer(cast.owner))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_search_follows_changes_and_deletes(client, cast, people, session):
    ann = people["Ann"]
    update_customer(
        session,
        customer_id=ann.id,
        changes={"name": "Annabel Lee", "phone": "(210) 444-1234", "email": "al@example.org"},
        actor=cast.owner,
    )
    assert _found(client, cast.owner, "lee") == ["Annabel Lee"]
    assert _found(client, cast.owner, "smith") == []
    assert _found(client, cast.owner, "444-12") == ["Annabel Lee"]
    assert _found(client, cast.owner, "555-0101") == []
    delete_customer(session, customer_id=people["Bob"].id, actor=cast.owner)
    assert _found(client, cast.owner, "jones") == []
    assert _found(client, cast.owner, "builders") == []


def test_search_pages_and_counts(client, cast, session):
    for n in range(23):
        create_customer(session, data={"name": f"Matchable {n:02d}"}, actor=cast.owner)
    response = client.get(
        "/api/customers/search",
        params={"q": "matchable", "page": 3, "pageSize": 10},
        headers=bearer(cast.owner),
    )
    body = response.json()
    assert body["pagination"] == {"page": 3, "pageSize": 10, "total": 23, "totalPages": 3}
    assert [c["name"] for c in body["data"]] == ["Matchable 20", "Matchable 21", "Matchable 22"]


def test_workers_search_only_their_customers(client, cast, people):
    assert _found(client, cast.worker_a, "555-01") == ["Pat Customer"]
    assert _found(client, cast.worker_a, "smith") == []
    assert _found(client, cast.worker_b, "pat") == []


def test_control_characters_in_a_search_are_word_breaks_not_errors(client, session, cast):
    from tests.support.factories import bearer

    response = client.get(
        "/api/customers/search", params={"q": "Pat\x00Cust\x01"}, headers=bearer(cast.owner)
    )
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["data"]] == ["Pat Customer"]
    blank = client.get(
        "/api/customers/search", params={"q": "\x00\x01"}, headers=bearer(cast.owner)
    )
    assert blank.status_code == 422
