"""Pull: every change a user may see after a cursor, in version order, never skipping one.

Versions come from one counter row that each writer locks until it commits
(services/core/versioning.py), so commits happen in version order: once the counter reads N,
every version up to N is committed. A pull reads the counter first and sends nothing above
it, because its later reads are separate statements (PostgreSQL READ COMMITTED, SQLite
outside a transaction) and may see a push that commits half-way through: without the bound,
the rows read after that commit would move the cursor past the rows read before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, Table
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from khs_crm.models import (
    ChangeOrder,
    CrewRemoval,
    Customer,
    Job,
    JobAssignment,
    JobNote,
    Material,
    Photo,
    TimeEntry,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.change_orders.prices import as_seen_by
from khs_crm.services.core.access import assigned, is_office
from khs_crm.services.core.versioning import current_version
from khs_crm.services.jobs.workflow import crew_ids

CHILDREN: dict[str, type[Material] | type[JobNote] | type[Photo] | type[ChangeOrder]] = {
    "material": Material,
    "note": JobNote,
    "photo": Photo,
    "change_order": ChangeOrder,
}


@dataclass
class Change:
    entity: str
    entity_id: uuid.UUID
    action: str  # upsert | delete | remove
    version: int
    row: Any = None


@dataclass
class RowContext:
    """What rows show beside themselves: each job's crew, each note's author's name."""

    crews: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    authors: dict[uuid.UUID, str] = field(default_factory=dict)


def row_context(session: Session, rows: Iterable[tuple[str, Any]]) -> RowContext:
    """The crews and authors of these (entity, row) pairs, in one query each."""
    pairs = [(entity, row) for entity, row in rows if row is not None]
    job_ids = [row.id for entity, row in pairs if entity == "job"]
    author_ids = {row.author_id for entity, row in pairs if entity == "note" and row.author_id}
    authors = (
        dict(session.exec(select(User.id, User.name).where(col(User.id).in_(author_ids))).all())
        if author_ids
        else {}
    )
    return RowContext(crew_ids(session, job_ids), authors)


@dataclass
class PullPage:
    changes: list[Change]
    cursor: int
    has_more: bool
    context: RowContext = field(default_factory=RowContext)


def week_window(tz_name: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday in the company's time zone."""
    local = (now or utcnow()).astimezone(ZoneInfo(tz_name))
    start = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(days=7)


def _job_scope(user: User, scope: str, tz_name: str) -> ColumnElement[bool]:
    """SQL condition on Job for the jobs this user's device should hold."""
    if not is_office(user):
        return assigned(col(Job.id), user)
    if scope == "all":
        return col(Job.id).is_not(None)
    start, end = week_window(tz_name)
    return (col(Job.scheduled_start) < end) & (
        (col(Job.scheduled_end) >= start) | (col(Job.scheduled_start) >= start)
    )


@dataclass
class Source:
    """One ordered stream of changes; ``ceiling`` is set when it had more than a page."""

    changes: list[Change]
    ceiling: int | None


def _records(session: Session, query) -> list[SimpleNamespace]:
    """The rows of a query on one table, as plain records with the columns as attributes.

    A pull reads thousands of rows and changes none: skipping the ORM's identity map and
    change tracking makes them several times cheaper to load and to serialise.
    """
    result = session.exec(query)
    keys = list(result.keys())
    return [SimpleNamespace(**dict(zip(keys, row, strict=True))) for row in result]


def _rows(model: type) -> Select[Any]:
    """A query for a table's rows as the REST shape needs them: without ``field_versions``
    (the merge's bookkeeping, never sent, a JSON document to decode per row)."""
    # SQLModel's stubs do not declare __table__, which every table=True class has.
    table: Table = model.__table__  # type: ignore[attr-defined]
    return select_rows(*(column for column in table.c if column.name != "field_versions"))


def _source(session: Session, query, limit: int, expand) -> Source:
    rows = _records(session, query.limit(limit + 1))
    ceiling = rows[limit - 1].version if len(rows) > limit else None
    changes = [c for row in rows[:limit] for c in expand(row)]
    return Source(changes, ceiling)


def _direct(session: Session, cond: ColumnElement[bool], cursor: int, limit: int) -> list[Source]:
    """Rows written after the cursor, per table, each in version order."""
    sources = [
        _source(
            session,
            _rows(Job).where(col(Job.version) > cursor, cond).order_by(col(Job.version)),
            limit,
            lambda j: [_change("job", j)],
        )
    ]
    in_scope = select(Job.id).where(cond)
    for name, model in CHILDREN.items():
        query = (
            _rows(model)
            .where(col(model.version) > cursor, col(model.job_id).in_(in_scope))
            .order_by(col(model.version))
        )
        sources.append(_source(session, query, limit, lambda r, n=name: [_change(n, r)]))
    customers = (
        _rows(Customer)
        .where(col(Customer.version) > cursor)
        .where(col(Customer.id).in_(select(Job.customer_id).where(cond)))
        .order_by(col(Customer.version))
    )
    sources.append(_source(session, customers, limit, lambda c: [_change("customer", c)]))
    return sources


def _own_time(session: Session, user: User, cursor: int, limit: int) -> Source:
    """The user's own time entries (the office's too: each phone is its user's clock)."""
    query = (
        _rows(TimeEntry)
        .where(col(TimeEntry.version) > cursor, col(TimeEntry.user_id) == user.id)
        .order_by(col(TimeEntry.version))
    )
    return _source(session, query, limit, lambda t: [_change("time_entry", t)])


def _change(entity: str, row: Any, version: int | None = None) -> Change:
    action = "delete" if row.deleted_at is not None else "upsert"
    return Change(entity, row.id, action, version if version is not None else row.version, row)


def _job_bundle(
    session: Session, job: Job, version: int, action: str, user: User, cursor: int
) -> list[Change]:
    """A job with its customer and children, all stamped with one version.

    A job the user was put on needs only the children the device may lack: those at or
    below the cursor. The newer ones come through the direct sources (the job is in scope
    now), so a device's first pull does not read every child of its jobs twice.
    """
    out = [Change("job", job.id, action, version, job if action != "remove" else None)]
    for name, model in CHILDREN.items():
        query = _rows(model).where(col(model.job_id) == job.id)
        if action != "remove":
            query = query.where(col(model.version) <= cursor)
        for row in _records(session, query):
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
            select(Job.id)
            .where(Job.customer_id == customer_id, assigned(col(Job.id), user))
            .limit(1)
        ).first()
        is not None
    )


