"""What a client may send about money. Amounts, quantities and rates are JSON strings
("1234.50"), read into ``Decimal``; a JSON number where one is expected is refused (422), so
no amount ever passes through a float. Each pattern is the whole rule for its field, and the
API's schema says it."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import BeforeValidator, Field, Strict, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from khs_crm.i18n import N_
from khs_crm.models.customer import CustomerName
from khs_crm.models.money import InvoiceKind, PaymentMethod
from khs_crm.services.core.schemas import InputModel, not_null

MAX_LINES = 200
# A positive number with at most 3 decimals, below ten million.
QUANTITY = r"^([1-9][0-9]{0,6}(\.[0-9]{1,3})?|0\.([1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))$"
# An amount of money, 0 or more, at most 2 decimals, below a hundred million.
PRICE = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"
# The same, negative too (a discount's price).
SIGNED_PRICE = r"^-?[0-9]{1,8}(\.[0-9]{1,2})?$"
# A payment (negative: a refund): at most 2 decimals.
PAYMENT = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"
# A percentage from 0 to 100 with at most 3 decimals ("8.875").
RATE = r"^(100(\.0{1,3})?|[0-9]{1,2}(\.[0-9]{1,3})?)$"
# A share above 0 and at most 100 percent.
SHARE = r"^(100(\.0{1,3})?|[1-9][0-9]?(\.[0-9]{1,3})?|0\.([1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))$"
PREFIX = r"^[A-Za-z0-9-]{0,10}$"

_SAID = {
    QUANTITY: N_('Enter a quantity above 0 with at most 3 decimals, as text: "2.5".'),
    PRICE: N_('Enter an amount with at most 2 decimals, as text: "1234.50".'),
    SIGNED_PRICE: N_('Enter an amount with at most 2 decimals, as text: "-50.00".'),
    PAYMENT: N_('Enter an amount with at most 2 decimals, as text: "1234.50".'),
    RATE: N_('Enter a percentage from 0 to 100 with at most 3 decimals, as text: "8.875".'),
    SHARE: N_('Enter a percentage above 0, at most 100, as text: "30".'),
}


def _reader(pattern: str) -> BeforeValidator:
    """A Decimal that arrives as a string matching ``pattern`` (a JSON number: refused)."""

    def read(value: Any) -> Any:
        if isinstance(value, Decimal):  # from Python (services, tests): kept as it is
            return value
        if not isinstance(value, str) or re.fullmatch(pattern, value) is None:
            raise ValueError(_SAID[pattern])
        return Decimal(value)

    return BeforeValidator(read)


def _text(pattern: str, example: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": pattern, "examples": [example]})


def _prefix(value: Any) -> Any:
    if not isinstance(value, str) or re.fullmatch(PREFIX, value) is None:
        raise ValueError(N_("Use up to 10 letters, digits or dashes."))
    return value


Prefix = Annotated[
    str, BeforeValidator(_prefix), WithJsonSchema({"type": "string", "pattern": PREFIX})
]
Quantity = Annotated[Decimal, _reader(QUANTITY), _text(QUANTITY, "3")]
Price = Annotated[Decimal, _reader(PRICE), _text(PRICE, "19.99")]
SignedPrice = Annotated[Decimal, _reader(SIGNED_PRICE), _text(SIGNED_PRICE, "-50.00")]
PaymentAmount = Annotated[Decimal, _reader(PAYMENT), _text(PAYMENT, "1234.50")]
Rate = Annotated[Decimal, _reader(RATE), _text(RATE, "8.25")]
Share = Annotated[Decimal, _reader(SHARE), _text(SHARE, "30")]


def _at_most(limit: int) -> BeforeValidator:
    """The length as sent, before the text is trimmed (the schema's maxLength counts it so)."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": limit},
            )
        return value

    return BeforeValidator(check)


