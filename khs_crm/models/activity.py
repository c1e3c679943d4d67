"""The activity log: who changed what, and when (after Zulip's RealmAuditLog)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlmodel import Column, Field, SQLModel

from khs_crm.models.base import UTCDateTime, new_id, utcnow


class ActivityAction(StrEnum):
    """Every action the log records; a new kind of write adds its member here first."""

    create = "create"
    update = "update"
    delete = "delete"
    restore = "restore"
    status = "status"
    assign = "assign"
    import_ = "import"
    deactivate = "deactivate"
    reset_password = "reset_password"  # noqa: S105 (an action name, not a password)
    calendar_issue = "calendar_issue"
    calendar_revoke = "calendar_revoke"
    resolve_conflict = "resolve_conflict"
    # System bookkeeping (thumbnail keys): kept out of people's timelines by default.
    housekeeping = "housekeeping"


class ActivityLog(SQLModel, table=True):
    """One logged write. ``changes`` is ``{field: {"old": old, "new": new}}`` (None: absent).

    ``job_id`` names the job the row belongs to (the job itself, or the job of a material,
    note or photo), so a job's timeline is one indexed query.
    """

    __tablename__ = "activity_log"
    __table_args__ = (Index("ix_activity_log_entity", "entity", "entity_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    entity: str = Field(max_length=32)
    entity_id: uuid.UUID
    job_id: uuid.UUID | None = Field(default=None, index=True)
    action: ActivityAction = Field(sa_type=String(32))
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime(), index=True)
