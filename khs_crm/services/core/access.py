"""Who may see what: office staff see everything, workers their assigned jobs only."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Exists, SQLColumnExpression, exists
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from khs_crm.models import Customer, Job, JobAssignment, Role, User
from khs_crm.services.core.errors import Forbidden, NotFound

# The roles that work in the office (see everything, make every workflow move); the rest are
# crew. The field app gets this list in its config (khs_crm/offline/pwa.py).
OFFICE_ROLES: tuple[Role, ...] = (Role.owner, Role.admin)


def is_office(user: User) -> bool:
    """Owners and admins."""
    return user.role in OFFICE_ROLES


def assigned(job_id_column: SQLColumnExpression[uuid.UUID], user: User) -> Exists:
    """SQL condition: the job is assigned to this user."""
    return exists().where(
        col(JobAssignment.job_id) == job_id_column, col(JobAssignment.user_id) == user.id
    )


def visible_jobs(user: User) -> SelectOfScalar[Job]:
    """SELECT of the live jobs this user may see."""
    query = select(Job).where(col(Job.deleted_at).is_(None))
    return query if is_office(user) else query.where(assigned(col(Job.id), user))


def visible_customer_condition(user: User) -> ColumnElement[bool]:
    """SQL condition on Customer: office sees all; a worker, customers of assigned jobs."""
    live = col(Customer.deleted_at).is_(None)
    if is_office(user):
        return live
    return live & exists().where(
        col(Job.customer_id) == Customer.id,
        col(Job.deleted_at).is_(None),
        assigned(col(Job.id), user),
    )


def get_visible_job(session: Session, *, job_id: uuid.UUID, user: User) -> Job:
    """The job, or NotFound when it does not exist, is deleted, or is not the user's."""
    job = session.exec(visible_jobs(user).where(Job.id == job_id)).first()
    if job is None:
        raise NotFound("Job not found.")
    return job


def get_visible_customer(session: Session, *, customer_id: uuid.UUID, user: User) -> Customer:
    """The customer, or NotFound when missing, deleted or not visible to the user."""
    customer = session.exec(
        select(Customer).where(Customer.id == customer_id, visible_customer_condition(user))
    ).first()
    if customer is None:
        raise NotFound("Customer not found.")
    return customer


def require_office(user: User, action: str = "do this") -> None:
    """Raise Forbidden (403) unless the user is an owner or admin."""
    if not is_office(user):
        raise Forbidden(f"Only the office can {action}.")
