"""Document numbers: one counter per kind, taken inside the document's own transaction.

``UPDATE document_counters SET value = value + 1 ... RETURNING value`` locks the kind's row
until the transaction ends (PostgreSQL: a row lock; SQLite: the database's write lock, taken
by ``BEGIN IMMEDIATE``), so two concurrent creations get consecutive numbers, and a creation
that rolls back gives its number back: no gaps, no duplicates. A deleted draft keeps its
number (a tombstone), so the sequence stays whole.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from khs_crm.models import DocumentCounter

DIGITS = 4


def _bump(session: Session, kind: str) -> int | None:
    result = session.execute(
        update(DocumentCounter)
        .where(col(DocumentCounter.kind) == kind)
        .values(value=DocumentCounter.value + 1)
        .returning(col(DocumentCounter.value))
        .execution_options(synchronize_session=False)
    )
    value = result.scalar_one_or_none()
    return int(value) if value is not None else None


def next_number(session: Session, kind: str) -> int:
    """The next number of ``kind`` (1, 2, ...), held until the caller's transaction ends."""
    value = _bump(session, kind)
    if value is not None:
        return value
    try:  # the kind's first number ever (the migration creates the usual kinds' rows)
        with session.begin_nested():
            session.add(DocumentCounter(kind=kind, value=0))
    except IntegrityError:
        pass  # someone else created it meanwhile: their row is now ours to bump
    value = _bump(session, kind)
    assert value is not None
    return value


def format_number(prefix: str, value: int) -> str:
    """``E-0001``: the prefix and the number, at least four digits."""
    return f"{prefix}{value:0{DIGITS}d}"
