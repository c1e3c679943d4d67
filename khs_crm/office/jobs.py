"""Read models for the office's job screens: the board, the list and the job page."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from pydantic import BaseModel
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import Customer, Job, JobStatus, Role, User
from khs_crm.office.views import (
    Option,
    Page,
    company_tz,
    page_info,
    parse_id,
    schedule_text,
    status_label,
    when,
)
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.customers import service as customer_service
from khs_crm.services.jobs import service as job_service
from khs_crm.services.jobs import workflow

BOARD_CARDS = 12


class MoveOption(BaseModel):
    status: str
    label: str
    allowed: bool
    reason: str


class JobCard(BaseModel):
    id: str
    title: str
    customer: str
    schedule: str
    crew: str


class BoardColumn(BaseModel):
    status: str
    label: str
    total: int
    more: int
    cards: list[JobCard]
    moves: list[MoveOption]
    can_move_to: str


class JobRow(BaseModel):
    id: str
    title: str
    customer: str
    status: str
    status_label: str
    schedule: str
    crew: str
    starts: str


def moves_for(status: JobStatus | str, role: Role | str) -> list[MoveOption]:
    """Every other status, each allowed or not, with the reason a person can act on."""
    allowed = set(workflow.allowed_moves(status, role))
    return [
        MoveOption(
            status=s.value,
            label=status_label(s),
            allowed=s.value in allowed,
            reason=workflow.explain_move(status, s, role) or "",
        )
        for s in JobStatus
        if s.value != JobStatus(status).value
    ]


def worker_options(session: Session) -> list[Option]:
    """Active workers by name: who can be put on a crew."""
    rows = session.exec(
        select(User.id, User.name)
        .where(User.role == Role.worker, col(User.active).is_(True))
        .order_by(col(User.name))
    ).all()
    return [Option(value=str(user_id), label=name) for user_id, name in rows]


def names_of(session: Session, model, ids: set[uuid.UUID], field: str) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    column = getattr(model, field)
    rows = session.exec(select(model.id, column).where(col(model.id).in_(list(ids)))).all()
    return dict(rows)


def crews(session: Session, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The crew names of each job."""
    ids = workflow.crew_ids(session, job_ids)
    names = names_of(session, User, {u for crew in ids.values() for u in crew}, "name")
    return {job_id: sorted(names.get(u, "") for u in crew) for job_id, crew in ids.items()}


def _rows(session: Session, jobs: list[Job]) -> list[JobRow]:
    customers = names_of(session, Customer, {j.customer_id for j in jobs}, "name")
    crew = crews(session, [j.id for j in jobs])
    return [
        JobRow(
            id=str(j.id),
            title=j.title,
            customer=customers.get(j.customer_id, ""),
            status=JobStatus(j.status).value,
            status_label=status_label(j.status),
            schedule=schedule_text(j.scheduled_start, j.scheduled_end),
            crew=", ".join(crew[j.id]),
            starts=when(j.scheduled_start) or N_("Not scheduled"),
        )
        for j in jobs
    ]


def board(session: Session, *, user: User, per_column: int = BOARD_CARDS) -> list[BoardColumn]:
    """One column per status: the newest jobs in it, how many more, and the moves out."""
    columns = []
    for status in JobStatus:
        jobs, total = job_service.list_jobs(
            session,
            user=user,
            filters=job_service.JobFilters(status=status),
            offset=0,
            limit=per_column,
        )
        cards = [
            JobCard(id=r.id, title=r.title, customer=r.customer, schedule=r.starts, crew=r.crew)
            for r in _rows(session, jobs)
        ]
        columns.append(
            BoardColumn(
                status=status.value,
                label=status_label(status),
                total=total,
                more=max(total - len(cards), 0),
                cards=cards,
                moves=(moves := moves_for(status, user.role)),
                can_move_to=", ".join(m.label for m in moves if m.allowed),
            )
        )
    return columns


def day_start(raw: str, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD day as the start (or the last moment) of that day in the company zone."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed(
            N_("Enter dates as YYYY-MM-DD."), details=[{"field": "date", "message": "bad date"}]
        ) from exc
    moment = datetime.combine(day + timedelta(days=1 if end else 0), time(), company_tz())
    return moment - timedelta(microseconds=1) if end else moment


def jobs_page(
    session: Session,
    *,
    user: User,
    status: str,
    worker_id: str,
    start_from: str,
    start_to: str,
    page: int,
    page_size: int,
) -> tuple[list[JobRow], Page]:
    """One page of the job list, filtered by status, crew member and scheduled day."""
    filters = job_service.JobFilters(
        status=JobStatus(status) if status else None,
        assigned_to=parse_id(worker_id, "worker") if worker_id else None,
        start_from=day_start(start_from),
        start_to=day_start(start_to, end=True),
    )
    jobs, total = job_service.list_jobs(
        session, user=user, filters=filters, offset=(page - 1) * page_size, limit=page_size
    )
    return _rows(session, jobs), page_info(page, page_size, total)


def export_href(status: str, worker_id: str, start_from: str, start_to: str) -> str:
    """/api/jobs/export.csv with the list's filters (the API reads days as the list does)."""
    params = {"status": status, "assignedTo": worker_id, "from": start_from, "to": start_to}
    query = urlencode({name: value for name, value in params.items() if value})
    return "/api/jobs/export.csv" + ("?" + query if query else "")


def customer_jobs(
    session: Session, *, user: User, customer_id: str, page: int, page_size: int
) -> tuple[list[JobRow], Page]:
    """One page of a customer's jobs, newest first."""
    filters = job_service.JobFilters(customer_id=parse_id(customer_id, "customer"))
    jobs, total = job_service.list_jobs(
        session, user=user, filters=filters, offset=(page - 1) * page_size, limit=page_size
    )
    return _rows(session, jobs), page_info(page, page_size, total)


def quantity_text(value: float) -> str:
    return f"{value:g}"


class CustomerMatch(BaseModel):
    value: str
    label: str
    address: str


def customer_matches(
    session: Session, *, user: User, q: str, limit: int = 6
) -> list[CustomerMatch]:
    """Customers to pick for a new job, found by the customer search."""
    if not q.strip():
        return []
    rows, _total = customer_service.search_customers(
        session, user=user, q=q, page=1, page_size=limit
    )
    return [
        CustomerMatch(
            value=str(c.id), label=f"{c.name} · {c.phone or c.address}", address=c.address
        )
        for c in rows
    ]
