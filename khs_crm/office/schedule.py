"""Who works where, when: the dashboard's lists and the schedule's week grid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import Customer, Job, Material
from khs_crm.office.jobs import crews, quantity_text
from khs_crm.office.views import (
    company_tz,
    day_label,
    status_label,
    time_label,
)
from khs_crm.services.core.reports import DashboardSummary, dashboard_summary
from khs_crm.services.jobs.workflow import CLOSED


class ScheduledJob(BaseModel):
    id: str
    title: str
    customer: str
    day: str
    time: str
    crew: str
    status_label: str


class ToBuy(BaseModel):
    id: str
    name: str
    amount: str
    supplier: str
    job: str
    job_id: str


class DayHeader(BaseModel):
    label: str
    today: bool


def today() -> date:
    return datetime.now(company_tz()).date()


def week_of(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def _bounds(first: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(), company_tz())
    return start, start + timedelta(days=days)


def scheduled_between(session: Session, start: datetime, end: datetime, limit: int) -> list:
    """Live, not finished jobs whose scheduled time overlaps [start, end), with customers."""
    finish = func.coalesce(Job.scheduled_end, Job.scheduled_start)
    return list(
        session.exec(
            select(Job, Customer.name)
            .join(Customer, col(Customer.id) == Job.customer_id)
            .where(
                col(Job.deleted_at).is_(None),
                col(Job.scheduled_start) < end,
                finish >= start,
                col(Job.status).not_in(CLOSED),
            )
            .order_by(col(Job.scheduled_start), col(Job.id))
            .limit(limit)
        ).all()
    )


def _window(span: tuple[datetime | None, datetime | None]) -> str:
    start, end = span
    if start is None:
        return ""
    return f"{time_label(start)} – {time_label(end)}" if end else time_label(start)


def scheduled_jobs(session: Session, *, first: date, days: int, limit: int) -> list[ScheduledJob]:
    """The jobs scheduled in ``days`` days from ``first``, each with its crew."""
    rows = scheduled_between(session, *_bounds(first, days), limit)
    crew = crews(session, [job.id for job, _ in rows])
    return [
        ScheduledJob(
            id=str(job.id),
            title=job.title,
            customer=name,
            day=day_label(job.scheduled_start),
            time=_window((job.scheduled_start, job.scheduled_end)),
            crew=", ".join(crew[job.id]) or N_("No crew yet"),
            status_label=status_label(job.status),
        )
        for job, name in rows
    ]


def materials_to_buy(session: Session, *, limit: int) -> list[ToBuy]:
    """Unbought materials of live, open jobs: the soonest scheduled first."""
    rows = session.exec(
        select(Material, Job.title)
        .join(Job, col(Job.id) == Material.job_id)
        .where(
            col(Material.deleted_at).is_(None),
            col(Material.purchased).is_(False),
            col(Job.deleted_at).is_(None),
            col(Job.status).not_in(CLOSED),
        )
        .order_by(col(Job.scheduled_start).is_(None), col(Job.scheduled_start), col(Material.id))
        .limit(limit)
    ).all()
    return [
        ToBuy(
            id=str(m.id),
            name=m.name,
            amount=f"{quantity_text(m.quantity)} {m.unit}".strip(),
            supplier=m.supplier,
            job=title,
            job_id=str(m.job_id),
        )
        for m, title in rows
    ]


def summary(session: Session) -> DashboardSummary:
    """The dashboard's counts (see services.reports)."""
    return dashboard_summary(session)


def week_title(first: date) -> str:
    last = first + timedelta(days=6)
    if first.month == last.month:
        return f"{first:%B} {first.day} – {last.day}, {last.year}"
    return f"{first:%b} {first.day} – {last:%b} {last.day}, {last.year}"
