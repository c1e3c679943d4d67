"""Pull: every change a user may see after a cursor, in version order, never skipping one.

Versions come from one counter row that each writer locks until it commits
(services/versioning.py), so commits happen in version order and a reader never sees
version N+1 while N is still in flight: "everything above the cursor" is never missing a row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.models import CrewRemoval, Customer, Job, JobAssignment, JobNote, Material, Photo, User
from khs_crm.models.base import utcnow
from khs_crm.services.access import assigned, is_office
from khs_crm.services.versioning import current_version

CHILDREN: dict[str, type] = {"material": Material, "note": JobNote, "photo": Photo}


@dataclass
class Change:
    entity: str
    entity_id: uuid.UUID
    action: str  # upsert | delete | remove
    version: int
    row: Any = None


@dataclass
class PullPage:
    changes: list[Change]
    cursor: int
    has_more: bool


def week_window(tz_name: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday in the company's time zone."""
    local = (now or utcnow()).astimezone(ZoneInfo(tz_name))
    start = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(days=7)


def _job_scope(user: User, scope: str, tz_name: str):
    """SQL condition on Job for the jobs this user's device should hold."""
    if not is_office(user):
        return assigned(Job.id, user)
    if scope == "all":
        return Job.id.is_not(None)
    start, end = week_window(tz_name)
    return (col(Job.scheduled_start) < end) & (
        (col(Job.scheduled_end) >= start) | (col(Job.scheduled_start) >= start)
    )


@dataclass
class Source:
    """One ordered stream of changes; ``ceiling`` is set when it had more than a page."""

    changes: list[Change]
    ceiling: int | None


def _source(session: Session, query, limit: int, expand) -> Source:
    rows = list(session.exec(query.limit(limit + 1)).all())
    ceiling = rows[limit - 1].version if len(rows) > limit else None
    changes = [c for row in rows[:limit] for c in expand(row)]
    return Source(changes, ceiling)


def _direct(session: Session, cond, cursor: int, limit: int) -> list[Source]:
    """Rows written after the cursor, per table, each in version order."""
    sources = [
        _source(
            session,
            select(Job).where(Job.version > cursor, cond).order_by(Job.version),
            limit,
            lambda j: [_change("job", j)],
        )
    ]
    in_scope = select(Job.id).where(cond)
    for name, model in CHILDREN.items():
        query = (
            select(model)
            .where(model.version > cursor, col(model.job_id).in_(in_scope))
            .order_by(model.version)
        )
        sources.append(_source(session, query, limit, lambda r, n=name: [_change(n, r)]))
    customers = (
        select(Customer)
        .where(Customer.version > cursor)
        .where(col(Customer.id).in_(select(Job.customer_id).where(cond)))
        .order_by(Customer.version)
    )
    sources.append(_source(session, customers, limit, lambda c: [_change("customer", c)]))
    return sources


def _change(entity: str, row: Any, version: int | None = None) -> Change:
    action = "delete" if row.deleted_at is not None else "upsert"
    return Change(entity, row.id, action, version if version is not None else row.version, row)


def _job_bundle(session: Session, job: Job, version: int, action: str, user: User) -> list[Change]:
    """A job with its customer and children, all stamped with one version."""
    out = [Change("job", job.id, action, version, job if action != "remove" else None)]
    for name, model in CHILDREN.items():
        for row in session.exec(select(model).where(model.job_id == job.id)).all():
            kind = action if action == "remove" else ("delete" if row.deleted_at else "upsert")
            out.append(Change(name, row.id, kind, version, row if kind != "remove" else None))
    customer = session.get(Customer, job.customer_id)
    if customer is not None and (action != "remove" or not _still_sees(session, user, customer.id)):
        out.append(
            Change(
                "customer", customer.id, action, version, customer if action != "remove" else None
            )
        )
    return out


def _still_sees(session: Session, user: User, customer_id: uuid.UUID) -> bool:
    return (
        session.exec(
            select(Job.id).where(Job.customer_id == customer_id, assigned(Job.id, user)).limit(1)
        ).first()
        is not None
    )


def _crew_moves(session: Session, user: User, cursor: int, limit: int) -> list[Source]:
    """A worker newly put on a job gets all of it; one taken off gets ``remove``."""
    if is_office(user):
        return []
    added = (
        select(JobAssignment)
        .where(JobAssignment.user_id == user.id, JobAssignment.version > cursor)
        .order_by(JobAssignment.version)
    )
    removed = (
        select(CrewRemoval)
        .where(CrewRemoval.user_id == user.id, CrewRemoval.version > cursor)
        .order_by(CrewRemoval.version)
    )

    def on(a: JobAssignment) -> list[Change]:
        job = session.get(Job, a.job_id)
        return _job_bundle(session, job, a.version, "upsert", user) if job else []

    def off(r: CrewRemoval) -> list[Change]:
        job = session.get(Job, r.job_id)
        if job is None or session.get(JobAssignment, (job.id, user.id)) is not None:
            return []
        return _job_bundle(session, job, r.version, "remove", user)

    return [_source(session, added, limit, on), _source(session, removed, limit, off)]


def pull(
    session: Session, *, user: User, cursor: int, limit: int, scope: str, tz_name: str
) -> PullPage:
    """About ``limit`` rows' worth of changes after ``cursor``, in version order.

    Each source is read up to ``limit`` rows; when one has more, the page stops at its
    last version read, so no source can skip a change that a later page would need.
    """
    committed = current_version(session)  # read first: every version up to it is visible
    cond = _job_scope(user, scope, tz_name)
    sources = _direct(session, cond, cursor, limit) + _crew_moves(session, user, cursor, limit)
    ceiling = min((s.ceiling for s in sources if s.ceiling is not None), default=None)
    merged = sorted((c for s in sources for c in s.changes), key=lambda c: c.version)
    if ceiling is not None:
        merged = [c for c in merged if c.version <= ceiling]
    merged = _dedupe(merged)
    if ceiling is not None:
        new_cursor = ceiling
    else:
        new_cursor = max([committed, *(c.version for c in merged[-1:])])
    return PullPage(merged, max(new_cursor, cursor), ceiling is not None)


def _dedupe(changes: list[Change]) -> list[Change]:
    """Keep the last change per row (a bundle and a direct change may both name it)."""
    last: dict[tuple[str, uuid.UUID], int] = {}
    for i, c in enumerate(changes):
        last[(c.entity, c.entity_id)] = i
    return [c for i, c in enumerate(changes) if last[(c.entity, c.entity_id)] == i]
