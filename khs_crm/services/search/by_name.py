"""One page of search matches sorted by name, and their total counted up to the cap.

Sorting every match by name means reading every match's row (the trigram indexes find them
but cannot sort them), and a 3- or 4-letter fragment matches thousands of the million
customers. The total is capped (services/search/totals.py), so a search reads at most
TOTAL_CAP + 1 matches first:

1. up to TOTAL_CAP matches: they are every match; sort them and answer the page;
2. more: walk the name order from the start, testing each customer, and stop at the page's
   last match. Migration 0015's name-order index carries every column a search reads, so
   the walk reads the index only (it is not taken while a customer too long for that index
   exists: FITS_THE_INDEX). The more matches, the sooner it stops;
3. when the page is not within the first WALK_LIMIT customers of the name order (a
   fragment whose matches gather at the end of the alphabet, or a deep page), sort every
   match as in 1.

The three give the same rows in the same order: each is the matches sorted by
(lower(name), id).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, TextClause, func, text
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import replacement_traverse
from sqlmodel import Session, col, select

from khs_crm.models import Customer
from khs_crm.services.search.totals import TOTAL_CAP, capped_count, is_capped

# How many customers of the name order a walk tests before giving up on step 2: about
# 10 ms at a million customers, where a fragment with more than 2,500 evenly spread matches
# has its first 25 inside it.
WALK_LIMIT = 10_000

# Migration 0015's index leaves out a customer whose name, email and address together are
# too long for one B-tree entry (2,704 bytes: only CJK or emoji text near every length
# limit), so that saving one never fails. Its predicates, word for word: a walk reads only
# the customers in the index, so it is taken only when no live customer is left out.
FITS_THE_INDEX = (
    "octet_length(lower(name)) + octet_length(name) + octet_length(email)"
    " + octet_length(address) + octet_length(phone_digits) <= 2500"
)
LEFT_OUT = f"NOT ({FITS_THE_INDEX})"


def search_page(
    session: Session,
    *,
    where: list[ColumnElement[bool]],
    page: int,
    page_size: int,
    indexed: bool,
) -> tuple[list[Customer], int]:
    """One page of the customers matching ``where``, sorted by name, and how many match,
    counted up to TOTAL_CAP + 1 (above TOTAL_CAP means "more than that").

    ``indexed``: an index finds every match (on PostgreSQL, a trigram index: a word of the
    search has at least three characters), so step 1 reads only the rows it points to.
    """
    rows, total = _few_matches(
        session, where=where, page=page, page_size=page_size, indexed=indexed
    )
    if not is_capped(total):
        return rows, total
    rows = []
    if _walk_sees_everyone(session):
        rows = _walk_name_order(session, where=where, page=page, page_size=page_size)
    if len(rows) < page_size:
        rows = _sort_every_match(session, where=where, page=page, page_size=page_size)
    return rows, total


def _page_query(matches: Any, *extra: Any, page: int, page_size: int) -> Any:
    """SELECT (customer, *extra) of one page of ``matches`` (id, sort_key), sorted by name."""
    picked = (
        select(matches.c.id, matches.c.sort_key)
        .order_by(matches.c.sort_key, matches.c.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .subquery("picked")
    )
    return (
        select(Customer, *extra)
        .join(picked, col(Customer.id) == picked.c.id)
        .order_by(picked.c.sort_key, picked.c.id)
    )


def _matches(where: list[ColumnElement[bool]]) -> Any:
    return select(col(Customer.id).label("id"), func.lower(Customer.name).label("sort_key")).where(
        *where
    )


def _few_matches(
    session: Session,
    *,
    where: list[ColumnElement[bool]],
    page: int,
    page_size: int,
    indexed: bool,
) -> tuple[list[Customer], int]:
    """Step 1: the page and the total when at most TOTAL_CAP match; when more, no rows and
    TOTAL_CAP + 1. One statement: the first TOTAL_CAP + 1 matches found (in no order) go
    into a MATERIALIZED CTE of (id, sort key), which is counted and sorted.

    PostgreSQL estimates a fragment's matches from generic rules and, when it expects many
    ("sim": 50,000, in fact 10,000), reads the table in order until it has 1,001 of them:
    100,000 rows tested, 117 ms at a million customers. When ``indexed``, it is made to use
    the trigram indexes instead: 7 ms.
    """
    matches = _matches(where).limit(TOTAL_CAP + 1).cte("matches").prefix_with("MATERIALIZED")
    total = select(func.count()).select_from(matches).scalar_subquery()
    query = _page_query(matches, total.label("total"), page=page, page_size=page_size)
    with _bitmap_scans_only(session, indexed):
        rows = session.exec(query).all()
        if not rows:  # none, or a page past the first TOTAL_CAP + 1 found
            return [], 0 if page == 1 else capped_count(session, _matches(where))
    count = int(rows[0][1])
    return ([] if is_capped(count) else [customer for customer, _ in rows]), count


def _walk_name_order(
    session: Session, *, where: list[ColumnElement[bool]], page: int, page_size: int
) -> list[Customer]:
    """Step 2: the page out of the first WALK_LIMIT live customers in name order; fewer
    rows than page_size when they do not hold it.

    The walk is a subquery with its own LIMIT so that PostgreSQL stops at WALK_LIMIT rows
    whatever it finds; ``where`` is rewritten to read the subquery's columns. It selects
    every column, and PostgreSQL reads only those used: all in the index of migration 0015.
    """
    sort_key = func.lower(Customer.name)
    in_index: list[ColumnElement[bool] | TextClause] = [col(Customer.deleted_at).is_(None)]
    if session.get_bind().dialect.name == "postgresql":
        in_index.append(text(FITS_THE_INDEX))
    walked = (
        select(Customer, sort_key.label("sort_key"))
        .where(*in_index)
        .order_by(sort_key, col(Customer.id))
        .limit(WALK_LIMIT)
        .subquery("walked")
    )
    on_walked = ClauseAdapter(walked)

    def read_walked(element: Any, **_kw: Any) -> Any:
        # lower(name) is the index's key, read rather than computed again for every
        # customer tested (about a sixth of the walk's time).
        if isinstance(element, ColumnElement) and element.compare(sort_key):
            return walked.c.sort_key
        return on_walked.replace(element)

    conditions = (replacement_traverse(c, {}, read_walked) for c in where)
    matches = select(walked.c.id, walked.c.sort_key).where(*conditions).subquery("matches")
    return list(session.exec(_page_query(matches, page=page, page_size=page_size)).all())


def _walk_sees_everyone(session: Session) -> bool:
    """No live customer is left out of the index the walk reads (a look at the index of
    those left out, empty but for odd data)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    left_out = select(Customer.id).where(col(Customer.deleted_at).is_(None), text(LEFT_OUT))
    return not session.exec(select(left_out.exists())).one()


