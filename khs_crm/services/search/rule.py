"""The one similarity rule, written once in SQL that reads the same on both databases.

A record matches a search text ``q`` when every word of q is contained in one of its fields
(any case; a customer's phone by its digits), or when q is a near miss of its main field (a
customer's or a person's name, a job's title): pg_trgm's ``word_similarity(q, field) >= 0.5``.
On PostgreSQL that is pg_trgm itself (the ``%>`` operator, served by the trigram indexes); on
SQLite the same measure computed by services/search/trigram.py, registered on every
connection (khs_crm/db.py).

Ranked: the records containing every word first — the main field equal to q, then the main
field (or one of its words) starting with q, then the rest — and the near misses after them;
within each, by word similarity (highest first), then the main field (byte order on both
databases), then the id. Every key is computed the same way on both databases, so the order
is the same whatever plan either picks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, text
from sqlmodel import Session

# Below pg_trgm's default (0.6), which misses a letter left out of a long word ("whitfeld"
# for "Whitfield" scores 0.58); set explicitly for every search.
WORD_SIMILARITY = 0.5
EXACT, PREFIX, OTHER = 0, 1, 2


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def prepare(session: Session) -> None:
    """Pin the threshold and plan every search with its real text (see customers/search.py)."""
    if is_postgres(session):
        session.execute(text(f"SET LOCAL pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}"))
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def escape_like(fragment: str) -> str:
    return fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, fragment: str) -> ColumnElement[bool]:
    """lower(column) contains the (lower-case) fragment."""
    return func.lower(column).like(f"%{escape_like(fragment)}%", escape="\\")


def every_word(columns: list[Any], words: list[str]) -> ColumnElement[bool]:
    """Each word in at least one of the columns."""
    return and_(*(or_(*(contains(c, w) for c in columns)) for w in words))


def closeness(session: Session, q: str, column: Any) -> ColumnElement[float]:
    """word_similarity(q, column), pg_trgm's on PostgreSQL, its port on SQLite."""
    name = "word_similarity" if is_postgres(session) else "khs_word_similarity"
    return getattr(func, name)(literal(q), func.lower(column))


def near(session: Session, q: str, column: Any) -> ColumnElement[bool]:
    """q is a near miss of the column (word similarity at least WORD_SIMILARITY)."""
    if is_postgres(session):
        return func.lower(column).op("%>")(literal(q))  # the trigram index answers this
    return closeness(session, q, column) >= WORD_SIMILARITY


def tier(q: str, column: Any) -> ColumnElement[int]:
    """EXACT, PREFIX (the column or one of its words starts with q) or OTHER."""
    low = func.lower(column)
    start = escape_like(q)
    return case(
        (low == q, EXACT),
        (or_(low.like(f"{start}%", escape="\\"), low.like(f"% {start}%", escape="\\")), PREFIX),
        else_=OTHER,
    )


def sort_key(session: Session, column: Any) -> ColumnElement[str]:
    """lower(column) in byte order (PostgreSQL's collation would order some text otherwise)."""
    low = func.lower(column)
    return low.collate("C") if is_postgres(session) else low


def normalise(q: str) -> str:
    """The search text as the rule reads it: printable, single-spaced, lower case."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in q)
    return " ".join(cleaned.split()).lower()
