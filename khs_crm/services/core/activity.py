"""The activity log: written by every service write, in the same transaction.

Each row has a typed ``action`` (``ActivityAction``) and one change shape,
``{field: {"old": old, "new": new}}``: build it with ``created`` (a new row's fields) or
``diff`` (``{field: (old, new)}`` pairs), so every caller says which it means.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, ActivityLog, JobNote, Material, Photo, User

Changes = dict[str, dict[str, Any]]


class JobPart(Protocol):
    """A row that belongs to one job (a material, a note, a photo)."""

    job_id: uuid.UUID


JOB_PARTS: dict[str, type[JobPart]] = {"material": Material, "note": JobNote, "photo": Photo}
# Fields only the system keeps (where a file is stored, its thumbnail, a search key): a
# change to nothing else is housekeeping, kept in the log but out of people's timelines.
SYSTEM_FIELDS = frozenset(
    {"storage_key", "thumbnail_key", "thumbnail_status", "content_sha256", "phone_digits"}
)


def is_housekeeping(changes: Mapping[str, Any] | None) -> bool:
    """True for a change that touches system fields only (see SYSTEM_FIELDS)."""
    return bool(changes) and set(changes or {}) <= SYSTEM_FIELDS


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def created(fields: Mapping[str, Any]) -> Changes:
    """The change of a new row: each field from nothing (None) to its value."""
    return {field: {"old": None, "new": value} for field, value in fields.items()}


def diff(pairs: Mapping[str, Sequence[Any]]) -> Changes:
    """The change of an edit, from ``{field: (old, new)}`` pairs."""
    return {field: {"old": old, "new": new} for field, (old, new) in pairs.items()}


def parse_action(action: ActivityAction | str) -> ActivityAction:
    """The action as the enum; ValueError for an unknown one (a programming error)."""
    try:
        return ActivityAction(action)
    except ValueError:
        raise ValueError(f"Unknown activity action {action!r}.") from None


def _checked_changes(changes: Mapping[str, Any] | None) -> Changes:
    out = {}
    for field, change in (changes or {}).items():
        if not (isinstance(change, Mapping) and set(change) == {"old", "new"}):
            raise ValueError(
                f"Activity change of {field!r} must be {{'old', 'new'}}: use created() or diff()."
            )
        out[field] = {"old": _jsonable(change["old"]), "new": _jsonable(change["new"])}
    return out


def job_of(session: Session, entity: str, entity_id: uuid.UUID) -> uuid.UUID | None:
    """The job a logged row belongs to: the job itself, or a material's, note's or photo's."""
    if entity == "job":
        return entity_id
    model = JOB_PARTS.get(entity)
    row = session.get(model, entity_id) if model is not None else None
    return row.job_id if row is not None else None


def record(
    session: Session,
    *,
    actor: User | None,
    entity: str,
    entity_id: uuid.UUID,
    action: ActivityAction | str,
    changes: Changes | None = None,
    job_id: uuid.UUID | None = None,
) -> ActivityLog:
    """Add one activity row to the caller's transaction.

    ``changes`` is ``{field: {"old", "new"}}`` (see ``created`` and ``diff``); ``job_id``
    defaults to the job the row belongs to. An update of system fields only is recorded as
    housekeeping. Raises ValueError for an unknown action or a
    change in another shape: both are programming errors.
    """
    row = ActivityLog(
        actor_id=actor.id if actor else None,
        entity=entity,
        entity_id=entity_id,
        job_id=job_id if job_id is not None else job_of(session, entity, entity_id),
        action=parse_action(action),
        changes=_checked_changes(changes),
    )
    if row.action == ActivityAction.update and is_housekeeping(row.changes):
        row.action = ActivityAction.housekeeping
    session.add(row)
    return row


def list_activity(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    include_system: bool = False,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[tuple[ActivityLog, str | None]], int]:
    """One page of the log, newest first, each row with its actor's name (None: the system).

    ``job_id`` gives a job's timeline (the job, its materials, notes, photos and crew);
    housekeeping rows are left out unless ``include_system``.
    """
    conditions = []
    if entity:
        conditions.append(ActivityLog.entity == entity)
    if entity_id is not None:
        conditions.append(ActivityLog.entity_id == entity_id)
    if job_id is not None:
        conditions.append(ActivityLog.job_id == job_id)
    if not include_system:
        conditions.append(ActivityLog.action != ActivityAction.housekeeping)
    total = session.exec(select(func.count()).select_from(ActivityLog).where(*conditions)).one()
    rows = session.exec(
        select(ActivityLog, User.name)
        .outerjoin(User, col(User.id) == ActivityLog.actor_id)
        .where(*conditions)
        .order_by(col(ActivityLog.created_at).desc(), col(ActivityLog.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [(row, name) for row, name in rows], total
