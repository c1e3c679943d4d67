"""Private calendar feeds: a secret link per person, stored only as its SHA-256."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from khs_crm.models.base import UTCDateTime, new_id, utcnow


class CalendarToken(SQLModel, table=True):
    """One issued feed link. Revoked links stay for the record; only the hash is kept."""

    __tablename__ = "calendar_tokens"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
