"""What an invoice made from an approved estimate bills: a percentage of each line (and of
the tax, recomputed), or, for a final invoice, all that is left, and the job's approved change
orders (a line each). Never more than the estimate and its approved change orders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import (
    ChangeOrder,
    DocumentLine,
    Estimate,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
)
from khs_crm.services.change_orders.decisions import approved_orders
from khs_crm.services.core.errors import Conflict
from khs_crm.services.money import documents, rules


@dataclass
class Share:
    """One invoice line billing part (or all) of an estimate line."""

    kind: LineKind
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    taxable: bool
    source_line_id: uuid.UUID


def _billing(estimate_id: uuid.UUID):
    return (
        col(Invoice.estimate_id) == estimate_id,
        col(Invoice.status) != InvoiceStatus.void,
        col(Invoice.deleted_at).is_(None),
    )


def billed_so_far(session: Session, estimate: Estimate) -> tuple[dict[uuid.UUID, Decimal], Decimal]:
    """What the estimate's live invoices billed of each of its lines, and of its tax."""
    per_line = session.exec(
        select(DocumentLine.source_line_id, func.sum(DocumentLine.amount))
        .join(Invoice, col(Invoice.id) == DocumentLine.invoice_id)
        .where(*_billing(estimate.id), col(DocumentLine.source_line_id).is_not(None))
        .group_by(col(DocumentLine.source_line_id))
    ).all()
    tax = session.exec(select(func.sum(Invoice.tax)).where(*_billing(estimate.id))).one()
    billed = {line_id: Decimal(total) for line_id, total in per_line if line_id is not None}
    return billed, Decimal(tax or 0) - _change_order_tax(session, list(billed))


def _change_order_tax(session: Session, billed_ids: list[uuid.UUID]) -> Decimal:
    """The tax of the change orders a final invoice billed (not the estimate's tax)."""
    if not billed_ids:
        return rules.ZERO
    tax = session.exec(
        select(func.sum(ChangeOrder.tax)).where(col(ChangeOrder.id).in_(billed_ids))
    ).one()
    return Decimal(tax or 0)


def change_order_shares(
    session: Session, estimate: Estimate, billed: dict[uuid.UUID, Decimal]
) -> tuple[list[Share], Decimal]:
    """A final invoice's lines for the job's approved change orders not billed yet (one line
    each, its subtotal), and their tax."""
    out, tax = [], rules.ZERO
    for order in approved_orders(session, job_id=estimate.job_id):
        if order.id in billed or order.total is None:
            continue
        out.append(
            Share(
                kind=LineKind.other,
                description=f"{order.number}: {order.description}"[:500],
                quantity=Decimal(1),
                unit="",
                unit_price=order.subtotal or rules.ZERO,
                taxable=bool(order.tax),
                source_line_id=order.id,
            )
        )
        tax += order.tax or rules.ZERO
    return out, tax


def shares(
    session: Session, estimate: Estimate, kind: InvoiceKind, percent: Decimal | None
) -> tuple[list[Share], Decimal]:
    """The lines and tax of a new invoice on the estimate: ``percent`` of each line (a final
    invoice: what is left of each), capped by what is left; Conflict when nothing is."""
    billed, billed_tax = billed_so_far(session, estimate)
    out: list[Share] = []
    for line in documents.lines_of(session, estimate):
        done = billed.get(line.id, rules.ZERO)
        if kind == InvoiceKind.final or percent is None:
            amount = line.amount - done
        else:
            amount = rules.percent_share(line.amount, done, percent)
        if amount == 0:
            continue
        out.append(_share(line, amount, whole=done == 0 and amount == line.amount))
    taxable = sum((s.quantity * s.unit_price for s in out if s.taxable), rules.ZERO)
    if kind == InvoiceKind.final or percent is None:
        tax = estimate.tax - billed_tax
        if kind == InvoiceKind.final:  # the approved change orders too
            extra, extra_tax = change_order_shares(session, estimate, billed)
            out, tax = out + extra, tax + extra_tax
    else:
        tax = rules.tax_share(rules.to_cent(taxable), estimate.tax_rate, estimate.tax, billed_tax)
    if not out and tax == 0:
        raise Conflict(
            "Nothing is left to bill on this estimate.",
            details=[{"field": "estimateId", "message": "fully billed"}],
        )
    return out, tax


def _share(line: DocumentLine, amount: Decimal, *, whole: bool) -> Share:
    if whole:  # the whole line, as the estimate has it
        quantity, unit, price = line.quantity, line.unit, line.unit_price
    else:
        quantity, unit, price = Decimal(1), "", amount
    return Share(
        kind=line.kind,
        description=line.description,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        taxable=line.taxable,
        source_line_id=line.id,
    )
