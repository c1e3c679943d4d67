"""The activity log: who changed what, and when."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Column, Field, SQLModel

from khs_crm.models.base import UTCDateTime, new_id, utcnow


class ActivityLog(SQLModel, table=True):
    __tablename__ = "activity_log"
    __table_args__ = (Index("ix_activity_log_entity", "entity", "entity_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    entity: str = Field(max_length=32)
    entity_id: uuid.UUID
    action: str = Field(max_length=32)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime(), index=True)
