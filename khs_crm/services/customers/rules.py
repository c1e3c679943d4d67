"""What a valid customer field is: how names, phones, emails, addresses and notes are read and
checked (the API, the CSV import and sync share them through ``customers.schemas``)."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic.json_schema import JsonDict

from khs_crm.models.base import EmailText
from khs_crm.models.customer import AddressText, CustomerName, CustomerNotes, PhoneText
from khs_crm.services.core.errors import ValidationFailed, error_details
from khs_crm.services.core.text import strip_bidi

PHONE_PATTERN = re.compile(r"^(?:[0-9 +().\-]|x|ext\.?)*$", re.IGNORECASE)
PHONE_PUNCTUATION = frozenset(" +().-")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15
# What _check_phone and _check_email accept, as JSON Schema says it (for /api/openapi.json).
# Python's whitespace (str.isspace, what .strip() takes off) spelled out: JSON Schema's \s
# is not Python's.
SPACE = r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_PHONE_MARK = r"(?:[ +().\-]|[xX]|[eE][xX][tT]\.?)"
PHONE_SCHEMA: JsonDict = {
    "pattern": rf"^{SPACE}*$|^{SPACE}*{_PHONE_MARK}*(?:[0-9]{_PHONE_MARK}*)"
    rf"{{{MIN_PHONE_DIGITS},{MAX_PHONE_DIGITS}}}{SPACE}*$"
}
_SPECIAL_USE = "|".join(
    "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in name)
    for name in SPECIAL_USE_DOMAIN_NAMES
)
# An address email_validator takes: well-formed, at no special-use domain (.test, .local, ...).
EMAIL_ADDRESS_SCHEMA: JsonDict = {
    "format": "email",
    "not": {"pattern": rf"[.@](?:{_SPECIAL_USE})\.?$"},
}
EMAIL_SCHEMA: JsonDict = {"anyOf": [{"pattern": rf"^{SPACE}*$"}, EMAIL_ADDRESS_SCHEMA]}

M = TypeVar("M", bound=BaseModel)


def digits_of(text: str) -> str:
    """The digits of a text, in order: "(512) 555-0101" -> "5125550101"."""
    return "".join(c for c in text if c.isascii() and c.isdigit())


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters in text: refuse them here, never with a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _plain_name(value: str) -> str:
    value = strip_bidi(_no_nul(value)).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _check_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if not PHONE_PATTERN.match(value):
        raise ValueError("may contain only digits, spaces, + ( ) - . and x or ext")
    count = len(digits_of(value))
    if not MIN_PHONE_DIGITS <= count <= MAX_PHONE_DIGITS:
        raise ValueError(f"must have {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits")
    return value


def _check_email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc


# Each field's limit comes from its type beside the table (khs_crm.models.customer); these add
# how a value is read and checked.
Name = Annotated[
    CustomerName,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_plain_name),
]
Phone = Annotated[
    PhoneText,
    BeforeValidator(_none_to_empty),
    AfterValidator(_check_phone),
    Field(json_schema_extra=PHONE_SCHEMA),
]
Email = Annotated[
    EmailText,
    BeforeValidator(_none_to_empty),
    AfterValidator(_check_email),
    Field(json_schema_extra=EMAIL_SCHEMA),
]
Address = Annotated[
    AddressText,
    StringConstraints(strip_whitespace=True),
    BeforeValidator(_none_to_empty),
    AfterValidator(lambda value: strip_bidi(_no_nul(value))),
]
Notes = Annotated[
    CustomerNotes,
    BeforeValidator(_none_to_empty),
    AfterValidator(_no_nul),
]


def validated(model: type[M], data: dict[str, Any] | BaseModel) -> M:
    """Validate ``data`` as ``model``; raise ValidationFailed (422) with per-field details."""
    if isinstance(data, model):
        return data
    raw = data.model_dump(exclude_unset=True) if isinstance(data, BaseModel) else data
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed(
            "The customer is not valid.", details=error_details(exc.errors())
        ) from exc


def is_phone_query(text: str) -> bool:
    """True when a search text looks like (part of) a phone number: >= 3 digits, no letters."""
    stripped = text.strip()
    return len(digits_of(stripped)) >= 3 and all(
        c.isdigit() or c in PHONE_PUNCTUATION for c in stripped
    )
