"""Capped totals: pagination.total is exact up to 1,000; beyond, 1,000 with
totalCapped: true (the list, the search, and every list through the one page helper)."""

import pytest
from sqlmodel import Session

from khs_crm.api.schemas import PageParams, paginated
from khs_crm.models import Customer
from khs_crm.services.core.versioning import next_version
from tests.support.factories import bearer


def _add_customers(session: Session, count: int, name: str) -> None:
    first = next_version(session)
    session.add_all(
        Customer(name=f"{name} {n:04d}", phone="", phone_digits="", version=first + n)
        for n in range(count)
    )
    session.commit()


def _pagination(client, user, path: str, **params) -> dict:
    response = client.get(path, params=params, headers=bearer(user))
    assert response.status_code == 200, response.text
    return response.json()


def test_exact_up_to_1000_then_capped(client, cast, session):
    _add_customers(session, 999, "Bulk Buyer")  # with cast.customer: exactly 1,000
    listed = _pagination(client, cast.owner, "/api/customers")["pagination"]
    assert listed == {"page": 1, "pageSize": 25, "total": 1000, "totalPages": 40}

    _add_customers(session, 2, "Bulk Late")  # 1,002; 1,001 of them "bulk"
    listed = _pagination(client, cast.owner, "/api/customers")["pagination"]
    assert listed == {
        "page": 1, "pageSize": 25, "total": 1000, "totalPages": 40, "totalCapped": True
    }  # fmt: skip
    # pages past totalPages still hold rows when the total is capped
    beyond = _pagination(client, cast.owner, "/api/customers", page=41, pageSize=25)
    assert len(beyond["data"]) == 2 and beyond["pagination"]["totalCapped"] is True

    found = _pagination(client, cast.owner, "/api/customers/search", q="bulk")["pagination"]
    assert found["total"] == 1000 and found["totalCapped"] is True
    few = _pagination(client, cast.owner, "/api/customers/search", q="bulk late")["pagination"]
    assert few == {"page": 1, "pageSize": 25, "total": 2, "totalPages": 1}


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (0, {"total": 0, "totalPages": 0}),
        (1000, {"total": 1000, "totalPages": 10}),
        (1001, {"total": 1000, "totalPages": 10, "totalCapped": True}),
        (250_000, {"total": 1000, "totalPages": 10, "totalCapped": True}),
    ],
)
def test_the_page_helper_caps_every_list(total, expected):
    body = paginated([], params=PageParams(page=1, page_size=100), total=total)
    assert body["pagination"] == {"page": 1, "pageSize": 100, **expected}
