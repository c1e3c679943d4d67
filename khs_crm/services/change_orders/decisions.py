"""What happens to a signed change order: the office prices it (a priced revision, sent to
the customer with a link), the customer approves or declines it there, the office approves
(added to the contract) or rejects it. And who may price change orders (the owner decides)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from khs_crm.models import (
    ActivityAction,
    ChangeOrder,
    ChangeOrderPricer,
    ChangeOrderStatus,
    Role,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.change_orders import content
from khs_crm.services.change_orders.schemas import PricingIn
from khs_crm.services.change_orders.service import (
    ENTITY,
    PREFIX,
    get_change_order,
    log,
    set_totals,
)
from khs_crm.services.core import activity
from khs_crm.services.core.access import require_office
from khs_crm.services.core.common import mark_written
from khs_crm.services.core.errors import Conflict, Forbidden, NotFound
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money import documents, numbering, rules
from khs_crm.services.money.company import get_company

S = ChangeOrderStatus


def _locked(session: Session, change_order_id: uuid.UUID, actor: User) -> ChangeOrder:
    require_office(actor, "decide change orders")
    lock_writes(session)
    row = get_change_order(session, change_order_id=change_order_id, user=actor)
    session.refresh(row)
    return row


def _not_now(row: ChangeOrder, wanted: str) -> Conflict:
    return Conflict(
        f"Change order {row.number} is {row.status}; it cannot be {wanted} now.",
        details=[{"field": "status", "message": str(row.status)}],
    )


def _intact(row: ChangeOrder) -> None:
    """What the customer signed must still be what is stored before the office builds on it:
    a change order changed after signing is neither priced nor approved (a new one is made)."""
    if content.integrity(row) == "mismatch":
        raise Conflict(
            f"Change order {row.number} was changed after it was signed; it cannot be priced "
            "or approved. Write a new change order for the customer to sign.",
            details=[{"field": "signature", "message": "mismatch"}],
        )


def _move(session: Session, row: ChangeOrder, status: S, actor: User | None, **more) -> None:
    old = row.status
    row.status = status
    mark_written(session, row)
    changes = {"status": (str(old), str(status))} | {k: (None, v) for k, v in more.items()}
    log(session, actor, row, ActivityAction.status, changes)
    session.flush()


def price(
    session: Session, *, change_order_id: uuid.UUID, data: PricingIn, actor: User
) -> tuple[ChangeOrder, str]:
    """A priced revision of a signed, unpriced change order: its own number, these lines and
    the tax rate, ``sent`` with a customer link (the token, shown once, is returned)."""
    original = _locked(session, change_order_id, actor)
    if original.status != S.signed or original.total is not None:
        raise _not_now(original, "priced")
    _intact(original)
    if session.exec(select(ChangeOrder.id).where(ChangeOrder.revises_id == original.id)).first():
        raise Conflict(
            f"Change order {original.number} is already priced.",
            details=[{"field": "status", "message": "revised"}],
        )
    lines = [
        content.stored_line(
            {
                "kind": line.kind,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unitPrice": line.unit_price,
                "taxable": line.taxable,
            }
        )
        for line in data.lines
    ]
    number = numbering.format_number(PREFIX, numbering.next_number(session, ENTITY))
    rate = data.tax_rate if data.tax_rate is not None else get_company(session).default_tax_rate
    revision = ChangeOrder(
        job_id=original.job_id,
        number=number,
        description=original.description,
        lines=lines,
        photo_ids=list(original.photo_ids or []),
        tax_rate=rate,
        revises_id=original.id,
        status=S.sent,
        sent_at=utcnow(),
        created_by=actor.id,
    )
    set_totals(revision)
    token = documents.new_link(revision)  # type: ignore[arg-type]
    mark_written(session, revision)
    log(
        session,
        actor,
        revision,
        ActivityAction.create,
        created={"number": number, "revises": original.number, "total": _text(revision)},
    )
    session.flush()
    return revision, token


def _text(row: ChangeOrder) -> str | None:
    return documents.money_text(row.total)


def approve(session: Session, *, change_order_id: uuid.UUID, actor: User) -> ChangeOrder:
    """The office adds a signed, priced change order to the job's contract."""
    row = _locked(session, change_order_id, actor)
    if row.status != S.signed:
        raise _not_now(row, "approved")
    _intact(row)
    if row.total is None:
        raise Conflict(
            f"Change order {row.number} has no price yet: price it first.",
            details=[{"field": "lines", "message": "unpriced"}],
        )
    row.decided_by, row.decided_at = actor.id, utcnow()
    _move(session, row, S.approved, actor)
    return row


