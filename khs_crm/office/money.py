"""Money on the office screens: amounts and statuses in words, and the estimate and invoice
lists. Every amount is computed by the money services (Decimal); this only writes it out."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import Customer, Estimate, EstimateStatus, Invoice, InvoiceStatus, Job, User
from khs_crm.office.views import Option, Page, page_info
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money import invoices as invoice_service

ESTIMATE_STATUSES = {
    "draft": N_("Draft"),
    "sent": N_("Sent"),
    "approved": N_("Approved"),
    "declined": N_("Declined"),
    "expired": N_("Expired"),
    "superseded": N_("Replaced"),
}
INVOICE_STATUSES = {
    "draft": N_("Draft"),
    "sent": N_("Sent"),
    "partially_paid": N_("Partly paid"),
    "paid": N_("Paid"),
    "void": N_("Void"),
}
INVOICE_KINDS = {"deposit": N_("Deposit"), "progress": N_("Progress"), "final": N_("Final")}
LINE_KINDS = {
    "material": N_("Material"),
    "labor": N_("Labor"),
    "other": N_("Other"),
    "discount": N_("Discount"),
}
METHODS = {
    "check": N_("Check"),
    "card": N_("Card"),
    "transfer": N_("Bank transfer"),
    "cash": N_("Cash"),
    "other": N_("Other"),
}


def money(value: Decimal | None) -> str:
    """ "$1,234.50" ("-$50.00" for a refund or a discount; "" for None)."""
    if value is None:
        return ""
    text = f"${abs(value):,.2f}"
    return f"-{text}" if value < 0 else text


def day_text(value: date | None) -> str:
    """ "Dec 30, 2026" ("" for None)."""
    return f"{value:%b} {value.day}, {value.year}" if value else ""


def options(labels: dict[str, str]) -> list[Option]:
    return [Option(value=value, label=label) for value, label in labels.items()]


def pick(raw: str | None, allowed: dict[str, str]) -> str:
    """A filter value from a URL or a select: one of ``allowed`` or "" (all)."""
    return raw if raw in allowed else ""


class EstimateRow(BaseModel):
    id: str
    number: str
    customer: str
    job: str
    job_id: str
    total: str
    status: str
    status_label: str
    valid_until: str
    deleted: bool = False  # a deleted draft: its number kept (a tombstone), nothing to do


class InvoiceRow(BaseModel):
    id: str
    number: str
    customer: str
    job: str
    job_id: str
    kind: str
    total: str
    balance: str
    due: str
    status: str
    status_label: str
    overdue: bool


def names(session: Session, docs: Sequence[Estimate | Invoice]) -> dict[uuid.UUID, str]:
    """The customers' names and the jobs' titles the rows show, by id."""
    found: dict[uuid.UUID, str] = {}
    for doc in docs:
        for model, key, attr in ((Customer, doc.customer_id, "name"), (Job, doc.job_id, "title")):
            if key not in found:
                row = session.get(model, key)
                found[key] = getattr(row, attr) if row is not None else ""
    return found


def estimate_row(doc: Estimate, named: dict[uuid.UUID, str]) -> EstimateRow:
    deleted = doc.deleted_at is not None
    status = "deleted" if deleted else str(estimate_service.status_of(doc))
    return EstimateRow(
        id=str(doc.id),
        number=doc.number,
        customer=named.get(doc.customer_id, ""),
        job=named.get(doc.job_id, ""),
        job_id=str(doc.job_id),
        total=money(doc.total),
        status=status,
        status_label=N_("Deleted") if deleted else ESTIMATE_STATUSES.get(status, status),
        valid_until=day_text(doc.valid_until),
        deleted=deleted,
    )


def invoice_row(doc: Invoice, named: dict[uuid.UUID, str]) -> InvoiceRow:
    overdue = invoice_service.is_overdue(doc)
    status = str(doc.status)
    return InvoiceRow(
        id=str(doc.id),
        number=doc.number,
        customer=named.get(doc.customer_id, ""),
        job=named.get(doc.job_id, ""),
        job_id=str(doc.job_id),
        kind=INVOICE_KINDS.get(str(doc.kind), str(doc.kind)),
        total=money(doc.total),
        balance=money(doc.total - doc.paid),
        due=day_text(doc.due_date),
        status=status,
        status_label=N_("Overdue") if overdue else INVOICE_STATUSES.get(status, status),
        overdue=overdue,
    )


def estimates_page(
    session: Session,
    *,
    user: User,
    status: str,
    page: int,
    page_size: int,
    deleted: bool = False,
) -> tuple[list[EstimateRow], Page]:
    """One page of estimates, newest first; ``status``: one of ESTIMATE_STATUSES or "";
    ``deleted``: the deleted drafts too, each marked so (their numbers stay taken)."""
    del user  # every estimate is the office's; the state has checked the role
    rows, total = estimate_service.list_estimates(
        session,
        status=EstimateStatus(status) if status else None,
        include_deleted=deleted,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    named = names(session, rows)
    return [estimate_row(r, named) for r in rows], page_info(page, page_size, total)


def invoices_page(
    session: Session, *, user: User, status: str, overdue: bool, page: int, page_size: int
) -> tuple[list[InvoiceRow], Page]:
    """One page of invoices, newest first; ``overdue``: only open ones past their due date."""
    del user
    rows, total = invoice_service.list_invoices(
        session,
        status=InvoiceStatus(status) if status else None,
        overdue=True if overdue else None,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    named = names(session, rows)
    return [invoice_row(r, named) for r in rows], page_info(page, page_size, total)
