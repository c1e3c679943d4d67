"""What every input model stands on: how a client's fields are read and cleaned.

Each domain keeps its schema family (Create / Update, from the field types and limits beside
its table in ``khs_crm.models``) in its own ``schemas`` module; the API, the office forms and
the field app's config read those.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from khs_crm.services.core.text import strip_bidi

# The languages a person can read the app in (khs_crm.i18n.LANGUAGES; a test keeps them equal).
Language = Literal["en", "es"]


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL cannot hold NUL in text, not even in a query's parameter: refuse it here
    # (422), never with a 500. InputModel does the same for every field.
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNul = AfterValidator(_no_nul)  # for text read outside an InputModel: Annotated[str, NoNul]


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


def whole(value: Any) -> Any:
    """A JSON integer as JSON Schema counts one (``40`` or ``40.0``); text and true/false
    are refused (pydantic would take ``true`` as 1)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Enter a whole number.")
    return value


def real(value: Any) -> Any:
    """A JSON number (integer or not); true/false refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Enter a number.")
    return value
