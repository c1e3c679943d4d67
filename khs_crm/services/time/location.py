"""Where a person was when they clocked in and out: optional, their own choice, and coarse.

A phone stamps a clock-in or clock-out only for a person whose ``share_location`` is True
(asked once, at their first clock-in; ``None`` until then, and off unless True). The server
never trusts the phone's precision: it keeps each coordinate rounded half-up to **3
decimals**, about 110 m of latitude (and 110 m × cos(latitude) of longitude, ~85 m at 40°):
enough to tell one job site from another, not which house on the street. A stamp sent for a
person who does not share their location is dropped, never stored. Who sees a stamp: the
person (their own entries, through the pull and /api/time-entries) and the office.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BeforeValidator, WithJsonSchema, model_validator
from sqlmodel import Session

from khs_crm.models import User
from khs_crm.services.auth import users
from khs_crm.services.core.errors import NotFound
from khs_crm.services.core.schemas import InputModel, real

PLACES = Decimal("0.001")  # ~110 m: see the module's docstring
STAMPS = ("in_lat", "in_lng", "out_lat", "out_lng")
PAIRS = (("in_lat", "in_lng"), ("out_lat", "out_lng"))

Latitude = Annotated[
    float,
    BeforeValidator(real),
    Ge(-90),
    Le(90),
    WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90}),
]
Longitude = Annotated[
    float,
    BeforeValidator(real),
    Ge(-180),
    Le(180),
    WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180}),
]


class Stamps(InputModel):
    """A phone's position at clock in (``inLat``/``inLng``) and clock out (``outLat``/
    ``outLng``), as precise as it likes: each pair comes whole or not at all."""

    in_lat: Latitude | None = None
    in_lng: Longitude | None = None
    out_lat: Latitude | None = None
    out_lng: Longitude | None = None

    @model_validator(mode="after")
    def _pairs(self) -> Stamps:
        for lat, lng in PAIRS:
            if (getattr(self, lat) is None) != (getattr(self, lng) is None):
                raise ValueError("A position needs both its latitude and its longitude.")
        return self


def rounded(value: float | Decimal | None) -> Decimal | None:
    """A coordinate as the server keeps it: half-up to 3 decimals (from its decimal text, so
    a float's binary tail never tips it)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def stamp_fields(session: Session, stamps: Any, actor: User) -> dict[str, Decimal | None]:
    """The stamp fields to store, rounded: those sent (a pair sent as nulls clears it), and
    none at all for a person who does not share their location (their choice as the
    database has it now: a ``user`` operation earlier in the same push counts)."""
    person = session.get(User, actor.id)
    if not isinstance(stamps, Stamps) or person is None or person.share_location is not True:
        return {}
    sent = stamps.model_dump(include=set(STAMPS), exclude_unset=True)
    return {name: rounded(value) for name, value in sent.items()}


def coordinate(value: Decimal | None) -> float | None:
    """A kept coordinate as JSON shows it (a number, 3 decimals)."""
    return None if value is None else float(value)


def stamps_json(entry: Any) -> dict[str, float | None]:
    return {
        "inLat": coordinate(entry.in_lat),
        "inLng": coordinate(entry.in_lng),
        "outLat": coordinate(entry.out_lat),
        "outLng": coordinate(entry.out_lng),
    }


def map_href(lat: Decimal | None, lng: Decimal | None) -> str:
    """An OpenStreetMap link centred on a stamp ("" when there is none)."""
    if lat is None or lng is None:
        return ""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.3f}&mlon={lng:.3f}#map=17/{lat:.3f}/{lng:.3f}"
    )


def set_share_location(session: Session, *, actor: User, share: bool) -> User:
    """A person says whether their clock-ins carry where they are (anyone, for themselves;
    from the phone's question or its Settings), logged."""
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound("This user does not exist.")
    return users.set_own(session, actor=actor, user=user, field="share_location", value=share)
