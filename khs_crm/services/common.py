"""Helpers every write service uses: versioned changes, If-Match, soft delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, SQLModel

from khs_crm.models import User
from khs_crm.models.base import utcnow
from khs_crm.services import activity
from khs_crm.services.errors import PreconditionFailed
from khs_crm.services.versioning import next_version


def check_version(row: Any, expected: int | None) -> None:
    """Raise PreconditionFailed (412) when the caller's If-Match version is stale."""
    if expected is not None and row.version != expected:
        raise PreconditionFailed(
            f"The record changed since version {expected}; it is now at version {row.version}.",
            details=[{"field": "version", "message": str(row.version)}],
        )


def apply_changes(
    session: Session,
    row: SQLModel,
    changes: dict[str, Any],
    *,
    actor: User | None,
    entity: str,
    action: str = "update",
) -> dict[str, Any]:
    """Set the fields that really change, take a new version, log the activity.

    Returns {field: [old, new]} of what changed (empty: nothing written). Does not commit.
    """
    changed = {}
    for field, value in changes.items():
        old = getattr(row, field)
        if old != value:
            changed[field] = [old, value]
            setattr(row, field, value)
    if not changed:
        return changed
    mark_written(session, row)
    stamp_fields(row, changed)
    activity.record(
        session, actor=actor, entity=entity, entity_id=row.id, action=action, changes=changed
    )
    return changed


def mark_written(session: Session, row: SQLModel) -> None:
    """A syncable row was written: new version, new updated_at. Does not commit."""
    row.version = next_version(session)
    row.updated_at = utcnow()
    session.add(row)


def stamp_fields(row: SQLModel, fields: Iterable[str]) -> None:
    """Remember that these fields changed at the row's current version (for sync merges)."""
    if hasattr(row, "field_versions"):
        row.field_versions = {**(row.field_versions or {}), **dict.fromkeys(fields, row.version)}


def soft_delete(session: Session, row: SQLModel, *, actor: User | None, entity: str) -> None:
    """Tombstone the row (kept for history and sync) and log it. Does not commit."""
    row.deleted_at = utcnow()
    mark_written(session, row)
    activity.record(session, actor=actor, entity=entity, entity_id=row.id, action="delete")