def _sort_every_match(
    session: Session, *, where: list[ColumnElement[bool]], page: int, page_size: int
) -> list[Customer]:
    """Step 3: every match into a MATERIALIZED CTE of (id, sort key), sorted. Without the
    fence PostgreSQL may walk the whole name order instead, testing every customer."""
    matches = _matches(where).cte("matches").prefix_with("MATERIALIZED")
    return list(session.exec(_page_query(matches, page=page, page_size=page_size)).all())


PLANNER_SCANS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


@contextmanager
def _bitmap_scans_only(session: Session, wanted: bool) -> Iterator[None]:
    """When ``wanted``, PostgreSQL plans the statements inside with bitmap scans (of the
    trigram indexes) rather than reading a table or an index in order, then as before."""
    if not wanted or session.get_bind().dialect.name != "postgresql":
        yield
        return
    names = ", ".join(f"current_setting('{name}')" for name in PLANNER_SCANS)
    before = session.execute(text(f"SELECT {names}")).one()
    _set_locally(session, dict.fromkeys(PLANNER_SCANS, "off"))
    yield
    # Not after an error: the transaction is then rolled back, and SET LOCAL with it.
    _set_locally(session, dict(zip(PLANNER_SCANS, before, strict=True)))


def _set_locally(session: Session, settings: dict[str, str]) -> None:
    calls = ", ".join(f"set_config('{name}', :{name}, true)" for name in settings)
    session.execute(text(f"SELECT {calls}"), settings)
