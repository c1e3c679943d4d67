"""Reading customers: the sorted list and the search, one page at a time.

Search matches every word of the query, each anywhere in the name, email or address, any
case; a word that looks like (part of) a phone number also matches the phone's digits, so
"555-01", "55501" and "(512) 555-01" all find "(512) 555-0101". Migration 0003 keeps it
fast: trigram GIN indexes on PostgreSQL, an FTS5 trigram table on SQLite (words shorter than
three characters, which trigrams cannot index, fall back to LIKE there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, inspect, or_, text
from sqlmodel import Session, col, select

from khs_crm.models import Customer, User
from khs_crm.services.core.access import visible_customer_condition
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.customers.rules import digits_of, is_phone_query
from khs_crm.services.search.by_name import search_page
from khs_crm.services.search.totals import capped_count, is_capped

# Database objects created by migration 0003 that the SQLModel metadata does not describe.
SEARCH_OBJECT_PREFIXES = ("customers_fts", "ix_customers_trgm_", "ix_customers_search_")
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
TRIGRAM = 3

SORTS: dict[str, tuple[Any, ...]] = {
    "name": (func.lower(Customer.name), col(Customer.id)),
    "-name": (func.lower(Customer.name).desc(), col(Customer.id).desc()),
    "updated_at": (col(Customer.updated_at), col(Customer.id)),
    "-updated_at": (col(Customer.updated_at).desc(), col(Customer.id).desc()),
}

FTS_IDS = (
    "SELECT k.customer_id FROM customers_fts"
    " JOIN customers_fts_keys k ON k.fts_rowid = customers_fts.rowid"
    " WHERE customers_fts MATCH :fts_query"
)


def is_search_object(name: str | None) -> bool:
    """True for the search tables and indexes of migration 0003 (schema diffs skip them)."""
    return name is not None and name.startswith(SEARCH_OBJECT_PREFIXES)


@dataclass(frozen=True)
class Term:
    """One word to find: its lower-cased text and, when it looks like a phone, its digits."""

    text: str
    digits: str = ""


def parse_query(q: str) -> list[Term]:
    """Split a search text into terms; raise ValidationFailed when it is blank or too long.

    Control characters (NUL included, which PostgreSQL text and FTS5 refuse) separate words.
    """
    q = "".join(ch if ch.isprintable() else " " for ch in q).strip()
    if not q:
        raise ValidationFailed(
            "Type something to search for.", details=[{"field": "q", "message": "required"}]
        )
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            f"Search for at most {MAX_QUERY_LENGTH} characters.",
            details=[{"field": "q", "message": "too long"}],
        )
    if is_phone_query(q):
        return [Term(q.lower(), digits_of(q))]
    words = q.split()
    if len(words) > MAX_WORDS:
        raise ValidationFailed(
            f"Search for at most {MAX_WORDS} words.",
            details=[{"field": "q", "message": "too many words"}],
        )
    return [Term(w.lower(), digits_of(w) if is_phone_query(w) else "") for w in words]


def _contains(column: Any, fragment: str) -> ColumnElement[bool]:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _is_indexed(term: Term) -> bool:
    """The trigram indexes find the term's matches (each text they search has a trigram)."""
    return len(term.text) >= TRIGRAM and (not term.digits or len(term.digits) >= TRIGRAM)


def _like_term(term: Term) -> ColumnElement[bool]:
    matches = [
        _contains(func.lower(Customer.name), term.text),
        _contains(func.lower(Customer.email), term.text),
        _contains(func.lower(Customer.address), term.text),
    ]
    if term.digits:
        matches.append(_contains(col(Customer.phone_digits), term.digits))
    return or_(*matches)


def _fts_phrase(fragment: str) -> str:
    return '"' + fragment.replace('"', '""') + '"'


def fts_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression for terms of 3+ characters (each a trigram substring)."""
    parts = []
    for term in terms:
        part = "{name email address} : " + _fts_phrase(term.text)
        if term.digits:
            part += " OR phone_digits : " + _fts_phrase(term.digits)
        parts.append(f"({part})")
    return " AND ".join(parts)


def search_condition(session: Session, q: str) -> ColumnElement[bool]:
    """SQL condition on Customer for a search text, in the SQL of the session's database."""
    terms = parse_query(q)
    if session.get_bind().dialect.name != "sqlite":
        return and_(*(_like_term(t) for t in terms))
    indexed = [t for t in terms if len(t.text) >= TRIGRAM]
    conditions = [_like_term(t) for t in terms if len(t.text) < TRIGRAM]
    if indexed:
        ids = text(FTS_IDS).bindparams(fts_query=fts_query(indexed))
        id_type = inspect(Customer).c.id.type
        conditions.append(col(Customer.id).in_(ids.columns(customer_id=id_type)))
    return and_(*conditions)


def page_of(
    session: Session,
    *,
    where: list[ColumnElement[bool]],
    order: tuple[Any, ...],
    page: int,
    page_size: int,
    total: int | None = None,
) -> tuple[list[Customer], int]:
    """One page of customers matching ``where`` and how many match (``total`` when the
    caller counted already), counted up to the cap
    (services/search/totals.py: above TOTAL_CAP means "more than that").

    The page's ids are picked first (index-only on the sort indexes of migration 0003),
    then only those rows are read: a deep page does not read every row it skips.
    """
    if total is None:
        total = capped_count(session, select(Customer.id).where(*where))
    if not total or (not is_capped(total) and (page - 1) * page_size >= total):
        return [], total
    ids = (
        select(Customer.id)
        .where(*where)
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .subquery()
    )
    rows = session.exec(
        select(Customer).join(ids, col(Customer.id) == ids.c.id).order_by(*order)
    ).all()
    return list(rows), total


def _plan_each_search(session: Session) -> None:
    # psycopg prepares a statement after 5 runs and PostgreSQL may then reuse a generic
    # plan that cannot see the LIKE pattern (so cannot judge the trigram index). Plan
    # every search with its real pattern; it costs well under a millisecond.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _check_paging(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= 100:
        raise ValidationFailed(
            "page must be 1 or more and pageSize between 1 and 100.",
            details=[{"field": "page", "message": "out of range"}],
        )


def list_customers(
    session: Session, *, user: User, page: int, page_size: int, sort: str = "name"
) -> tuple[list[Customer], int]:
    """The customers the user may see, sorted (name, -name, updated_at, -updated_at)."""
    _check_paging(page, page_size)
    if sort not in SORTS:
        raise ValidationFailed(
            f"sort must be one of: {', '.join(SORTS)}.",
            details=[{"field": "sort", "message": "unknown sort"}],
        )
    return page_of(
        session,
        where=[visible_customer_condition(user)],
        order=SORTS[sort],
        page=page,
        page_size=page_size,
    )


def search_customers(
    session: Session, *, user: User, q: str, page: int, page_size: int
) -> tuple[list[Customer], int]:
    """The customers the user may see that match every word of ``q``, sorted by name, and
    how many match, counted up to TOTAL_CAP + 1 (the API answers more than TOTAL_CAP as
    capped). services/search/by_name.py says how a page is found without reading every match.
    """
    _check_paging(page, page_size)
    condition = search_condition(session, q)
    _plan_each_search(session)
    return search_page(
        session,
        where=[visible_customer_condition(user), condition],
        page=page,
        page_size=page_size,
        indexed=any(_is_indexed(term) for term in parse_query(q)),
    )
