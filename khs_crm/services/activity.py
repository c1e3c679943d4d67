"""The activity log: written by every service write, in the same transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityLog, User


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


def record(
    session: Session,
    *,
    actor: User | None,
    entity: str,
    entity_id: uuid.UUID,
    action: str,
    changes: dict[str, Any] | None = None,
) -> ActivityLog:
    """Add one activity row to the caller's transaction."""
    row = ActivityLog(
        actor_id=actor.id if actor else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
    )
    session.add(row)
    return row


def list_activity(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: uuid.UUID | None = None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[tuple[ActivityLog, str | None]], int]:
    """One page of the log, newest first, each row with its actor's name (None: the system)."""
    conditions = []
    if entity:
        conditions.append(ActivityLog.entity == entity)
    if entity_id is not None:
        conditions.append(ActivityLog.entity_id == entity_id)
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
