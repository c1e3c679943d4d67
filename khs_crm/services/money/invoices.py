"""Invoices: a share of an approved estimate, or lines of their own; sent as a customer link,
paid (payments.py), or voided. ``draft → sent → partially_paid → paid``; ``void``."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import (
    ActivityAction,
    EstimateStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Job,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.core.common import check_version
from khs_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money import billing, documents, numbering, rules
from khs_crm.services.money.company import get_company
from khs_crm.services.money.estimates import get_estimate
from khs_crm.services.money.schemas import InvoiceCreate, InvoiceUpdate

OPEN = (InvoiceStatus.sent, InvoiceStatus.partially_paid)


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def get_invoice(session: Session, *, invoice_id: uuid.UUID) -> Invoice:
    """A live invoice, or NotFound."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.deleted_at is not None:
        raise NotFound("Invoice not found.")
    return invoice


def locked_invoice(session: Session, invoice_id: uuid.UUID) -> Invoice:
    """The invoice read after taking the writers' lock (nobody changes it until we commit)."""
    lock_writes(session)
    invoice = get_invoice(session, invoice_id=invoice_id)
    session.refresh(invoice)
    return invoice


def _from_estimate(session: Session, invoice: Invoice, job: Job, data: InvoiceCreate) -> None:
    if data.lines is not None:
        raise _refuse("lines", "Give the invoice's own lines or an estimate, not both.")
    assert data.estimate_id is not None
    estimate = get_estimate(session, estimate_id=data.estimate_id)
    if estimate.job_id != job.id:
        raise _refuse("estimateId", "This estimate belongs to another job.")
    if estimate.status != EstimateStatus.approved:
        raise Conflict(
            "Only an approved estimate can be invoiced.",
            details=[{"field": "estimateId", "message": str(estimate.status)}],
        )
    percent = data.percent
    if data.kind == InvoiceKind.final and percent is not None:
        raise _refuse("percent", "A final invoice bills what is left; leave the percent out.")
    if data.kind == InvoiceKind.deposit and percent is None:
        percent = get_company(session).deposit_percent
    if data.kind == InvoiceKind.progress and percent is None:
        raise _refuse("percent", "Give the percentage of the estimate to bill.")
    lines, tax = billing.shares(session, estimate, data.kind, percent)
    invoice.estimate_id, invoice.percent, invoice.tax_rate = estimate.id, percent, estimate.tax_rate
    rows = documents.replace_lines(session, invoice, lines)
    documents.set_totals(
        invoice, rules.totals_of_amounts([(r.amount, r.taxable) for r in rows], tax)
    )


def _own_lines(session: Session, invoice: Invoice, data: InvoiceCreate | InvoiceUpdate) -> None:
    if data.lines is None:
        raise _refuse("lines", "Give the invoice's lines, or an approved estimate to bill.")
    if isinstance(data, InvoiceCreate) and data.percent is not None:
        raise _refuse("percent", "A percentage bills an estimate: give its estimateId.")
    if data.tax_rate is not None:
        invoice.tax_rate = data.tax_rate
    rows = documents.replace_lines(session, invoice, data.lines)
    documents.set_totals(invoice, rules.totals(rows, invoice.tax_rate))


def create_invoice(
    session: Session, *, job_id: uuid.UUID, data: InvoiceCreate, actor: User
) -> Invoice:
    """A new draft invoice for a job, numbered ``INV-0001``…, due after the payment terms."""
    job = get_visible_job(session, job_id=job_id, user=actor)
    lock_writes(session)
    company = get_company(session)
    invoice = Invoice(
        job_id=job.id,
        customer_id=job.customer_id,
        kind=data.kind,
        number=numbering.format_number(
            company.invoice_prefix, numbering.next_number(session, "invoice")
        ),
        tax_rate=company.default_tax_rate,
        due_date=data.due_date or documents.today() + timedelta(days=company.payment_terms_days),
        notes=data.notes,
        created_by=actor.id,
    )
    session.add(invoice)
    if data.estimate_id is not None:
        _from_estimate(session, invoice, job, data)
    else:
        _own_lines(session, invoice, data)
    documents.log(
        session,
        actor=actor,
        doc=invoice,
        action=ActivityAction.create,
        created={"number": invoice.number, "kind": invoice.kind, "total": invoice.total},
    )
    session.flush()
    return invoice


