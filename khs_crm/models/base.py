"""Shared column types and mixins for every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, get_args

import pydantic
from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

# Field types with their limits live beside the tables (here and in each entity's module):
# each limit is written once and read by the column, the services' input models (so the API's
# schema), the office forms and the field app's config.
EmailText = Annotated[str, pydantic.Field(max_length=254)]  # the longest address mail carries
LanguageCode = Annotated[str, pydantic.Field(max_length=8)]  # khs_crm.i18n.LANGUAGES


def bound(field_type: Any, name: str = "max_length") -> Any:
    """A bound a field type carries, for code that needs the number itself:
    ``bound(Caption)`` -> 500, ``bound(Quantity, "le")`` -> 1000000."""
    for item in get_args(field_type)[1:]:
        for constraint in getattr(item, "metadata", [item]):
            if getattr(constraint, name, None) is not None:
                return getattr(constraint, name)
    raise LookupError(f"{field_type} has no {name}")


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
