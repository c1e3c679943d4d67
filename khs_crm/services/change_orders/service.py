"""Change orders written up on a phone (through sync) or in the office: created, edited while
``draft``, signed (frozen). Pricing and decisions: decisions.py. Contract: docs/change_orders.md."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, ChangeOrder, ChangeOrderStatus, User
from khs_crm.services.change_orders import content, prices
from khs_crm.services.change_orders.refusals import ChangeOrderRefused, PriceNotAllowed
from khs_crm.services.change_orders.schemas import ChangeOrderIn, DeviceChangeOrder, SignatureIn
from khs_crm.services.core import activity
from khs_crm.services.core.access import get_visible_job, is_office
from khs_crm.services.core.common import check_version, mark_written, stamp_fields
from khs_crm.services.core.errors import NotFound, ValidationFailed, id_taken
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money import numbering, rules
from khs_crm.services.money.company import get_company
from khs_crm.services.sync import messages

ENTITY = "change_order"
PREFIX = "CO-"
NOT_FOUND = messages.NOT_FOUND[ENTITY]
EDITABLE = ("description", "lines", "photo_ids")


def get_change_order(session: Session, *, change_order_id: uuid.UUID, user: User) -> ChangeOrder:
    """A live change order the user may see (a worker: their jobs'), or NotFound."""
    row = session.get(ChangeOrder, change_order_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(NOT_FOUND)
    get_visible_job(session, job_id=row.job_id, user=user)
    return row


def label(row: ChangeOrder) -> str:
    return f"{row.number}"


def _line_dicts(lines: list[Any]) -> list[dict[str, Any]]:
    return [
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
        for line in lines
    ]


class _Line:
    """A stored line as the money rules read it."""

    def __init__(self, line: dict[str, Any]) -> None:
        self.quantity = Decimal(line["quantity"])
        self.unit_price = Decimal(line["unitPrice"])
        self.taxable = bool(line["taxable"])


def set_totals(row: ChangeOrder) -> None:
    """Subtotal, tax and total per the money rules; None while a line is unpriced."""
    lines = row.lines or []
    if any(line.get("unitPrice") is None for line in lines):
        row.subtotal = row.tax = row.total = None
        return
    result = rules.totals([_Line(line) for line in lines], row.tax_rate)
    if rules.total_problem(result):
        raise ValidationFailed(
            "A change order's total cannot be below zero or too large.",
            details=[{"field": "lines", "message": "total out of range"}],
        )
    row.subtotal, row.tax, row.total = result.subtotal, result.tax, result.total


def _check_prices(session: Session, actor: User, job_id: uuid.UUID, lines: list[Any]) -> None:
    if any(line.unit_price is not None for line in lines) and not prices.sees_prices(
        session, actor, job_id
    ):
        raise PriceNotAllowed()


def create_change_order(
    session: Session,
    *,
    job_id: uuid.UUID,
    data: ChangeOrderIn | DeviceChangeOrder,
    actor: User,
    change_order_id: uuid.UUID | None = None,
) -> ChangeOrder:
    """A new draft numbered ``CO-0001``… (the server's number, given once, here); a phone's
    create that carries a signature is signed at once."""
    job = get_visible_job(session, job_id=job_id, user=actor)
    if change_order_id is not None and session.get(ChangeOrder, change_order_id) is not None:
        raise id_taken()
    lines = list(data.lines or [])
    _check_prices(session, actor, job.id, lines)
    if isinstance(data, DeviceChangeOrder) and data.status == "signed" and not data.signature:
        raise _needs_signature()
    lock_writes(session)
    number = numbering.format_number(PREFIX, numbering.next_number(session, ENTITY))
    row = ChangeOrder(
        id=change_order_id or uuid.uuid4(),
        job_id=job.id,
        number=number,
        description=data.description or "",
        lines=_line_dicts(lines),
        photo_ids=[str(p) for p in data.photo_ids or []],
        tax_rate=get_company(session).default_tax_rate,
        created_by=actor.id,
    )
    set_totals(row)
    mark_written(session, row)
    log(session, actor, row, ActivityAction.create, created={"number": number})
    if isinstance(data, DeviceChangeOrder) and data.signature is not None:
        sign(session, row=row, signature=data.signature, actor=actor)
    session.flush()
    return row


def _needs_signature() -> ValidationFailed:
    return ValidationFailed(
        "A change order is signed by sending its signature.",
        details=[{"field": "signature", "message": "required to sign"}],
    )


def frozen(row: ChangeOrder, field: str = "status") -> ChangeOrderRefused:
    return ChangeOrderRefused(messages.CO_SIGNED, {"label": row.number}, field=field)


def device_update(
    session: Session, *, row: ChangeOrder, data: DeviceChangeOrder, actor: User
) -> ChangeOrder:
    """A phone's edit of a draft and/or its signature. Anything sent to a change order that
    is no longer a draft is refused (kept for the office)."""
    fields = data.model_dump(exclude_unset=True, include={"description", "lines", "photo_ids"})
    if data.job_id is not None and data.job_id != row.job_id:
        raise ValidationFailed(
            "A change order stays on its job.", details=[{"field": "jobId", "message": "fixed"}]
        )
    if row.status != ChangeOrderStatus.draft:
        raise frozen(row, next(iter(fields), "signature" if data.signature else "status"))
    if data.status == "signed" and data.signature is None:
        raise _needs_signature()
    if data.lines is not None:
        _check_prices(session, actor, row.job_id, data.lines)
        fields["lines"] = _line_dicts(data.lines)
    if data.photo_ids is not None:
        fields["photo_ids"] = [str(p) for p in data.photo_ids]
    _change(session, row, fields, actor)
    if data.signature is not None:
        sign(session, row=row, signature=data.signature, actor=actor)
    session.flush()
    return row


def office_update(
    session: Session,
    *,
    change_order_id: uuid.UUID,
    data: ChangeOrderIn,
    actor: User,
    expected_version: int | None = None,
) -> ChangeOrder:
    """Replace a draft's description, lines and photos (409 once signed; 412 if stale)."""
    lock_writes(session)
    row = get_change_order(session, change_order_id=change_order_id, user=actor)
    session.refresh(row)
    check_version(row, expected_version)
    if row.status != ChangeOrderStatus.draft:
        raise frozen(row)
    fields = {
        "description": data.description,
        "lines": _line_dicts(data.lines),
        "photo_ids": [str(p) for p in data.photo_ids],
    }
    _change(session, row, fields, actor)
    session.flush()
    return row


def _change(session: Session, row: ChangeOrder, fields: dict[str, Any], actor: User) -> None:
    old = {name: getattr(row, name) for name in fields}
    changed = {name: value for name, value in fields.items() if old[name] != value}
    if not changed:
        return
    for name, value in changed.items():
        setattr(row, name, value)
    set_totals(row)
    mark_written(session, row)
    stamp_fields(row, changed)
    log(session, actor, row, ActivityAction.update, {n: (old[n], v) for n, v in changed.items()})


def sign(session: Session, *, row: ChangeOrder, signature: SignatureIn, actor: User) -> None:
    """The customer signed on the phone: the hash of what they signed is computed here and
    stored; a hash the phone sent that differs is refused (the document changed between
    display and signature). A signer who does not see prices signs the unpriced lines."""
    if not prices.sees_prices(session, actor, row.job_id) and prices.has_prices(row.lines):
        row.lines = prices.unpriced(row.lines)
        set_totals(row)
    said = {"name": signature.name, "signedAt": signature.signed_at}
    digest = content.hash_of_row(row, said)
    if signature.content_hash is not None and signature.content_hash != digest:
        raise ChangeOrderRefused(messages.CO_CHANGED, {"label": row.number}, field="signature")
    stored: dict[str, Any] = {
        "name": signature.name,
        "svgPath": signature.svg_path,
        "signedAt": signature.signed_at,
        "contentHash": digest,
    }
    if signature.location is not None:
        stored["location"] = signature.location.model_dump(exclude_none=True)
    row.signature = stored
    row.status = ChangeOrderStatus.signed
    mark_written(session, row)
    stamp_fields(row, ["signature", "status", "lines"])
    log(
        session,
        actor,
        row,
        ActivityAction.status,
        {"status": ("draft", "signed"), "signed_by": (None, signature.name)},
    )


def log(
    session: Session,
    actor: User | None,
    row: ChangeOrder,
    action: ActivityAction,
    changes: dict[str, tuple[Any, Any]] | None = None,
    *,
    created: dict[str, Any] | None = None,
) -> None:
    """The activity row of a change-order change, on its job's timeline."""
    said = activity.created(created) if created is not None else activity.diff(changes or {})
    activity.record(
        session,
        actor=actor,
        entity=ENTITY,
        entity_id=row.id,
        action=action,
        changes=said,
        job_id=row.job_id,
    )


def list_change_orders(
    session: Session,
    *,
    user: User,
    status: ChangeOrderStatus | None = None,
    job_id: uuid.UUID | None = None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[ChangeOrder], int]:
    """A page of live change orders, newest first (a worker: their jobs' only)."""
    query = select(ChangeOrder).where(col(ChangeOrder.deleted_at).is_(None))
    if status is not None:
        query = query.where(ChangeOrder.status == status)
    if job_id is not None:
        query = query.where(ChangeOrder.job_id == job_id)
    if not is_office(user):
        query = query.where(col(ChangeOrder.job_id).in_(_own_jobs(user)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(ChangeOrder.created_at).desc(), col(ChangeOrder.number).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def _own_jobs(user: User) -> Any:
    from khs_crm.models import JobAssignment

    return select(JobAssignment.job_id).where(JobAssignment.user_id == user.id)
