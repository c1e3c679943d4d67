"""What a client may send about a customer: a new one, or a change to one.

Each field's limit comes from its type beside the table (``khs_crm.models.customer``), and
how it is read and checked from ``customers.rules``; the API, the CSV import, sync and the
office form read both through these models.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from khs_crm.services.customers.rules import Address, Email, Name, Notes, Phone, digits_of


class _Rules(BaseModel):
    """camelCase aliases, unknown fields refused: server-owned fields cannot be sent."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class CustomerCreate(_Rules):
    """A new customer. ``id`` is optional: offline clients choose their own UUIDs."""

    id: uuid.UUID | None = None
    name: Name
    phone: Phone = ""
    email: Email = ""
    address: Address = ""
    notes: Notes = ""


class CustomerUpdate(_Rules):
    """A partial change: only the fields present are changed."""

    name: Name | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    notes: Notes | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Name is required.")
        return value

    @field_validator("phone", "email", "address", "notes", mode="before")
    @classmethod
    def _null_clears(cls, value: Any) -> Any:
        return "" if value is None else value

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent, with phone_digits kept in step with phone."""
        changed = self.model_dump(exclude_unset=True)
        if "phone" in changed:
            changed["phone_digits"] = digits_of(changed["phone"])
        return changed
