"""Jobs: create, change, delete, and read them the way each user may."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from khs_crm.models import (
    ActivityAction,
    Customer,
    Job,
    JobAssignment,
    JobStatus,
    Material,
    User,
)
from khs_crm.services.core import activity, csv_io
from khs_crm.services.core.access import get_visible_job, require_office, visible_jobs
from khs_crm.services.core.common import apply_changes, check_version, mark_written, soft_delete
from khs_crm.services.core.errors import ValidationFailed, id_taken
from khs_crm.services.jobs.schemas import JobCreate, JobUpdate
from khs_crm.services.jobs.workflow import active_workers, set_crew
from khs_crm.settings import get_settings

__all__ = [
    "JobCreate",
    "JobDetail",
    "JobFilters",
    "JobUpdate",
    "create_job",
    "delete_job",
    "export_jobs_csv",
    "job_detail",
    "list_jobs",
    "update_job",
]


@dataclass
class JobFilters:
    """List filters; ``start_from`` / ``start_to`` bound scheduled_start, both inclusive."""

    status: JobStatus | None = None
    customer_id: uuid.UUID | None = None
    assigned_to: uuid.UUID | None = None
    start_from: datetime | None = None
    start_to: datetime | None = None


@dataclass
class JobDetail:
    job: Job
    customer: Customer
    crew: list[User]
    materials_total: int
    materials_purchased: int


EXPORT_COLUMNS = (
    "title",
    "customer",
    "status",
    "site_address",
    "scheduled_start",
    "scheduled_end",
    "crew",
    "created_at",
)


def _matching(user: User, filters: JobFilters) -> SelectOfScalar[Job]:
    """SELECT of the visible jobs that pass ``filters``, unordered."""
    query = visible_jobs(user)
    if filters.status is not None:
        query = query.where(Job.status == filters.status)
    if filters.customer_id is not None:
        query = query.where(Job.customer_id == filters.customer_id)
    if filters.assigned_to is not None:
        query = query.where(
            exists().where(
                col(JobAssignment.job_id) == Job.id,
                col(JobAssignment.user_id) == filters.assigned_to,
            )
        )
    if filters.start_from is not None:
        query = query.where(col(Job.scheduled_start) >= filters.start_from)
    if filters.start_to is not None:
        query = query.where(col(Job.scheduled_start) <= filters.start_to)
    return query


def list_jobs(
    session: Session, *, user: User, filters: JobFilters, offset: int, limit: int
) -> tuple[list[Job], int]:
    """One page of the jobs the user may see (newest first) and the total that match."""
    query = _matching(user, filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = query.order_by(col(Job.created_at).desc(), col(Job.id)).offset(offset).limit(limit)
    return list(session.exec(page).all()), total


def _crew_names(session: Session, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    names: dict[uuid.UUID, list[str]] = {job_id: [] for job_id in job_ids}
    rows = session.exec(
        select(JobAssignment.job_id, User.name)
        .join(User, col(User.id) == JobAssignment.user_id)
        .where(col(JobAssignment.job_id).in_(job_ids))
        .order_by(col(User.name))
    ).all()
    for job_id, name in rows:
        names[job_id].append(name)
    return names


def _export_rows(session: Session, query) -> Iterator[list[object]]:
    zone = ZoneInfo(get_settings().timezone)

    def moment(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = iter(session.exec(query.execution_options(yield_per=csv_io.CHUNK_ROWS)))
    while batch := list(islice(rows, csv_io.CHUNK_ROWS)):
        crews = _crew_names(session, [job.id for job, _ in batch])
        for job, customer in batch:
            yield [
                job.title,
                customer,
                JobStatus(job.status).value,
                job.site_address,
                moment(job.scheduled_start),
                moment(job.scheduled_end),
                ", ".join(crews[job.id]),
                moment(job.created_at),
            ]


def export_jobs_csv(session: Session, *, actor: User, filters: JobFilters) -> Iterator[str]:
    """The jobs that pass ``filters`` as spreadsheet-safe CSV text chunks (office only),
    newest first, times in the company's time zone. The office check runs now."""
    require_office(actor, "export jobs")
    matching = _matching(actor, filters).whereclause
    assert matching is not None, "visible_jobs always leaves deleted jobs out"
    query = (
        select(Job, col(Customer.name))
        .join(Customer, col(Customer.id) == Job.customer_id)
        .where(matching)
        .order_by(col(Job.created_at).desc(), col(Job.id))
    )
    return csv_io.write_csv(EXPORT_COLUMNS, _export_rows(session, query))


