"""One estimate or invoice as its office page shows it, and a payment as the office types it."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import Estimate, EstimateStatus, Invoice, InvoiceStatus, Payment
from khs_crm.office.money import (
    ESTIMATE_STATUSES,
    INVOICE_KINDS,
    INVOICE_STATUSES,
    LINE_KINDS,
    METHODS,
    day_text,
    money,
    names,
)
from khs_crm.office.money_lines import LineDraft, draft_of
from khs_crm.office.views import company_tz, when
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.money import documents
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money import invoices as invoice_service
from khs_crm.services.money import payments as payment_service
from khs_crm.services.money.documents import number_text
from khs_crm.services.money.schemas import PaymentIn

AMOUNT = re.compile(r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$")


class DocHead(BaseModel):
    """What an estimate's and an invoice's pages both show at the top."""

    id: str = ""
    number: str = ""
    status: str = ""
    status_label: str = ""
    customer: str = ""
    customer_id: str = ""
    job: str = ""
    job_id: str = ""
    tax_rate: str = ""
    notes: str = ""
    subtotal: str = ""
    tax: str = ""
    total: str = ""
    link_active: bool = False
    pdf_href: str = ""
    version: int = 0


class EstimateView(DocHead):
    valid_until: str = ""  # yyyy-mm-dd, for the date input
    editable: bool = False
    sendable: bool = False
    answer: str = ""  # who approved or declined it, and when


class LineRow(BaseModel):
    kind: str
    description: str
    quantity: str
    unit: str
    unit_price: str
    taxable: bool
    amount: str


class PaymentRow(BaseModel):
    when: str
    amount: str
    method: str
    reference: str
    refund: bool


class InvoiceView(DocHead):
    kind: str = ""
    due: str = ""
    paid: str = ""
    balance: str = ""
    overdue: bool = False
    open: bool = False  # takes payments
    voidable: bool = False
    estimate_id: str = ""


def _head(session: Session, doc: Estimate | Invoice, kind: str) -> dict:
    named = names(session, [doc])
    return {
        "id": str(doc.id),
        "number": doc.number,
        "customer": named.get(doc.customer_id, ""),
        "customer_id": str(doc.customer_id),
        "job": named.get(doc.job_id, ""),
        "job_id": str(doc.job_id),
        "tax_rate": number_text(doc.tax_rate) or "0",
        "notes": doc.notes,
        "subtotal": money(doc.subtotal),
        "tax": money(doc.tax),
        "total": money(doc.total),
        "link_active": doc.link_hash is not None,
        "pdf_href": f"/api/{kind}/{doc.id}/pdf",
        "version": doc.version,
    }


def _answer(doc: Estimate) -> str:
    if doc.approved_at is not None:
        return N_("Approved by {name} on {day}.").format(
            name=doc.approved_name, day=when(doc.approved_at)
        )
    if doc.declined_at is not None:
        reason = f": “{doc.decline_reason}”" if doc.decline_reason else "."
        return f"Declined on {when(doc.declined_at)}{reason}"
    return ""


def estimate_view(session: Session, doc: Estimate) -> tuple[EstimateView, list[LineDraft]]:
    status = estimate_service.status_of(doc)
    view = EstimateView(
        **_head(session, doc, "estimates"),
        status=str(status),
        status_label=ESTIMATE_STATUSES.get(str(status), str(status)),
        valid_until=doc.valid_until.isoformat() if doc.valid_until else "",
        editable=status == EstimateStatus.draft,
        sendable=status in (EstimateStatus.draft, EstimateStatus.sent),
        answer=_answer(doc),
    )
    return view, [draft_of(row) for row in documents.lines_of(session, doc)]


def line_row(line: LineDraft) -> LineRow:
    return LineRow(
        kind=LINE_KINDS.get(line.kind, line.kind),
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=money(Decimal(line.unit_price)),
        taxable=line.taxable,
        amount=line.amount,
    )


def payment_row(payment: Payment) -> PaymentRow:
    return PaymentRow(
        when=when(payment.received_at),
        amount=money(payment.amount),
        method=METHODS.get(str(payment.method), str(payment.method)),
        reference=payment.reference,
        refund=payment.amount < 0,
    )


def invoice_view(
    session: Session, doc: Invoice
) -> tuple[InvoiceView, list[LineRow], list[PaymentRow]]:
    overdue = invoice_service.is_overdue(doc)
    status = str(doc.status)
    view = InvoiceView(
        **_head(session, doc, "invoices"),
        status=status,
        status_label=N_("Overdue") if overdue else INVOICE_STATUSES.get(status, status),
        kind=INVOICE_KINDS.get(str(doc.kind), str(doc.kind)),
        due=day_text(doc.due_date),
        paid=money(doc.paid),
        balance=money(doc.total - doc.paid),
        overdue=overdue,
        open=doc.status != InvoiceStatus.void,
        voidable=doc.status != InvoiceStatus.void and doc.paid == 0,
        estimate_id=str(doc.estimate_id or ""),
    )
    lines = [line_row(draft_of(row)) for row in documents.lines_of(session, doc)]
    paid = payment_service.list_payments(session, invoice_id=doc.id)
    return view, lines, [payment_row(p) for p in paid]


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def payment_input(form: dict[str, str]) -> PaymentIn:
    """A payment from the Record payment form: the amount as typed ("1,250.00" or "-50" for a
    refund), a method, the day it came (noon in the company's time zone) and a reference."""
    amount = str(form.get("amount", "")).strip().replace(",", "").replace("$", "")
    if not AMOUNT.fullmatch(amount):
        raise _refused("amount", N_("Enter the amount received, such as 1250.00."))
    method = str(form.get("method", ""))
    if method not in METHODS:
        raise _refused("method", N_("Choose how it was paid."))
    received = None
    if day := str(form.get("received_on", "")).strip():
        try:
            received = datetime.combine(date.fromisoformat(day), time(12), tzinfo=company_tz())
        except ValueError as exc:
            raise _refused("received_on", N_("Enter the day it was received.")) from exc
    try:
        value = Decimal(amount)
    except InvalidOperation as exc:  # pragma: no cover (the pattern already said so)
        raise _refused("amount", N_("Enter the amount received.")) from exc
    reference = str(form.get("reference", "")).strip()[:200]
    return PaymentIn(amount=value, method=method, received_at=received, reference=reference)
