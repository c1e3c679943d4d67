"""Change orders: extra work agreed on site, written up (and signed) on a phone offline, priced
and decided by the office. The rules: services/change_orders/; the contract: docs/change_orders.md.

Lines live on the row as JSON, exactly as they are hashed when the customer signs
(``{kind, description, quantity, unit, unitPrice, taxable}``, decimals as plain strings,
``unitPrice`` null while unpriced), so the row is the signed document. Who may price change
orders sits beside the person (``change_order_pricers``), never on the shared user row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, UTCDateTime, new_id, ts_field
from khs_crm.models.money import MONEY, PERCENT


class ChangeOrderStatus(StrEnum):
    draft = "draft"  # editable, on the phone or in the office
    signed = "signed"  # the customer signed: frozen
    sent = "sent"  # a priced revision, waiting for the customer's answer through its link
    approved = "approved"  # the office added it to the contract
    rejected = "rejected"  # the office turned it down
    declined = "declined"  # the customer turned the priced revision down


class ChangeOrder(Syncable, table=True):
    """One change order of a job. ``signature``: ``{name, svgPath, signedAt, contentHash,
    location?}`` once signed. ``revises_id``: the signed original a priced revision prices.
    Totals are None while any line is unpriced."""

    __tablename__ = "change_orders"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    number: str = Field(max_length=32, unique=True)
    description: str = Field(default="", max_length=5000)
    lines: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"nullable": False}
    )
    photo_ids: list[str] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"nullable": False}
    )
    status: ChangeOrderStatus = Field(
        default=ChangeOrderStatus.draft, sa_type=String(16), index=True
    )
    signature: dict[str, Any] | None = Field(default=None, sa_type=JSON, nullable=True)
    tax_rate: Decimal = Field(default=Decimal("0"), sa_type=PERCENT)
    subtotal: Decimal | None = Field(default=None, sa_type=MONEY)
    tax: Decimal | None = Field(default=None, sa_type=MONEY)
    total: Decimal | None = Field(default=None, sa_type=MONEY)
    revises_id: uuid.UUID | None = Field(default=None, foreign_key="change_orders.id", index=True)
    # SHA-256 of the customer link's token (a priced revision's; the token is shown once).
    link_hash: str | None = Field(default=None, max_length=64, unique=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    answered_name: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    answered_ip: str | None = Field(default=None, max_length=64)
    answered_user_agent: str | None = Field(default=None, max_length=500)
    decline_reason: str | None = Field(default=None, max_length=2000)
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    decision_reason: str = Field(default="", max_length=2000)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")


class ChangeOrderPricer(SQLModel, table=True):
    """A person the owner allowed to price change orders (``mayPriceChangeOrders``): a row
    means yes. Beside the user, as an hourly cost is."""

    __tablename__ = "change_order_pricers"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    granted_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = ts_field()
