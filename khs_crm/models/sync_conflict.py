"""Sync conflicts kept for the office's review, and crew removals that devices must learn of."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from khs_crm.models.base import UTCDateTime, new_id, utcnow


class SyncConflict(SQLModel, table=True):
    """Device work the office should see: a field the device overwrote although it had
    changed on the server since the device's base version (``field``), an edit of a row the
    office deleted (``deleted``) or a change a rule refused (``refused``). Both sides kept."""

    __tablename__ = "sync_conflicts"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    entity: str = Field(max_length=32)
    entity_id: uuid.UUID = Field(index=True)
    field: str = Field(max_length=64)
    kind: str = Field(default="field", max_length=16)  # field | deleted | refused
    server_value: Any = Field(default=None, sa_type=JSON, nullable=True)
    client_value: Any = Field(default=None, sa_type=JSON, nullable=True)
    server_version: int = 0
    server_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    client_user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    op_id: uuid.UUID
    # Every field the device tried to change ({field: value}); ``field`` names the one at issue.
    changes: dict[str, Any] | None = Field(default=None, sa_type=JSON, nullable=True)
    # Why, as a message code and its parameters (shown later in the reader's language).
    reason: str = Field(default="", max_length=32)
    params: dict[str, Any] | None = Field(default=None, sa_type=JSON, nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), index=True)
    resolved_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    resolution: str = Field(default="", max_length=16)


class CrewRemoval(SQLModel, table=True):
    """A worker taken off a job: their devices get ``remove`` for it on the next pull."""

    __tablename__ = "crew_removals"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    version: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
