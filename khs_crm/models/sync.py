"""The sync ledger and the global change counter."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Column, Field, SQLModel

from khs_crm.models.base import UTCDateTime, utcnow


class ChangeCounter(SQLModel, table=True):
    """One row holding the last version handed out; locked while a writer commits."""

    __tablename__ = "change_counter"

    id: int = Field(default=1, primary_key=True)
    value: int = 0


class SyncOperation(SQLModel, table=True):
    """Every operation a device pushed, with its first result (idempotency by op id)."""

    __tablename__ = "sync_operations"
    __table_args__ = (Index("ix_sync_operations_client_seq", "client_id", "seq"),)

    op_id: uuid.UUID = Field(primary_key=True)
    client_id: str = Field(max_length=64)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    seq: int
    payload_hash: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    status: str = Field(max_length=16)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
