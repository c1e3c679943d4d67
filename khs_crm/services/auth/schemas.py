"""What a client may send about a person who signs in: a new user, a change, a new password.

The name's and the email's limits come from their types beside the table
(``khs_crm.models.user``), the password's from ``khs_crm.security``; ``users`` checks the
same rules again for callers that are not the API (the CLI, the People page).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from khs_crm.models.base import EmailText
from khs_crm.models.user import PersonName, Role
from khs_crm.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from khs_crm.services.core.schemas import Language, NoNul, not_null
from khs_crm.services.core.text import VISIBLE
from khs_crm.services.customers.rules import EMAIL_ADDRESS_SCHEMA

# The service checks these (users.normalise_email, _check_name, check_password_rules); the
# schema says the same for /api/openapi.json.
Password = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": MIN_PASSWORD_LENGTH, "pattern": r"\S"},
    ),
]
Name = Annotated[PersonName, Field(json_schema_extra={"pattern": VISIBLE}), NoNul]
Email = Annotated[EmailText, NoNul, Field(json_schema_extra=EMAIL_ADDRESS_SCHEMA)]


class UserInput(BaseModel):
    """camelCase aliases, unknown fields refused (the service trims and checks the text)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True
    )


class UserCreate(UserInput):
    email: Email
    name: Name
    role: Role
    password: Password


class UserUpdate(UserInput):
    name: Name | None = None
    role: Role | None = None
    active: bool | None = None
    language: Language | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return not_null(cls, value)


class PasswordReset(UserInput):
    password: Password