Description = Annotated[str, _at_most(500), Field(max_length=500)]
Unit = Annotated[str, _at_most(40), Field(max_length=40)]
Notes = Annotated[str, _at_most(5000), Field(max_length=5000)]
Name = Annotated[str, _at_most(200), Field(max_length=200)]
Address = Annotated[str, _at_most(500), Field(max_length=500)]
Phone = Annotated[str, _at_most(40), Field(max_length=40)]
Reference = Annotated[str, _at_most(200), Field(max_length=200)]
StrictBool = Annotated[bool, Strict()]


def _whole(value: Any) -> Any:
    """A JSON integer (``30`` or ``30.0``); text and true/false are refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Enter a whole number.")
    return value


Days = Annotated[
    int,
    BeforeValidator(_whole),
    Ge(0),
    Le(3650),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 3650}),
]


class ItemLine(InputModel):
    """A line of materials, labor or anything else: a price of 0 or more."""

    kind: Literal["material", "labor", "other"]
    description: Description = ""
    quantity: Quantity
    unit: Unit = ""
    unit_price: Price
    taxable: StrictBool = True

    _not_null = field_validator("description", "unit", "taxable")(classmethod(not_null))


class DiscountLine(ItemLine):
    """A discount: its price may be negative."""

    kind: Literal["discount"]  # type: ignore[assignment]
    unit_price: SignedPrice


LineIn = Annotated[ItemLine | DiscountLine, Field(discriminator="kind")]
Lines = Annotated[list[LineIn], Field(max_length=MAX_LINES)]


class EstimateIn(InputModel):
    """An estimate's content (PUT replaces all of it). ``taxRate`` defaults to the
    company's; ``validUntil`` to today plus the company's validity days."""

    lines: Lines = []
    tax_rate: Rate | None = None
    valid_until: date | None = None
    notes: Notes = ""

    _not_null = field_validator("lines", "notes")(classmethod(not_null))


class EstimateCreate(EstimateIn):
    """A new estimate; ``fromMaterials`` adds a line per material of the job (its unit cost
    as the price, to be edited)."""

    from_materials: StrictBool = False

    _not_null_flag = field_validator("from_materials")(classmethod(not_null))


class InvoiceCreate(InputModel):
    """A new invoice: a share of an approved estimate (``estimateId`` + ``percent``; a final
    invoice bills what is left) or its own ``lines``."""

    kind: InvoiceKind
    estimate_id: uuid.UUID | None = None
    percent: Share | None = None
    lines: Lines | None = None
    tax_rate: Rate | None = None
    due_date: date | None = None
    notes: Notes = ""

    _not_null = field_validator("kind", "notes")(classmethod(not_null))


class InvoiceUpdate(InputModel):
    """A change to a draft invoice (``lines``/``taxRate``: only one with its own lines)."""

    lines: Lines | None = None
    tax_rate: Rate | None = None
    due_date: date | None = None
    notes: Notes | None = None

    _not_null = field_validator("lines", "tax_rate", "notes")(classmethod(not_null))


class PaymentIn(InputModel):
    """Money received; a negative amount is a refund (owner only)."""

    amount: PaymentAmount
    method: PaymentMethod
    received_at: datetime | None = None
    reference: Reference = ""

    _not_null = field_validator("amount", "method", "reference")(classmethod(not_null))


class CompanyUpdate(InputModel):
    """A change to the company's settings (owner only); fields left out stay."""

    name: Name | None = None
    address: Address | None = None
    phone: Phone | None = None
    default_tax_rate: Rate | None = None
    estimate_valid_days: Days | None = None
    payment_terms_days: Days | None = None
    deposit_percent: Rate | None = None
    estimate_prefix: Prefix | None = None
    invoice_prefix: Prefix | None = None

    _not_null = field_validator("*")(classmethod(not_null))


class UnitCostIn(InputModel):
    """What the company pays per unit of a material (null: unknown)."""

    unit_cost: Price | None


class ApprovalIn(InputModel):
    """A customer's approval: their full name and that they agree."""

    name: CustomerName  # as long as a customer's name may be
    agree: Literal[True]


class DeclineIn(InputModel):
    reason: Annotated[str, Field(max_length=2000)] = ""
