"""What every input model stands on: how a client's fields are read and cleaned.

Each domain keeps its schema family (Create / Update, from the field types and limits beside
its table in ``khs_crm.models``) in its own ``schemas`` module; the API, the office forms and
the field app's config read those.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from khs_crm.services.core.text import strip_bidi


class InputModel(BaseModel):
    """Fields a client sends: camelCase aliases, unknown fields refused, text trimmed."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        """A datetime is kept in UTC (one without a zone is read as UTC); text may not hold
        NUL (PostgreSQL)."""
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        if type(value) is str and value:  # plain text (enums keep their type)
            value = strip_bidi(value)
            if not value.strip():
                raise ValueError("must contain more than invisible control characters")
        return value


def refuse(message: str):
    """A field validator that refuses any value with ``message``."""

    def check(_cls, _value: Any) -> Any:
        raise ValueError(message)

    return classmethod(check)


def not_null(_cls, value: Any) -> Any:
    """Field validator: an optional field may be left out, but not sent as null."""
    if value is None:
        raise ValueError("may not be null")
    return value
