"""/api money shapes: the response models of estimates, invoices and payments (the OpenAPI
document's shapes) and the functions that turn rows into that JSON. The money routes are
estimates, invoices, company, job_money and money_exports; every one is office-only (a
worker gets 404, as for a route that does not exist). Amounts are strings ("1234.50") both
ways."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.schemas import CamelModel
from khs_crm.models import (
    DocumentLine,
    Estimate,
    EstimateStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentMethod,
)
from khs_crm.services.money.documents import money_text, number_text
from khs_crm.services.money.estimates import status_of
from khs_crm.services.money.invoices import is_overdue

AMOUNT: JsonDict = {"examples": ["1234.50"], "pattern": r"^-?[0-9]+\.[0-9]{2}$"}


def Amount() -> Any:  # noqa: N802 (a field maker, read as a type)
    return Field(json_schema_extra=AMOUNT)


class LineOut(CamelModel):
    id: uuid.UUID
    kind: LineKind
    description: str
    quantity: str
    unit: str
    unit_price: str = Amount()
    taxable: bool
    amount: str = Amount()
    source_line_id: uuid.UUID | None


class DocumentOut(CamelModel):
    id: uuid.UUID
    job_id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    tax_rate: str
    notes: str
    lines: list[LineOut]
    subtotal: str = Amount()
    tax: str = Amount()
    total: str = Amount()
    version: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    deleted_at: datetime | None
    link_active: bool = Field(description="Whether the customer link works (see /send).")


class Approval(CamelModel):
    name: str
    at: datetime


class EstimateOut(DocumentOut):
    status: EstimateStatus
    valid_until: date | None
    revises_id: uuid.UUID | None
    approval: Approval | None
    declined_at: datetime | None
    decline_reason: str | None


class InvoiceOut(DocumentOut):
    kind: InvoiceKind
    status: InvoiceStatus
    estimate_id: uuid.UUID | None
    percent: str | None
    due_date: date | None
    paid: str = Amount()
    balance: str = Amount()
    overdue: bool


class LinkOut(CamelModel):
    url: str = Field(description="The customer's link; shown once (sending again makes a new one).")


class SentEstimate(CamelModel):
    estimate: EstimateOut
    link: LinkOut


class SentInvoice(CamelModel):
    invoice: InvoiceOut
    link: LinkOut


class PaymentOut(CamelModel):
    id: uuid.UUID
    invoice_id: uuid.UUID
    amount: str = Amount()
    method: PaymentMethod
    received_at: datetime
    reference: str
    created_at: datetime


class PaymentResult(CamelModel):
    payment: PaymentOut
    invoice: InvoiceOut


def line_json(line: DocumentLine) -> dict[str, Any]:
    return {
        "id": str(line.id),
        "kind": str(line.kind),
        "description": line.description,
        "quantity": number_text(line.quantity),
        "unit": line.unit,
        "unitPrice": money_text(line.unit_price),
        "taxable": line.taxable,
        "amount": money_text(line.amount),
        "sourceLineId": str(line.source_line_id) if line.source_line_id else None,
    }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _document_json(doc: Estimate | Invoice, lines: list[DocumentLine]) -> dict[str, Any]:
    return {
        "id": str(doc.id),
        "jobId": str(doc.job_id),
        "customerId": str(doc.customer_id),
        "number": doc.number,
        "taxRate": number_text(doc.tax_rate),
        "notes": doc.notes,
        "lines": [line_json(line) for line in lines],
        "subtotal": money_text(doc.subtotal),
        "tax": money_text(doc.tax),
        "total": money_text(doc.total),
        "version": doc.version,
        "createdAt": _iso(doc.created_at),
        "updatedAt": _iso(doc.updated_at),
        "sentAt": _iso(doc.sent_at),
        "deletedAt": _iso(doc.deleted_at),
        "linkActive": doc.link_hash is not None,
    }


def estimate_json(estimate: Estimate, lines: list[DocumentLine]) -> dict[str, Any]:
    approval = None
    if estimate.approved_at is not None:
        approval = {"name": estimate.approved_name or "", "at": _iso(estimate.approved_at)}
    return {
        **_document_json(estimate, lines),
        "status": str(status_of(estimate)),
        "validUntil": _iso(estimate.valid_until),
        "revisesId": str(estimate.revises_id) if estimate.revises_id else None,
        "approval": approval,
        "declinedAt": _iso(estimate.declined_at),
        "declineReason": estimate.decline_reason,
    }


def invoice_json(invoice: Invoice, lines: list[DocumentLine]) -> dict[str, Any]:
    return {
        **_document_json(invoice, lines),
        "kind": str(invoice.kind),
        "status": str(invoice.status),
        "estimateId": str(invoice.estimate_id) if invoice.estimate_id else None,
        "percent": number_text(invoice.percent),
        "dueDate": _iso(invoice.due_date),
        "paid": money_text(invoice.paid),
        "balance": money_text(invoice.total - invoice.paid),
        "overdue": is_overdue(invoice),
    }


def payment_json(payment: Payment) -> dict[str, Any]:
    return {
        "id": str(payment.id),
        "invoiceId": str(payment.invoice_id),
        "amount": money_text(payment.amount),
        "method": str(payment.method),
        "receivedAt": _iso(payment.received_at),
        "reference": payment.reference,
        "createdAt": _iso(payment.created_at),
    }
