"""What a job earned: its approved value, what was invoiced and paid, what is owed, what the
materials and the crew's hours cost and the margin."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import (
    Estimate,
    EstimateStatus,
    Invoice,
    InvoiceStatus,
    Material,
    MaterialCost,
    User,
)
from khs_crm.services.change_orders.decisions import approved_value
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.money import rules
from khs_crm.services.time.timesheets import job_labor_cost


@dataclass(frozen=True)
class JobMoney:
    approved_estimate_id: uuid.UUID | None
    approved_value: Decimal
    invoiced: Decimal
    paid: Decimal
    balance: Decimal
    materials_cost: Decimal
    margin: Decimal
    labor_cost: Decimal = rules.ZERO  # Σ hours × each person's hourly cost (services/time)
    change_orders_value: Decimal = rules.ZERO  # approved change orders (in approved_value)


def _sum(session: Session, column, *conditions) -> Decimal:
    value = session.exec(select(func.sum(column)).where(*conditions)).one()
    return rules.to_cent(Decimal(value or 0))


def job_money(session: Session, *, job_id: uuid.UUID, user: User) -> JobMoney:
    """The job's money card. Approved value: its approved estimates' totals; invoiced and
    paid: its invoices that are not void; cost: each live material's quantity × unit cost,
    and labor: the job's closed time entries' hours × each person's hourly cost; margin:
    approved value (or, without one, what was invoiced) less tax, less both costs. The
    approved value is the approved estimate + the approved change orders."""
    get_visible_job(session, job_id=job_id, user=user)
    approved = [
        col(Estimate.job_id) == job_id,
        col(Estimate.status) == EstimateStatus.approved,
        col(Estimate.deleted_at).is_(None),
    ]
    billed = [
        col(Invoice.job_id) == job_id,
        col(Invoice.status) != InvoiceStatus.void,
        col(Invoice.deleted_at).is_(None),
    ]
    latest = session.exec(
        select(Estimate.id).where(*approved).order_by(col(Estimate.approved_at).desc())
    ).first()
    extra, extra_tax = approved_value(session, job_id=job_id)
    value = _sum(session, Estimate.total, *approved) + extra
    value_net = value - _sum(session, Estimate.tax, *approved) - extra_tax
    invoiced = _sum(session, Invoice.total, *billed)
    paid = _sum(session, Invoice.paid, *billed)
    materials = session.exec(
        select(col(Material.quantity), col(MaterialCost.unit_cost))
        .join(MaterialCost, col(MaterialCost.material_id) == Material.id)
        .where(col(Material.job_id) == job_id, col(Material.deleted_at).is_(None))
    ).all()
    cost = sum((rules.line_amount(Decimal(str(q)), Decimal(c)) for q, c in materials), rules.ZERO)
    revenue = (
        value_net if latest is not None or extra else invoiced - _sum(session, Invoice.tax, *billed)
    )
    labor = job_labor_cost(session, job_id)
    margin = revenue - cost - labor
    return JobMoney(latest, value, invoiced, paid, invoiced - paid, cost, margin, labor, extra)
