"""Who sees and sets a change order's prices: the one place.

Workers never receive money fields, with one exception, decided here: a worker the owner
allowed to price change orders (``mayPriceChangeOrders``: a ``change_order_pricers`` row)
prices and sees the prices of the change orders of their own jobs (the jobs they are on).
The office always does. Every route and the pull show a change order through ``as_seen_by``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, col, select

from khs_crm.models import ChangeOrder, ChangeOrderPricer, JobAssignment, User
from khs_crm.services.core.access import is_office

MONEY_FIELDS = ("subtotal", "tax", "total", "tax_rate")


def may_price(session: Session, user: User) -> bool:
    """The office, or a person the owner allowed."""
    return is_office(user) or session.get(ChangeOrderPricer, user.id) is not None


def priced_jobs(session: Session, user: User, job_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these jobs, those whose change orders' prices the user may see (one query)."""
    ids = set(job_ids)
    if is_office(user):
        return ids
    if not ids or not may_price(session, user):
        return set()
    own = session.exec(
        select(JobAssignment.job_id).where(
            col(JobAssignment.user_id) == user.id, col(JobAssignment.job_id).in_(ids)
        )
    ).all()
    return set(own)


def sees_prices(session: Session, user: User, job_id: uuid.UUID) -> bool:
    """Whether the user may see (and send) prices on this job's change orders."""
    return job_id in priced_jobs(session, user, [job_id])


def unpriced(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The lines without their prices ("to be priced by the office")."""
    return [{**line, "unitPrice": None} for line in lines]


def has_prices(lines: Iterable[Mapping[str, Any]]) -> bool:
    return any(line.get("unitPrice") is not None for line in lines)


def without_prices(row: Any) -> SimpleNamespace:
    """A copy of the row with no money in it (the row itself is left as it is)."""
    table = ChangeOrder.__table__  # type: ignore[attr-defined]
    copy = SimpleNamespace(**{c.name: getattr(row, c.name, None) for c in table.columns})
    copy.lines = unpriced(row.lines or [])
    for name in MONEY_FIELDS:
        setattr(copy, name, None)
    return copy


def as_seen_by(session: Session, user: User, rows: list[Any]) -> list[Any]:
    """The rows as this user may receive them: priced, or copies without prices."""
    allowed = priced_jobs(session, user, {row.job_id for row in rows if row is not None})
    return [row if row is None or row.job_id in allowed else without_prices(row) for row in rows]
