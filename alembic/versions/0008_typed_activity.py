"""a typed activity log: job timelines, one change shape, housekeeping apart

``activity_log`` gets ``job_id`` (indexed): the job itself, or the job of a material, note or
photo, so a job's timeline is one query. Every ``changes`` value takes one shape,
``{"old": old, "new": new}``: edits stored ``[old, new]``, creates and imports the plain new
value. The thumbnail bookkeeping rows (a photo, no actor, a ``thumbnail_key``) become
``housekeeping``, which people's timelines leave out.

Plain ALTER TABLE only (no batch rebuild), as in 0004. The rewrite of ``changes`` is a
Python loop (portable JSON handling); it needs a live connection, so ``--sql`` skips it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 03:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from alembic import context, op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_PARTS = {"material": "materials", "note": "job_notes", "photo": "photos"}
CREATES = ("create", "import")  # their changes held plain new values, not [old, new]
HOUSEKEEPING = "housekeeping"

log = sa.table(
    "activity_log",
    sa.column("id", sa.Uuid()),
    sa.column("actor_id", sa.Uuid()),
    sa.column("entity", sa.String()),
    sa.column("action", sa.String()),
    sa.column("changes", sa.JSON()),
)


def is_change(value: Any) -> bool:
    """True for a value already in the new shape, ``{"old": ..., "new": ...}``."""
    return isinstance(value, dict) and set(value) == {"old", "new"}


def new_shape(action: str, changes: dict[str, Any]) -> dict[str, Any]:
    """One row's ``changes`` in the ``{field: {"old", "new"}}`` shape.

    A create or import held plain values; any other action held ``[old, new]`` pairs (a
    value that is not a two-element list is taken as a new value with no old one).
    """
    out = {}
    for field, value in (changes or {}).items():
        if is_change(value):
            out[field] = value
        elif action not in CREATES and isinstance(value, list) and len(value) == 2:
            out[field] = {"old": value[0], "new": value[1]}
        else:
            out[field] = {"old": None, "new": value}
    return out


def old_shape(action: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The reverse of ``new_shape``, for the downgrade."""
    out = {}
    for field, value in (changes or {}).items():
        if not is_change(value):
            out[field] = value
        elif action in CREATES:
            out[field] = value["new"]
        else:
            out[field] = [value["old"], value["new"]]
    return out


def is_housekeeping(entity: str, actor_id: Any, changes: dict[str, Any]) -> bool:
    """The thumbnail worker's rows: a photo, written by no one, setting ``thumbnail_key``."""
    return entity == "photo" and actor_id is None and "thumbnail_key" in (changes or {})


def _rewrite(convert, action_of) -> None:
    conn = op.get_bind()
    query = sa.select(log.c.id, log.c.actor_id, log.c.entity, log.c.action, log.c.changes)
    updates = []
    for row_id, actor_id, entity, action, stored in conn.execute(query).all():
        changes = stored or {}
        new_action = action_of(entity, actor_id, action, changes)
        # Housekeeping rows were updates: their changes convert as an update's.
        new_changes = convert(new_action if action == HOUSEKEEPING else action, changes)
        if new_changes != changes or new_action != action:
            updates.append({"row_id": row_id, "action": new_action, "changes": new_changes})
    if updates:
        conn.execute(
            log.update()
            .where(log.c.id == sa.bindparam("row_id"))
            .values(action=sa.bindparam("action"), changes=sa.bindparam("changes")),
            updates,
        )


def _upgraded_action(entity: str, actor_id: Any, action: str, changes: dict[str, Any]) -> str:
    return HOUSEKEEPING if is_housekeeping(entity, actor_id, changes) else action


def _downgraded_action(entity: str, actor_id: Any, action: str, changes: dict[str, Any]) -> str:
    return "update" if action == HOUSEKEEPING else action


def _backfill(entity: str, table: str) -> sa.Update:
    """``job_id`` of one kind's rows from its table (a correlated subquery: both databases)."""
    target = sa.table(
        "activity_log",
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.Uuid()),
        sa.column("job_id", sa.Uuid()),
    )
    part = sa.table(table, sa.column("id", sa.Uuid()), sa.column("job_id", sa.Uuid()))
    job_of = sa.select(part.c.job_id).where(part.c.id == target.c.entity_id).scalar_subquery()
    return target.update().where(target.c.entity == entity).values(job_id=job_of)


def upgrade() -> None:
    op.add_column("activity_log", sa.Column("job_id", sa.Uuid(), nullable=True))
    op.create_index("ix_activity_log_job_id", "activity_log", ["job_id"], unique=False)
    op.execute("UPDATE activity_log SET job_id = entity_id WHERE entity = 'job'")
    for entity, table in JOB_PARTS.items():
        op.execute(_backfill(entity, table))
    if not context.is_offline_mode():
        _rewrite(new_shape, _upgraded_action)


def downgrade() -> None:
    if not context.is_offline_mode():
        _rewrite(old_shape, _downgraded_action)
    op.drop_index("ix_activity_log_job_id", table_name="activity_log")
    op.drop_column("activity_log", "job_id")
