"""Payments: money received against an invoice, never edited. A refund is a negative
payment, and only the owner records one."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, Invoice, InvoiceStatus, Payment, Role, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from khs_crm.services.money import documents, rules
from khs_crm.services.money.invoices import get_invoice, locked_invoice
from khs_crm.services.money.schemas import PaymentIn


def _amount_refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "amount", "message": message}])


def status_after(invoice: Invoice) -> InvoiceStatus:
    """An invoice's status from what has been paid of it."""
    if invoice.paid > 0 and invoice.paid >= invoice.total:
        return InvoiceStatus.paid
    if invoice.paid > 0:
        return InvoiceStatus.partially_paid
    return InvoiceStatus.sent if invoice.sent_at is not None else InvoiceStatus.draft


def _check(invoice: Invoice, amount, actor: User) -> None:
    if invoice.status == InvoiceStatus.void:
        raise Conflict(
            "This invoice is void: it takes no payments.",
            details=[{"field": "status", "message": "void"}],
        )
    if amount == 0:
        raise _amount_refused("Enter an amount other than 0.")
    if amount < 0 and actor.role != Role.owner:
        raise Forbidden("Only the owner can record a refund.")
    if amount > rules.balance(invoice.total, invoice.paid):
        raise _amount_refused("The payment is larger than what is owed on this invoice.")
    if amount < 0 and -amount > invoice.paid:
        raise _amount_refused("The refund is larger than what was paid on this invoice.")


def record_payment(
    session: Session, *, invoice_id: uuid.UUID, data: PaymentIn, actor: User
) -> tuple[Invoice, Payment]:
    """Record money received (or refunded) and update the invoice's paid amount and status.

    422: zero, more than the balance, or a refund larger than what was paid; 409: a void
    invoice; 403: a refund by anyone but the owner."""
    invoice = locked_invoice(session, invoice_id)
    _check(invoice, data.amount, actor)
    payment = Payment(
        invoice_id=invoice.id,
        amount=data.amount,
        method=data.method,
        received_at=data.received_at or utcnow(),
        reference=data.reference,
        created_by=actor.id,
    )
    session.add(payment)
    old_paid, old_status = invoice.paid, invoice.status
    invoice.paid = old_paid + data.amount
    invoice.status = status_after(invoice)
    documents.touch(invoice)
    session.add(invoice)
    activity.record(
        session,
        actor=actor,
        entity="payment",
        entity_id=payment.id,
        action=ActivityAction.create,
        changes=activity.created(
            {
                "invoice": invoice.number,
                "amount": documents.plain(data.amount),
                "method": str(data.method),
            }
        ),
        job_id=invoice.job_id,
    )
    documents.log(
        session,
        actor=actor,
        doc=invoice,
        action=ActivityAction.update,
        changes={"paid": (old_paid, invoice.paid), "status": (old_status, invoice.status)},
    )
    session.flush()
    return invoice, payment


def list_payments(session: Session, *, invoice_id: uuid.UUID) -> list[Payment]:
    """An invoice's payments and refunds, oldest first."""
    get_invoice(session, invoice_id=invoice_id)
    return list(
        session.exec(
            select(Payment)
            .where(Payment.invoice_id == invoice_id)
            .order_by(col(Payment.received_at), col(Payment.created_at))
        ).all()
    )
