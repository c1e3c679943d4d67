"""The office's activity timelines: the whole log, one job's, one customer's, a page at a time."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, ActivityLog, Job, User
from khs_crm.office.activity import ENTITIES, ActivityRow, activity_rows
from khs_crm.office.views import Page, page_info, parse_id
from khs_crm.services.core import activity as activity_service


def activity_page(
    session: Session, *, entity: str, page: int, page_size: int
) -> tuple[list[ActivityRow], Page]:
    """One page of the whole log, newest first, optionally one kind of thing only."""
    rows, total = activity_service.list_activity(
        session,
        entity=entity if entity in ENTITIES else None,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return activity_rows(session, rows), page_info(page, page_size, total)


def _timeline(
    session: Session, ids: list[uuid.UUID], page: int, page_size: int
) -> tuple[list[ActivityRow], Page]:
    where = col(ActivityLog.entity_id).in_(ids) & (
        ActivityLog.action != ActivityAction.housekeeping
    )
    total = session.exec(select(func.count()).select_from(ActivityLog).where(where)).one()
    rows = session.exec(
        select(ActivityLog, User.name)
        .outerjoin(User, col(User.id) == ActivityLog.actor_id)
        .where(where)
        .order_by(col(ActivityLog.created_at).desc(), col(ActivityLog.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return activity_rows(session, [(r, n) for r, n in rows]), page_info(page, page_size, total)


def job_timeline(
    session: Session, *, job_id: str, page: int, page_size: int
) -> tuple[list[ActivityRow], Page]:
    """What happened to a job, its crew, materials, notes and photos (caller checked access).

    One query on the log's ``job_id``; system housekeeping (thumbnails) stays out.
    """
    rows, total = activity_service.list_activity(
        session,
        job_id=parse_id(job_id, "job"),
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return activity_rows(session, rows), page_info(page, page_size, total)


def customer_timeline(
    session: Session, *, customer_id: str, page: int, page_size: int
) -> tuple[list[ActivityRow], Page]:
    """What happened to a customer and their jobs (caller checked access)."""
    customer = parse_id(customer_id, "customer")
    ids = [customer, *session.exec(select(Job.id).where(Job.customer_id == customer)).all()]
    return _timeline(session, ids, page, page_size)
