"""The customer search's page sorted by name, found without reading every match
(services/search/by_name.py): whichever way a search takes — every match sorted when at
most TOTAL_CAP match, a walk of the name order when more, every match sorted again when the
walk does not reach the page — it answers the rows of the plain sorted query, on both
databases. TOTAL_CAP and WALK_LIMIT are made small so that a few customers take each way.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from khs_crm.models import Customer, User
from khs_crm.services.core.access import visible_customer_condition
from khs_crm.services.customers.search import search_condition, search_customers
from khs_crm.services.customers.service import delete_customer
from khs_crm.services.search import by_name, totals
from tests.support.factories import make_customer, make_job

CAP, WALK, SIZE = 6, 12, 3
WALK_STEPS = ("_walk_name_order", "_sort_every_match")
FIRST = ["Abe", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Joe", "Kim", "Lou"]


@pytest.fixture(autouse=True)
def small_limits(monkeypatch):
    monkeypatch.setattr(totals, "TOTAL_CAP", CAP)
    monkeypatch.setattr(by_name, "TOTAL_CAP", CAP)
    monkeypatch.setattr(by_name, "WALK_LIMIT", WALK)


@pytest.fixture
def taken(monkeypatch) -> list[str]:
    """The steps after the first that the searches took, in order."""
    steps: list[str] = []
    for name in WALK_STEPS:

        def spy(*args, _real=getattr(by_name, name), _name=name, **kwargs):
            steps.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(by_name, name, spy)
    return steps


@pytest.fixture
def mesas(session, cast) -> list[Customer]:
    """12 customers who match "mesa" (by name, email, address, any case), each followed in
    name order by one who does not; a deleted match first of all; 8 matching "late" at the
    very end of the name order."""
    found = []
    for n, first in enumerate(FIRST):
        fields = [
            {"name": f"{first} Mesa"},
            {"name": f"{first} Q", "email": f"{first}@MESA.example"},
            {"name": f"{first} Q", "address": f"{n} Mesa Rd"},
        ][n % 3]
        found.append(make_customer(session, **fields))
        make_customer(session, name=f"{first} Stone")
    gone = make_customer(session, name="Aaron Mesa")
    delete_customer(session, customer_id=gone.id, actor=cast.owner)
    for n in range(8):
        make_customer(session, name=f"Zz Late {n}")
    return found


def _sorted_query(session: Session, user: User, q: str, page: int) -> tuple[list, int]:
    """The page and total as the search answered them before: every match, sorted."""
    where = [visible_customer_condition(user), search_condition(session, q)]
    ids = select(Customer.id).where(*where).order_by(func.lower(Customer.name), Customer.id)
    page_ids = session.exec(ids.offset((page - 1) * SIZE).limit(SIZE)).all()
    total = session.exec(select(func.count()).select_from(ids.subquery())).one()
    return list(page_ids), total


def _searched(session: Session, user: User, q: str, page: int) -> tuple[list, int]:
    rows, total = search_customers(session, user=user, q=q, page=page, page_size=SIZE)
    return [c.id for c in rows], total


def _same_as_sorted(session: Session, user: User, q: str, page: int) -> None:
    ids, total = _searched(session, user, q, page)
    expected_ids, exact = _sorted_query(session, user, q, page)
    assert ids == expected_ids
    assert total == min(exact, CAP + 1)


def test_more_matches_than_the_cap_walk_the_name_order(session, cast, mesas, taken):
    # The first 12 customers in name order hold page 1 and 2 of the matches (Pat Customer
    # comes after them), so the walk answers alone; page 5 is past it.
    for page in (1, 2):
        _same_as_sorted(session, cast.owner, "mesa", page)
    assert taken == ["_walk_name_order"] * 2
    taken.clear()
    _same_as_sorted(session, cast.owner, "MESA", 4)
    assert taken == list(WALK_STEPS)


@pytest.mark.parametrize("q", ["mesa", "late", "e", "st"])
def test_every_page_is_the_sorted_query_s_page(session, cast, mesas, q):
    for page in [*range(1, 7), 40]:  # 40: past every match
        _same_as_sorted(session, cast.owner, q, page)
    ids, total = _searched(session, cast.owner, "mesa", 5)
    assert len(ids) == 0 and total == CAP + 1


def test_matches_at_the_end_of_the_name_order_are_sorted_when_the_walk_misses(
    session, cast, mesas, taken
):
    _same_as_sorted(session, cast.owner, "late", 1)
    assert taken == list(WALK_STEPS)
    ids, _total = _searched(session, cast.owner, "late", 1)
    names = session.exec(select(Customer.name).where(col(Customer.id).in_(ids))).all()
    assert sorted(names) == ["Zz Late 0", "Zz Late 1", "Zz Late 2"]


def test_up_to_the_cap_every_match_is_counted_and_sorted(session, cast, mesas, taken):
    for q, page in [("abe", 1), ("mesa rd", 1), ("mesa rd", 2), ("zz late 7", 1), ("qqq", 1)]:
        _same_as_sorted(session, cast.owner, q, page)
    assert taken == []
    assert _searched(session, cast.owner, "mesa rd", 3) == ([], 4)


def test_a_worker_s_walk_sees_only_the_customers_of_their_jobs(session, cast, mesas, taken):
    for customer in mesas[:9]:
        make_job(session, customer, crew=[cast.worker_a])
    for page in (1, 2, 3):
        _same_as_sorted(session, cast.worker_a, "mesa", page)
    assert "_walk_name_order" in taken
    assert _searched(session, cast.worker_b, "mesa", 1) == ([], 0)


@pytest.mark.postgres
def test_the_planner_is_left_as_it_was(session, cast, mesas, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner settings")
    session.execute(text("SET LOCAL enable_indexscan = off"))
    _same_as_sorted(session, cast.owner, "mesa", 1)
    settings = session.execute(
        text("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
    ).one()
    assert tuple(settings) == ("on", "off")


def _incompressible(length: int, start: int) -> str:
    """CJK characters (3 bytes each) in no repeating order, which compression cannot shrink."""
    return "".join(chr(0x4E00 + (start + n * 7919) % 20000) for n in range(length))


def test_a_customer_too_long_for_the_walk_s_index_is_saved_and_found(
    session, cast, mesas, taken, db_url
):
    # 2,660 bytes of name (twice) and address: more than a B-tree entry takes with the rest.
    name = "Abba Mesa " + _incompressible(190, 1)
    huge = make_customer(session, name=name, address=_incompressible(500, 2))
    _same_as_sorted(session, cast.owner, "mesa", 1)
    assert _searched(session, cast.owner, "mesa", 1)[0][0] == huge.id
    # PostgreSQL's walk would not see it (left out of the index): every match is sorted.
    walked, sorted_all = WALK_STEPS
    assert taken == [sorted_all if db_url.startswith("postgresql") else walked] * 2
