"""Shared column types and mixins for every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite included)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def ts_field(*, index: bool = False, nullable: bool = False, default_now: bool = True):
    """A timezone-aware timestamp column."""
    return Field(
        default_factory=utcnow if default_now else (lambda: None),
        sa_type=UTCDateTime(),
        nullable=nullable,
        index=index,
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Timestamped(SQLModel):
    """created_at / updated_at on every table."""

    created_at: datetime = ts_field()
    updated_at: datetime = ts_field(index=True)


class Syncable(Timestamped):
    """Rows that travel to devices: a global change number and a tombstone."""

    version: int = Field(default=0, index=True)
    deleted_at: datetime | None = ts_field(nullable=True, default_now=False)
    # {field: version of its last change}: lets sync tell which fields changed on the
    # server after a device's base version (field-level merge).
    field_versions: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, sa_column_kwargs={"nullable": False}
    )
