"""The office's lists of change orders: what waits for a price, what waits for approval, what
was sent to the customer, what was approved (docs/change_orders.md). A signed original that
was priced stays ``signed`` and unpriced; its priced revision (``revises_id``) carries on, so
"to price" leaves out originals that already have one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ChangeOrder, ChangeOrderPricer, ChangeOrderStatus, User
from khs_crm.services.core.access import require_office

S = ChangeOrderStatus
VIEWS = ("to_price", "signed", "sent", "approved", "")  # "": every change order


def _revised() -> Any:
    return select(ChangeOrder.revises_id).where(col(ChangeOrder.revises_id).is_not(None))


def _where(view: str) -> list[Any]:
    """The conditions of one office view (``""``: none)."""
    if view == "to_price":
        return [
            ChangeOrder.status == S.signed,
            col(ChangeOrder.total).is_(None),
            col(ChangeOrder.id).not_in(_revised()),
        ]
    if view == "signed":  # signed and priced: for the office to approve or reject
        return [ChangeOrder.status == S.signed, col(ChangeOrder.total).is_not(None)]
    if view in ("sent", "approved"):
        return [ChangeOrder.status == S(view)]
    return []


def office_list(
    session: Session,
    *,
    user: User,
    view: str = "",
    job_id: uuid.UUID | None = None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[ChangeOrder], int]:
    """A page of live change orders in one office view, newest first, and how many there are."""
    require_office(user, "list change orders")
    query = select(ChangeOrder).where(col(ChangeOrder.deleted_at).is_(None), *_where(view))
    if job_id is not None:
        query = query.where(ChangeOrder.job_id == job_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(ChangeOrder.created_at).desc(), col(ChangeOrder.number).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def view_counts(session: Session, *, user: User) -> dict[str, int]:
    """How many change orders each office view holds (for its tab)."""
    require_office(user, "list change orders")
    live = col(ChangeOrder.deleted_at).is_(None)
    return {
        view: session.exec(
            select(func.count()).select_from(ChangeOrder).where(live, *_where(view))
        ).one()
        for view in VIEWS
    }


def revisions_of(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ChangeOrder]:
    """The priced revision of each of these change orders that has one, by original id."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(ChangeOrder).where(
            col(ChangeOrder.revises_id).in_(wanted), col(ChangeOrder.deleted_at).is_(None)
        )
    ).all()
    return {row.revises_id: row for row in rows if row.revises_id is not None}


def pricers(session: Session, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these people, those the owner allowed to price change orders (one query)."""
    wanted = list(user_ids)
    if not wanted:
        return set()
    found = session.exec(
        select(ChangeOrderPricer.user_id).where(col(ChangeOrderPricer.user_id).in_(wanted))
    ).all()
    return set(found)
