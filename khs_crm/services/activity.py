"""The activity log: written by every service write, in the same transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session

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
