"""The job page's money card: what the job earned (the job money service's figures), its
estimates and invoices, and what can be billed next."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import User
from khs_crm.office.money import ESTIMATE_STATUSES, INVOICE_KINDS, money
from khs_crm.office.money import invoice_row as _invoice_row
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money import invoices as invoice_service
from khs_crm.services.money.company import get_company
from khs_crm.services.money.documents import number_text
from khs_crm.services.money.summary import job_money

LISTED = 10  # the latest estimates and invoices the card lists


class JobMoneyView(BaseModel):
    approved_value: str = "$0.00"
    approved_estimate: str = "$0.00"  # the approved value's two parts
    change_orders: str = "$0.00"
    has_change_orders: bool = False
    invoiced: str = "$0.00"
    paid: str = "$0.00"
    balance: str = "$0.00"
    materials_cost: str = "$0.00"
    margin: str = "$0.00"
    negative_margin: bool = False
    approved_estimate_id: str = ""
    approved_number: str = ""
    deposit_percent: str = ""


class DocLink(BaseModel):
    id: str
    href: str
    number: str
    what: str
    status_label: str
    total: str


def job_money_view(
    session: Session, *, user: User, job_id: uuid.UUID
) -> tuple[JobMoneyView, list[DocLink], list[DocLink]]:
    """The card's figures and the job's latest estimates and invoices."""
    figures = job_money(session, job_id=job_id, user=user)
    approved = estimate_service.approved_estimate(session, job_id=job_id)
    view = JobMoneyView(
        approved_value=money(figures.approved_value),
        approved_estimate=money(figures.approved_value - figures.change_orders_value),
        change_orders=money(figures.change_orders_value),
        has_change_orders=figures.change_orders_value != 0,
        invoiced=money(figures.invoiced),
        paid=money(figures.paid),
        balance=money(figures.balance),
        materials_cost=money(figures.materials_cost),
        margin=money(figures.margin),
        negative_margin=figures.margin < 0,
        approved_estimate_id=str(approved.id) if approved else "",
        approved_number=approved.number if approved else "",
        deposit_percent=number_text(get_company(session).deposit_percent) or "0",
    )
    estimates, _ = estimate_service.list_estimates(session, job_id=job_id, limit=LISTED)
    invoices, _ = invoice_service.list_invoices(session, job_id=job_id, limit=LISTED)
    est_links = [
        DocLink(
            id=str(e.id),
            href=f"/estimates/{e.id}",
            number=e.number,
            what=N_("Estimate"),
            status_label=ESTIMATE_STATUSES.get(str(s := estimate_service.status_of(e)), str(s)),
            total=money(e.total),
        )
        for e in estimates
    ]
    inv_links = []
    for invoice in invoices:
        row = _invoice_row(invoice, {})
        inv_links.append(
            DocLink(
                id=row.id,
                href=f"/invoices/{row.id}",
                number=row.number,
                what=INVOICE_KINDS.get(str(invoice.kind), "") + " invoice",
                status_label=row.status_label,
                total=row.total,
            )
        )
    return view, est_links, inv_links
