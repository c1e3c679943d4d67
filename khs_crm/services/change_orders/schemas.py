"""What a phone or the office sends about a change order. Text is kept exactly as sent (no
trimming: it is what the customer signs); text holding NUL or bidi control characters is
refused rather than altered. Decimals arrive as strings, as in money (services/money/schemas)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from khs_crm.services.core.schemas import InputModel, not_null
from khs_crm.services.money.schemas import Lines, Price, Quantity, Rate, SignedPrice, StrictBool

MAX_LINES = 200
MAX_PHOTOS = 50
# No bidi controls (U+202A–U+202E, U+2066–U+2069): a signed text is never silently altered.
PLAIN = r"^[^\u202a-\u202e\u2066-\u2069]*$"
SIGNED_AT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$"
SVG_PATH = r"^[MmLlHhVvCcSsQqTtZz0-9 ,.eE+-]*$"
HEX64 = r"^[0-9a-f]{64}$"


def _text(limit: int, *, min_length: int = 0) -> Any:
    return Field(max_length=limit, min_length=min_length, pattern=PLAIN)


class SignedText(InputModel):
    """Text kept as sent: not trimmed, bidi controls refused (422), NUL refused."""

    model_config = ConfigDict(str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _clean(cls, value: Any) -> Any:  # replaces InputModel's (which trims and strips)
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class LineIn(SignedText):
    """A change order's line, as an estimate's: ``unitPrice`` null while unpriced, 0 or more
    (a discount's may be negative: DiscountLineIn)."""

    kind: Literal["material", "labor", "other"]
    description: Annotated[str, _text(500)] = ""
    quantity: Quantity
    unit: Annotated[str, _text(40)] = ""
    unit_price: Price | None = None
    taxable: StrictBool = True

    _not_null = field_validator("kind", "description", "unit", "taxable")(classmethod(not_null))


class DiscountLineIn(LineIn):
    kind: Literal["discount"]  # type: ignore[assignment]
    unit_price: SignedPrice | None = None


AnyLine = Annotated[LineIn | DiscountLineIn, Field(discriminator="kind")]
ChangeLines = Annotated[list[AnyLine], Field(max_length=MAX_LINES)]
PhotoIds = Annotated[list[uuid.UUID], Field(max_length=MAX_PHOTOS)]
Description = Annotated[str, _text(5000)]


def _signed_at(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(SIGNED_AT, value):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError("signedAt is not a real time") from exc
    return value


class Location(InputModel):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    accuracy: Annotated[float, Field(ge=0, le=100000)] | None = None


class SignatureIn(SignedText):
    """The customer's signature, made on the phone: typed name, drawn path, device time, and
    (if the crew member allows it) where. ``contentHash``: the phone's own, checked."""

    name: Annotated[str, _text(200, min_length=1)]
    svg_path: Annotated[str, Field(min_length=1, max_length=50000, pattern=SVG_PATH)]
    signed_at: Annotated[str, BeforeValidator(_signed_at), Field(pattern=SIGNED_AT)]
    content_hash: Annotated[str, Field(pattern=HEX64)] | None = None
    location: Location | None = None


class DeviceChangeOrder(SignedText):
    """A phone's create (``jobId`` required) or update: only the fields sent. ``number`` is
    the server's (ignored); ``signature`` signs it; ``status`` may only say draft or signed."""

    id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    number: Any = None
    description: Description | None = None
    lines: ChangeLines | None = None
    photo_ids: PhotoIds | None = None
    status: Literal["draft", "signed"] | None = None
    signature: SignatureIn | None = None

    _not_null = field_validator("description", "lines", "photo_ids")(classmethod(not_null))


class ChangeOrderIn(SignedText):
    """The office's draft: description, lines (prices optional) and photos (PUT replaces)."""

    description: Description = ""
    lines: ChangeLines = []
    photo_ids: PhotoIds = []

    _not_null = field_validator("description", "lines", "photo_ids")(classmethod(not_null))


class PricingIn(InputModel):
    """The office's prices for a signed change order: its lines, priced (as an estimate's),
    and the tax rate (the company's by default). Makes a priced revision, sent to the
    customer."""

    lines: Lines
    tax_rate: Rate | None = None

    _not_null = field_validator("lines")(classmethod(not_null))


class DecisionIn(InputModel):
    reason: Annotated[str, Field(max_length=2000)] = ""


class MayPriceIn(InputModel):
    may_price_change_orders: StrictBool
