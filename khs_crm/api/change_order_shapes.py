"""A change order as the office API and the sync show it: the response models (the OpenAPI
document's shapes) and the one function that turns a row into that JSON
(docs/change_orders.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.money import AMOUNT, LinkOut
from khs_crm.api.schemas import CamelModel
from khs_crm.models import ChangeOrderStatus
from khs_crm.services.change_orders import content
from khs_crm.services.money.documents import money_text, number_text

DECIMAL: JsonDict = {"pattern": r"^-?[0-9]+(\.[0-9]*[1-9])?$", "examples": ["2.5"]}


class ChangeLineOut(CamelModel):
    """A line as stored and signed (docs/change_orders.md: decimals without trailing zeros)."""

    kind: Literal["material", "labor", "other", "discount"]
    description: str
    quantity: str = Field(json_schema_extra=DECIMAL)
    unit: str
    unit_price: str | None = Field(
        json_schema_extra=DECIMAL, description="null: to be priced by the office"
    )
    taxable: bool


class LocationOut(CamelModel):
    latitude: float
    longitude: float
    accuracy: float | None = None


class SignatureOut(CamelModel):
    name: str
    svg_path: str
    signed_at: str = Field(description="The device's time of signing, as it sent it.")
    content_hash: str = Field(description="SHA-256 of what was signed (computed by the server).")
    location: LocationOut | None = None


class ChangeOrderOut(CamelModel):
    id: uuid.UUID
    job_id: uuid.UUID
    number: str
    description: str
    lines: list[ChangeLineOut]
    photo_ids: list[uuid.UUID]
    status: ChangeOrderStatus
    signature: SignatureOut | None
    integrity: Literal["ok", "mismatch"] | None = Field(
        description="The stored content still hashes to the signed hash (null: unsigned)."
    )
    priced: bool
    tax_rate: str | None
    subtotal: str | None = Field(json_schema_extra=AMOUNT)
    tax: str | None = Field(json_schema_extra=AMOUNT)
    total: str | None = Field(json_schema_extra=AMOUNT)
    revises_id: uuid.UUID | None
    link_active: bool
    sent_at: datetime | None
    answered_name: str | None
    answered_at: datetime | None
    decline_reason: str | None
    decided_at: datetime | None
    decision_reason: str
    version: int
    created_at: datetime
    updated_at: datetime


class PricedRevision(CamelModel):
    change_order: ChangeOrderOut
    link: LinkOut


class MayPriceOut(CamelModel):
    user_id: uuid.UUID
    may_price_change_orders: bool


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def change_order_json(row: Any) -> dict[str, Any]:
    """A change order (a row, a pulled record, or a copy without prices) as the API and the
    sync show it; ``integrity`` recomputed from what is stored now."""
    lines = row.lines or []
    return {
        "id": str(row.id),
        "jobId": str(row.job_id),
        "number": row.number,
        "description": row.description,
        "lines": [{key: line.get(key) for key in content.LINE_KEYS} for line in lines],
        "photoIds": list(row.photo_ids or []),
        "status": str(row.status),
        "signature": row.signature or None,
        "integrity": content.integrity(row),
        "priced": bool(lines) and not any(line.get("unitPrice") is None for line in lines),
        "taxRate": number_text(row.tax_rate),
        "subtotal": money_text(row.subtotal),
        "tax": money_text(row.tax),
        "total": money_text(row.total),
        "revisesId": str(row.revises_id) if row.revises_id else None,
        "linkActive": row.link_hash is not None,
        "sentAt": _iso(row.sent_at),
        "answeredName": row.answered_name,
        "answeredAt": _iso(row.answered_at),
        "declineReason": row.decline_reason,
        "decidedAt": _iso(row.decided_at),
        "decisionReason": row.decision_reason or "",
        "version": row.version,
        "createdAt": _iso(row.created_at),
        "updatedAt": _iso(row.updated_at),
    }
