"""The office's review of sync conflicts: list them, keep one side."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from sqlmodel import Session, col, func, select

from khs_crm.models import Job, SyncConflict, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import is_office, require_office
from khs_crm.services.core.common import mark_written
from khs_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from khs_crm.services.customers import service as customers
from khs_crm.services.customers.schemas import CustomerUpdate
from khs_crm.services.jobs import materials, workflow
from khs_crm.services.jobs import service as jobs
from khs_crm.services.sync import messages as sync_messages


def list_conflicts(
    session: Session, *, user: User, open_only: bool, offset: int, limit: int
) -> tuple[list[SyncConflict], int]:
    """Conflicts newest first: the office sees all, a worker only those of their own changes."""
    query = _visible(select(SyncConflict), user=user, open_only=open_only)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(SyncConflict.created_at).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total


@dataclass
class ConflictContext:
    """What a page of conflicts shows beside each: people's names, the rows' labels."""

    names: dict[uuid.UUID, str]
    labels: dict[sync_messages.Ref, str]


def describe(session: Session, rows: list[SyncConflict]) -> ConflictContext:
    """The names and labels of a page of conflicts, a few queries for the whole page."""
    people = {u for c in rows for u in (c.server_user_id, c.client_user_id, c.resolved_by) if u}
    names = (
        dict(session.exec(select(User.id, User.name).where(col(User.id).in_(people))).all())
        if people
        else {}
    )
    return ConflictContext(
        names, sync_messages.labels(session, [(c.entity, c.entity_id) for c in rows])
    )


def _visible(query: Any, *, user: User, open_only: bool) -> Any:
    if not is_office(user):
        query = query.where(SyncConflict.client_user_id == user.id)
    if open_only:
        query = query.where(col(SyncConflict.resolved_at).is_(None))
    return query


def open_count(session: Session, *, user: User) -> int:
    """How many unresolved conflicts the user can see (every office page's badge: one
    count, no rows)."""
    query = _visible(select(func.count()).select_from(SyncConflict), user=user, open_only=True)
    return session.exec(query).one()


def resolve(session: Session, *, conflict_id: uuid.UUID, keep: str, actor: User) -> SyncConflict:
    """Keep the server's or the device's value; the chosen value is written if it is not
    the one standing. Office only."""
    require_office(actor, "resolve sync conflicts")
    if keep not in ("server", "client"):
        raise ValidationFailed(
            'keep must be "server" or "client".',
            details=[{"field": "keep", "message": "server | client"}],
        )
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise NotFound("Conflict not found.")
    if conflict.resolved_at is not None:
        raise Conflict("This conflict was already resolved.")
    overwritten = conflict.kind == "field"
    if conflict.kind == "deleted":
        if keep == "client":
            _restore(session, conflict, actor)
    # An overwritten field holds the device's value; a refused change left the server's.
    elif (keep == "server") == overwritten:
        value = conflict.server_value if keep == "server" else conflict.client_value
        _write(session, conflict, value, actor)
    conflict.resolved_at = utcnow()
    conflict.resolved_by = actor.id
    conflict.resolution = keep
    session.add(conflict)
    session.flush()
    return conflict


def _write(session: Session, conflict: SyncConflict, value: Any, actor: User) -> None:
    _write_changes(session, conflict, {conflict.field: value}, actor)


def _write_changes(
    session: Session, conflict: SyncConflict, changes: dict[str, Any], actor: User
) -> None:
    if conflict.entity == "job" and "status" in changes:
        workflow.change_status(
            session, job_id=conflict.entity_id, status=changes["status"], actor=actor
        )
    elif conflict.entity == "customer":
        customers.update_customer(
            session, customer_id=conflict.entity_id, changes=CustomerUpdate(**changes), actor=actor
        )
    elif conflict.entity == "job":
        jobs.update_job(
            session, job_id=conflict.entity_id, data=jobs.JobUpdate(**changes), actor=actor
        )
    elif conflict.entity == "material":
        materials.update_material(
            session,
            material_id=conflict.entity_id,
            data=materials.MaterialChanges(**changes),
            actor=actor,
        )
    else:
        raise ValidationFailed(f"Conflicts on a {conflict.entity} cannot be resolved here.")


RESTORE_RULES: dict[str, type[BaseModel]] = {
    "customer": CustomerUpdate,
    "job": jobs.JobUpdate,
    "material": materials.MaterialChanges,
}


def _restore(session: Session, conflict: SyncConflict, actor: User) -> None:
    """Bring back a row the office deleted, with the change the device made to it.

    A material, note or photo comes back only onto a live job (restore the job first).
    """
    model = sync_messages.MODELS.get(conflict.entity)
    row = session.get(model, conflict.entity_id) if model else None
    if row is None:
        raise NotFound("The record of this conflict no longer exists.")
    job_id = getattr(row, "job_id", None)
    if job_id is not None and _deleted(session.get(Job, job_id)):
        raise Conflict(
            f"{sync_messages.label(session, 'job', session.get(Job, job_id))} was deleted; "
            "restore the job first."
        )
    changes = _device_changes(conflict)
    if row.deleted_at is not None:
        row.deleted_at = None
        mark_written(session, row)
        activity.record(
            session, actor=actor, entity=conflict.entity, entity_id=row.id, action="restore"
        )
    session.flush()
    if changes:
        _write_changes(session, conflict, changes, actor)


def _deleted(row) -> bool:
    return row is None or row.deleted_at is not None


def _device_changes(conflict: SyncConflict) -> dict[str, Any]:
    """The device's change, checked by the same rules as any edit (status excluded: a move
    goes through the workflow)."""
    wire = {k: v for k, v in (conflict.changes or {}).items() if k not in ("status", "jobId")}
    rules = RESTORE_RULES.get(conflict.entity)
    if rules is None or not wire:
        return {}
    try:
        return rules.model_validate(wire).model_dump(exclude_unset=True)
    except PydanticError as exc:
        raise ValidationFailed("The device's change is no longer valid.") from exc