def _crew_moves(session: Session, user: User, cursor: int, limit: int) -> list[Source]:
    """A worker newly put on a job gets all of it; one taken off gets ``remove``."""
    if is_office(user):
        return []
    added = (
        _rows(JobAssignment)
        .where(col(JobAssignment.user_id) == user.id, col(JobAssignment.version) > cursor)
        .order_by(col(JobAssignment.version))
    )
    removed = (
        _rows(CrewRemoval)
        .where(col(CrewRemoval.user_id) == user.id, col(CrewRemoval.version) > cursor)
        .order_by(col(CrewRemoval.version))
    )

    def on(a: Any) -> list[Change]:  # a JobAssignment record
        job = session.get(Job, a.job_id)
        return _job_bundle(session, job, a.version, "upsert", user, cursor) if job else []

    def off(r: Any) -> list[Change]:  # a CrewRemoval record
        job = session.get(Job, r.job_id)
        if job is None or session.get(JobAssignment, (job.id, user.id)) is not None:
            return []
        return _job_bundle(session, job, r.version, "remove", user, cursor)

    return [_source(session, added, limit, on), _source(session, removed, limit, off)]


def pull(
    session: Session, *, user: User, cursor: int, limit: int, scope: str, tz_name: str
) -> PullPage:
    """About ``limit`` rows' worth of changes after ``cursor``, in version order.

    Each source is read up to ``limit`` rows; when one has more, the page stops at its
    last version read, so no source can skip a change that a later page would need. Nothing
    above the counter as first read is sent (see the module's docstring): it comes next time.
    """
    committed = current_version(session)  # read first: every version up to it is visible
    if committed <= cursor:
        # Caught up (a phone's usual poll): each source would read only rows above the
        # cursor, which are above the counter too and wait for the next pull anyway.
        return PullPage([], cursor, has_more=False)
    cond = _job_scope(user, scope, tz_name)
    sources = _direct(session, cond, cursor, limit) + _crew_moves(session, user, cursor, limit)
    sources.append(_own_time(session, user, cursor, limit))
    ceiling = min((s.ceiling for s in sources if s.ceiling is not None), default=None)
    bound = committed if ceiling is None else min(ceiling, committed)
    merged = sorted((c for s in sources for c in s.changes), key=lambda c: c.version)
    kept = [c for c in merged if c.version <= bound]
    has_more = ceiling is not None or len(kept) < len(merged)
    changes = _without_money(session, user, _dedupe(kept))
    context = row_context(session, [(c.entity, c.row) for c in changes])
    return PullPage(changes, max(bound, cursor), has_more, context)


def _dedupe(changes: list[Change]) -> list[Change]:
    """Keep the last change per row (a bundle and a direct change may both name it)."""
    last: dict[tuple[str, uuid.UUID], int] = {}
    for i, c in enumerate(changes):
        last[(c.entity, c.entity_id)] = i
    return [c for i, c in enumerate(changes) if last[(c.entity, c.entity_id)] == i]


def _without_money(session: Session, user: User, changes: list[Change]) -> list[Change]:
    """Change orders as this user may receive them (services/change_orders/prices.py: the
    one exception to "workers never receive money fields")."""
    orders = [c for c in changes if c.entity == "change_order" and c.row is not None]
    for change, row in zip(orders, as_seen_by(session, user, [c.row for c in orders]), strict=True):
        change.row = row
    return changes
