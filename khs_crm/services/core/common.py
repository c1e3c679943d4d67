"""Helpers every write service uses: versioned changes, If-Match, soft delete."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, event, inspect, update
from sqlmodel import Session

from khs_crm.models import ActivityAction, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.errors import PreconditionFailed
from khs_crm.services.core.versioning import next_version


class Versioned(Protocol):
    """A table row that takes versions (customers, jobs, materials, notes, photos, users)."""

    id: uuid.UUID
    version: int
    updated_at: datetime


class Deletable(Versioned, Protocol):
    """A versioned row with a tombstone."""

    deleted_at: datetime | None


def check_version(row: Any, expected: int | None) -> None:
    """Raise PreconditionFailed (412) when the caller's If-Match version is stale."""
    if expected is not None and row.version != expected:
        raise PreconditionFailed(
            f"The record changed since version {expected}; it is now at version {row.version}.",
            details=[{"field": "version", "message": str(row.version)}],
        )


def apply_changes(
    session: Session,
    row: Versioned,
    changes: dict[str, Any],
    *,
    actor: User | None,
    entity: str,
    action: ActivityAction | str = ActivityAction.update,
    version: int | None = None,
    locked: bool = False,
) -> dict[str, Any]:
    """Set the fields that really change, take a new version, log the activity.

    Returns {field: [old, new]} of what changed (empty: nothing written). ``version`` and
    ``locked`` as for ``mark_written``. Does not commit.
    """
    changed: dict[str, Any] = {}
    for field, value in changes.items():
        old = getattr(row, field)
        if old != value:
            changed[field] = [old, value]
            setattr(row, field, value)
    if not changed:
        return changed
    mark_written(session, row, version=version, locked=locked)
    stamp_fields(row, changed)
    activity.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=row.id,
        action=action,
        changes=activity.diff(changed),
    )
    return changed


WRITTEN = "khs_written_rows"  # session.info key: {(table, id): version} of this unit of work


def mark_written(
    session: Session, row: Versioned, *, version: int | None = None, locked: bool = False
) -> None:
    """A versioned row was written: new version, new updated_at. Does not commit.

    The one place versions change. An existing row's new version is claimed with a
    compare-and-swap (``UPDATE … WHERE id = :id AND version = :read``): of two writers that
    read the same version, exactly one wins and the other gets PreconditionFailed, on SQLite
    and PostgreSQL alike. A row written twice in one unit of work (a sync operation, a
    request) keeps the one version it took first. ``version``: a number the caller already
    took (``versioning.reserve_versions``, for many rows at once). ``locked``: the caller
    read the row after taking the writers' lock (``versioning.lock_writes``), so nobody can
    have changed it since and the compare-and-swap is not needed.
    """
    # SQLModel's stubs do not declare __table__, which every table=True class has.
    table: Table = row.__table__  # type: ignore[attr-defined]
    written = session.info.setdefault(WRITTEN, {})
    key = (table.name, row.id)
    row.updated_at = utcnow()
    session.add(row)
    if key in written:
        return
    state = inspect(row)
    with session.no_autoflush:
        if version is None:
            version = next_version(session)
        if state.persistent and not locked:
            _claim(session, table, row, version)
    row.version = version
    written[key] = version


def _claim(session: Session, table: Table, row: Versioned, version: int) -> None:
    read = inspect(row).committed_state.get("version", row.version)
    claimed = session.exec(
        update(table).where(table.c.id == row.id, table.c.version == read).values(version=version)
    ).rowcount
    if claimed != 1:
        raise PreconditionFailed(
            "Someone else changed this record while you were saving; reload it and try again.",
            details=[{"field": "version", "message": "changed concurrently"}],
        )


def forget_written(session: Session) -> None:
    """Start a new unit of work on this session (the next write of a row takes a version)."""
    session.info.pop(WRITTEN, None)


def stamp_fields(row: Versioned, fields: Iterable[str]) -> None:
    """Remember that these fields changed at the row's current version (for sync merges)."""
    if hasattr(row, "field_versions"):
        row.field_versions = {**(row.field_versions or {}), **dict.fromkeys(fields, row.version)}


def soft_delete(session: Session, row: Deletable, *, actor: User | None, entity: str) -> None:
    """Tombstone the row (kept for history and sync) and log it. Does not commit."""
    row.deleted_at = utcnow()
    mark_written(session, row)
    activity.record(
        session, actor=actor, entity=entity, entity_id=row.id, action=ActivityAction.delete
    )


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _end_of_unit(session: Session) -> None:
    if not session.in_nested_transaction():  # not a savepoint's release or rollback
        forget_written(session)
