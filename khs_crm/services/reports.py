"""Read-only summaries for the dashboard."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select

from khs_crm.models import Customer, Job, JobStatus, Material


class StatusCount(BaseModel):
    status: str
    count: int


class DashboardSummary(BaseModel):
    customers: int
    open_jobs: int
    materials_to_buy: int
    jobs_by_status: list[StatusCount]


OPEN_STATUSES = (JobStatus.scheduled, JobStatus.in_progress, JobStatus.on_hold)


def dashboard_summary(session: Session) -> DashboardSummary:
    """Counts the office sees first: customers, open jobs, jobs by status, materials to buy."""
    customers = session.exec(
        select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None))
    ).one()
    rows = session.exec(
        select(Job.status, func.count()).where(Job.deleted_at.is_(None)).group_by(Job.status)
    ).all()
    by_status = {str(status): count for status, count in rows}
    to_buy = session.exec(
        select(func.count())
        .select_from(Material)
        .where(Material.deleted_at.is_(None), Material.purchased.is_(False))
    ).one()
    return DashboardSummary(
        customers=customers,
        open_jobs=sum(by_status.get(s.value, 0) for s in OPEN_STATUSES),
        materials_to_buy=to_buy,
        jobs_by_status=[
            StatusCount(status=s.value, count=by_status.get(s.value, 0)) for s in JobStatus
        ],
    )
