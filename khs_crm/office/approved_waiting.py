"""Jobs the customer has approved that still need a date: approval never schedules a job
(the office picks the day), so the dashboard lists them until someone does."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from khs_crm.models import Customer, Estimate, EstimateStatus, Job
from khs_crm.office.money import day_text, money
from khs_crm.office.views import local
from khs_crm.services.jobs.workflow import CLOSED


class WaitingJob(BaseModel):
    """One approved job without a scheduled start: what was approved, when, for how much."""

    job_id: str
    title: str
    customer: str
    estimate_id: str
    number: str
    value: str
    approved: str


def _live_approved(estimate: type[Estimate]) -> list:
    return [
        col(estimate.status) == EstimateStatus.approved,
        col(estimate.deleted_at).is_(None),
    ]


def waiting_for_a_date(session: Session, *, limit: int) -> list[WaitingJob]:
    """Open, unscheduled jobs with an approved estimate, newest approval first, each with its
    latest approved estimate (one query: a later approval of the same job hides the older)."""
    later = aliased(Estimate)
    newer_approval = exists().where(
        col(later.job_id) == Estimate.job_id,
        *_live_approved(later),
        col(later.approved_at) > Estimate.approved_at,
    )
    rows = session.exec(
        select(Estimate, Job.title, Customer.name)
        .join(Job, col(Job.id) == Estimate.job_id)
        .join(Customer, col(Customer.id) == Job.customer_id)
        .where(
            and_(*_live_approved(Estimate)),
            ~newer_approval,
            col(Job.deleted_at).is_(None),
            col(Job.scheduled_start).is_(None),
            col(Job.status).not_in(CLOSED),
        )
        .order_by(col(Estimate.approved_at).desc(), col(Estimate.number).desc())
        .limit(limit)
    ).all()
    return [
        WaitingJob(
            job_id=str(estimate.job_id),
            title=title,
            customer=customer,
            estimate_id=str(estimate.id),
            number=estimate.number,
            value=money(estimate.total),
            approved=day_text(local(estimate.approved_at).date()) if estimate.approved_at else "",
        )
        for estimate, title, customer in rows
    ]
