"""Read-only summaries for the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import Customer, Job, JobStatus, Material, User
from khs_crm.services.core.access import visible_jobs
from khs_crm.services.jobs.workflow import CLOSED, UPCOMING


class StatusCount(BaseModel):
    status: str
    count: int


class DashboardSummary(BaseModel):
    customers: int
    open_jobs: int
    materials_to_buy: int
    jobs_by_status: list[StatusCount]


OPEN_STATUSES = UPCOMING  # the dashboard's open jobs: work still to come


def dashboard_summary(session: Session) -> DashboardSummary:
    """Counts the office sees first: customers, open jobs, jobs by status, materials to buy."""
    customers = session.exec(
        select(func.count()).select_from(Customer).where(col(Customer.deleted_at).is_(None))
    ).one()
    rows = session.exec(
        select(Job.status, func.count())
        .where(col(Job.deleted_at).is_(None))
        .group_by(col(Job.status))
    ).all()
    by_status = {str(status): count for status, count in rows}
    to_buy = session.exec(
        select(func.count())
        .select_from(Material)
        .join(Job, col(Job.id) == Material.job_id)
        .where(col(Material.deleted_at).is_(None), col(Material.purchased).is_(False))
        .where(col(Job.deleted_at).is_(None))
        .where(col(Job.status).not_in(CLOSED))
    ).one()
    return DashboardSummary(
        customers=customers,
        open_jobs=sum(by_status.get(s.value, 0) for s in OPEN_STATUSES),
        materials_to_buy=to_buy,
        jobs_by_status=[
            StatusCount(status=s.value, count=by_status.get(s.value, 0)) for s in JobStatus
        ],
    )


class TodayJob(BaseModel):
    id: str
    title: str
    status: str
    customer_name: str
    customer_phone: str
    site_address: str
    starts: str


def day_bounds(tz_name: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of "today" in the company's time zone, as aware datetimes."""
    tz = ZoneInfo(tz_name)
    local = (now or datetime.now(UTC)).astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def todays_jobs(session: Session, *, user: User, tz_name: str) -> list[TodayJob]:
    """The user's jobs scheduled to be worked today (assigned jobs only, for a worker)."""
    start, end = day_bounds(tz_name)
    rows = session.execute(
        visible_jobs(user)
        .add_columns(col(Customer.name), col(Customer.phone))
        .join(Customer, col(Customer.id) == Job.customer_id)
        .where(col(Job.scheduled_start) < end)
        .where((col(Job.scheduled_end) >= start) | (col(Job.scheduled_start) >= start))
        .where(col(Job.status).not_in(CLOSED))
        .order_by(col(Job.scheduled_start))
    ).all()
    tz = ZoneInfo(tz_name)
    return [
        TodayJob(
            id=str(job.id),
            title=job.title,
            status=str(job.status),
            customer_name=name,
            customer_phone=phone,
            site_address=job.site_address,
            starts=job.scheduled_start.astimezone(tz).strftime("%-I:%M %p")
            if job.scheduled_start
            else "",
        )
        for job, name, phone in rows
    ]