def job_detail(session: Session, *, job_id: uuid.UUID, user: User) -> JobDetail:
    """A visible job with its customer, crew and materials counts; NotFound otherwise."""
    job = get_visible_job(session, job_id=job_id, user=user)
    crew = session.exec(
        select(User)
        .join(JobAssignment, col(JobAssignment.user_id) == User.id)
        .where(JobAssignment.job_id == job.id)
        .order_by(col(User.name))
    ).all()
    total, bought = session.exec(
        select(func.count(), func.count().filter(col(Material.purchased).is_(True))).where(
            Material.job_id == job.id, col(Material.deleted_at).is_(None)
        )
    ).one()
    customer = session.get(Customer, job.customer_id)
    assert customer is not None, "jobs.customer_id is a foreign key; customers are soft-deleted"
    return JobDetail(job, customer, list(crew), int(total), int(bought))


def _live_customer(session: Session, customer_id: uuid.UUID) -> None:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise ValidationFailed(
            "Choose an existing customer.",
            details=[{"field": "customerId", "message": "no such customer"}],
        )


def _check_schedule(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationFailed(
            "The scheduled end cannot be before the start.",
            details=[{"field": "scheduledEnd", "message": "must not be before scheduledStart"}],
        )


def create_job(session: Session, *, data: JobCreate, actor: User) -> Job:
    """Create a job as a lead (office only). Conflict if the id is taken."""
    require_office(actor, "create jobs")
    _live_customer(session, data.customer_id)
    _check_schedule(data.scheduled_start, data.scheduled_end)
    crew = active_workers(session, data.assigned_user_ids or [])
    if data.id is not None and session.get(Job, data.id) is not None:
        raise id_taken()
    fields = data.model_dump(exclude={"id", "status", "assigned_user_ids"}, exclude_none=True)
    job = Job(id=data.id or uuid.uuid4(), status=JobStatus.lead, **fields)
    mark_written(session, job)
    session.flush()
    set_crew(session, job, crew)
    activity.record(
        session,
        actor=actor,
        entity="job",
        entity_id=job.id,
        action=ActivityAction.create,
        changes=activity.created({**fields, "status": JobStatus.lead, "assigned_user_ids": crew}),
    )
    session.flush()
    return job


def update_job(
    session: Session,
    *,
    job_id: uuid.UUID,
    data: JobUpdate,
    actor: User,
    expected_version: int | None = None,
) -> Job:
    """Change a job's own fields (office only). 404 / 403 / 412 / 422 as usual."""
    job = get_visible_job(session, job_id=job_id, user=actor)
    require_office(actor, "edit jobs")
    check_version(job, expected_version)
    changes = data.model_dump(exclude_unset=True, exclude={"status"})
    if "customer_id" in changes and changes["customer_id"] != job.customer_id:
        _live_customer(session, changes["customer_id"])
    _check_schedule(
        changes.get("scheduled_start", job.scheduled_start),
        changes.get("scheduled_end", job.scheduled_end),
    )
    apply_changes(session, job, changes, actor=actor, entity="job")
    session.flush()
    return job


def delete_job(
    session: Session, *, job_id: uuid.UUID, actor: User, expected_version: int | None = None
) -> Job:
    """Soft-delete a job (office only). Its materials and notes go out of reach."""
    job = get_visible_job(session, job_id=job_id, user=actor)
    require_office(actor, "delete jobs")
    check_version(job, expected_version)
    soft_delete(session, job, actor=actor, entity="job")
    session.flush()
    return job