def reject(
    session: Session, *, change_order_id: uuid.UUID, reason: str, actor: User
) -> ChangeOrder:
    """The office turns a signed (or sent) change order down."""
    row = _locked(session, change_order_id, actor)
    if row.status not in (S.signed, S.sent):
        raise _not_now(row, "rejected")
    row.decided_by, row.decided_at, row.decision_reason = actor.id, utcnow(), reason
    row.link_hash = None
    _move(session, row, S.rejected, actor, reason=reason)
    return row


def for_link(session: Session, *, token: str) -> ChangeOrder:
    """The priced revision behind a customer link, or NotFound."""
    row = None
    if token and len(token) <= 100:
        digest = documents.hash_token(token)
        row = session.exec(select(ChangeOrder).where(ChangeOrder.link_hash == digest)).first()
    if row is None or row.deleted_at is not None:
        raise NotFound("This link does not work any more.")
    return row


def _open(session: Session, token: str) -> ChangeOrder:
    lock_writes(session)
    row = for_link(session, token=token)
    session.refresh(row)
    if row.status != S.sent:
        raise Conflict(
            "This change order has already been answered or is no longer open.",
            details=[{"field": "status", "message": str(row.status)}],
        )
    return row


def customer_approve(
    session: Session, *, token: str, name: str, ip: str, user_agent: str
) -> ChangeOrder:
    """The customer approves the priced revision, once: it is signed by their typed name (its
    content hashed as a phone's signature is), for the office to approve."""
    row = _open(session, token)
    now = utcnow()
    signed_at = now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    said = {"name": name[:200], "signedAt": signed_at}
    row.signature = {**said, "svgPath": "", "contentHash": content.hash_of_row(row, said)}
    row.answered_name, row.answered_at = name[:200], now
    row.answered_ip, row.answered_user_agent = ip[:64], user_agent[:500]
    _move(session, row, S.signed, None, signed_by=row.answered_name)
    return row


def customer_decline(session: Session, *, token: str, reason: str) -> ChangeOrder:
    """The customer declines the priced revision (a reason is optional); once."""
    row = _open(session, token)
    row.answered_at, row.decline_reason = utcnow(), reason[:2000]
    _move(session, row, S.declined, None, reason=row.decline_reason)
    return row


def may_price(session: Session, *, user_id: uuid.UUID) -> bool:
    return session.get(ChangeOrderPricer, user_id) is not None


def set_may_price(session: Session, *, user_id: uuid.UUID, allowed: bool, actor: User) -> bool:
    """The owner allows a person to price change orders (or stops it); logged."""
    if actor.role != Role.owner:
        raise Forbidden("Only the owner can decide who prices change orders.")
    person = session.get(User, user_id)
    if person is None:
        raise NotFound("Person not found.")
    lock_writes(session)
    row = session.get(ChangeOrderPricer, user_id)
    if (row is not None) == allowed:
        return allowed
    if allowed:
        session.add(ChangeOrderPricer(user_id=user_id, granted_by=actor.id))
    else:
        session.delete(row)
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user_id,
        action=ActivityAction.update,
        changes=activity.diff({"may_price_change_orders": (not allowed, allowed)}),
    )
    session.flush()
    return allowed


def approved_value(session: Session, *, job_id: uuid.UUID) -> tuple[Decimal, Decimal]:
    """The job's approved change orders' totals and their tax (what they add to the
    contract)."""
    total, tax = session.exec(
        select(func.sum(ChangeOrder.total), func.sum(ChangeOrder.tax)).where(
            ChangeOrder.job_id == job_id,
            ChangeOrder.status == S.approved,
            col(ChangeOrder.deleted_at).is_(None),
        )
    ).one()
    return rules.to_cent(Decimal(total or 0)), rules.to_cent(Decimal(tax or 0))


def approved_orders(session: Session, *, job_id: uuid.UUID) -> list[ChangeOrder]:
    """The job's approved change orders, in number order."""
    return list(
        session.exec(
            select(ChangeOrder)
            .where(
                ChangeOrder.job_id == job_id,
                ChangeOrder.status == S.approved,
                col(ChangeOrder.deleted_at).is_(None),
            )
            .order_by(col(ChangeOrder.number))
        ).all()
    )


def signed_date(row: ChangeOrder) -> datetime | None:
    """When it was signed (the phone's time), for the PDF."""
    if not row.signature:
        return None
    try:
        return datetime.fromisoformat(str(row.signature["signedAt"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