def update_invoice(
    session: Session,
    *,
    invoice_id: uuid.UUID,
    data: InvoiceUpdate,
    actor: User,
    expected_version: int | None = None,
) -> Invoice:
    """Change a draft (409 otherwise): its due date and notes, and, when it has lines of its
    own (not a share of an estimate), its lines and tax rate."""
    invoice = locked_invoice(session, invoice_id)
    check_version(invoice, expected_version)
    if invoice.status != InvoiceStatus.draft:
        raise Conflict(
            "Only a draft invoice can be changed.",
            details=[{"field": "status", "message": str(invoice.status)}],
        )
    old_total = invoice.total
    if data.lines is not None or data.tax_rate is not None:
        if invoice.estimate_id is not None:
            raise Conflict(
                "This invoice bills a share of an estimate: void it and make another.",
                details=[{"field": "lines", "message": "from an estimate"}],
            )
        if data.lines is None:
            data = data.model_copy(update={"lines": documents.lines_of(session, invoice)})
        _own_lines(session, invoice, data)
    if data.due_date is not None:
        invoice.due_date = data.due_date
    if data.notes is not None:
        invoice.notes = data.notes
    documents.save(
        session,
        invoice,
        actor=actor,
        action=ActivityAction.update,
        changes={"total": (old_total, invoice.total)},
    )
    return invoice


def send_invoice(session: Session, *, invoice_id: uuid.UUID, actor: User) -> tuple[Invoice, str]:
    """Mark a draft sent (an open invoice: again) with a new customer link token."""
    invoice = locked_invoice(session, invoice_id)
    if invoice.status in (InvoiceStatus.void, InvoiceStatus.paid):
        raise Conflict(
            "A paid or void invoice cannot be sent.",
            details=[{"field": "status", "message": str(invoice.status)}],
        )
    old = invoice.status
    token = documents.new_link(invoice)
    if invoice.status == InvoiceStatus.draft:
        invoice.status = InvoiceStatus.sent
    invoice.sent_at = utcnow()
    documents.save(
        session,
        invoice,
        actor=actor,
        action=ActivityAction.status,
        changes={"status": (old, invoice.status)},
    )
    return invoice, token


def revoke_link(session: Session, *, invoice_id: uuid.UUID, actor: User) -> Invoice:
    """The invoice's customer link stops working (404)."""
    invoice = locked_invoice(session, invoice_id)
    documents.revoke_link(session, invoice, actor=actor)
    return invoice


def void_invoice(session: Session, *, invoice_id: uuid.UUID, actor: User) -> Invoice:
    """Void an invoice that holds no money (409 otherwise: refund first); its link dies and
    what it billed of an estimate is free to bill again."""
    invoice = locked_invoice(session, invoice_id)
    if invoice.status == InvoiceStatus.void:
        raise Conflict(
            "This invoice is already void.", details=[{"field": "status", "message": "void"}]
        )
    if invoice.paid != 0:
        raise Conflict(
            "This invoice has payments: refund them before voiding it.",
            details=[{"field": "paid", "message": documents.money_text(invoice.paid) or ""}],
        )
    old = invoice.status
    invoice.status, invoice.voided_at, invoice.link_hash = InvoiceStatus.void, utcnow(), None
    documents.save(
        session,
        invoice,
        actor=actor,
        action=ActivityAction.status,
        changes={"status": (old, invoice.status)},
    )
    return invoice


def list_invoices(
    session: Session,
    *,
    job_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    status: InvoiceStatus | None = None,
    overdue: bool | None = None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[Invoice], int]:
    """A page of invoices, newest first, and how many there are. ``overdue``: open and past
    the due date (false: not overdue)."""
    conditions: list[Any] = [col(Invoice.deleted_at).is_(None)]
    if job_id is not None:
        conditions.append(col(Invoice.job_id) == job_id)
    if customer_id is not None:
        conditions.append(col(Invoice.customer_id) == customer_id)
    if status is not None:
        conditions.append(col(Invoice.status) == status)
    late = col(Invoice.status).in_(OPEN) & (col(Invoice.due_date) < documents.today())
    if overdue is not None:
        conditions.append(late if overdue else ~late)
    total = session.exec(select(func.count()).select_from(Invoice).where(*conditions)).one()
    rows = session.exec(
        select(Invoice)
        .where(*conditions)
        .order_by(col(Invoice.created_at).desc(), col(Invoice.number).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def is_overdue(invoice: Invoice) -> bool:
    return (
        invoice.status in OPEN
        and invoice.due_date is not None
        and invoice.due_date < documents.today()
    )
