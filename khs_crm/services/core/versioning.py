"""The global change counter: every syncable write takes the next number."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from khs_crm.models import ChangeCounter


def next_version(session: Session) -> int:
    """Take the next change number inside the caller's transaction.

    The UPDATE locks the counter row until the transaction ends, so writers commit in
    version order and a pull never sees version N+1 while N is still in flight.
    """
    result = session.execute(
        update(ChangeCounter)
        .where(col(ChangeCounter.id) == 1)
        .values(value=ChangeCounter.value + 1)
        .returning(col(ChangeCounter.value))
    )
    value = result.scalar_one_or_none()
    if value is None:
        session.add(ChangeCounter(id=1, value=1))
        session.flush()
        return 1
    return int(value)


def reserve_versions(session: Session, count: int) -> range:
    """Take ``count`` consecutive change numbers in one go (bulk writes). Does not commit.

    Same lock as next_version, without one UPDATE (and one flush) per row.
    """
    if count < 1:
        return range(0)
    first = next_version(session)
    if count <= 1:
        return range(first, first + 1)
    last = session.execute(
        update(ChangeCounter)
        .where(col(ChangeCounter.id) == 1)
        .values(value=ChangeCounter.value + (count - 1))
        .returning(col(ChangeCounter.value))
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return range(first, last + 1)


def current_version(session: Session) -> int:
    """The last change number handed out (committed or not)."""
    counter = session.get(ChangeCounter, 1)
    return counter.value if counter else 0


def lock_writes(session: Session) -> None:
    """Take the writers' lock now, without using a number (PostgreSQL: the counter row's lock;
    SQLite's ``BEGIN IMMEDIATE`` already holds its write lock). Held until the transaction
    ends, so what this transaction reads next stays as read."""
    session.execute(
        update(ChangeCounter)
        .where(col(ChangeCounter.id) == 1)
        .values(value=ChangeCounter.value)
        .execution_options(synchronize_session=False)
    )
