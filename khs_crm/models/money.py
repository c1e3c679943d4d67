"""Money: the company's settings, estimates, invoices, their lines, payments and the counters
that number them. Amounts are ``Decimal`` in ``NUMERIC(12,2)`` columns (services/money/rules.py
says how they are computed); nothing here syncs to the field app."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, Numeric, String
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Timestamped, UTCDateTime, new_id, ts_field, utcnow

MONEY = Numeric(12, 2)  # every amount: up to 9,999,999,999.99
QUANTITY = Numeric(12, 3)  # a line's quantity: 3 decimals
PERCENT = Numeric(6, 3)  # tax rates and percentages: "8.875"


class LineKind(StrEnum):
    material = "material"
    labor = "labor"
    other = "other"
    discount = "discount"


class EstimateStatus(StrEnum):
    draft = "draft"
    sent = "sent"
    approved = "approved"
    declined = "declined"
    expired = "expired"  # a sent estimate whose validUntil has passed (read, never stored)
    superseded = "superseded"  # a revision replaced it


class InvoiceKind(StrEnum):
    deposit = "deposit"
    progress = "progress"
    final = "final"


class InvoiceStatus(StrEnum):
    draft = "draft"
    sent = "sent"
    partially_paid = "partially_paid"
    paid = "paid"
    void = "void"


class PaymentMethod(StrEnum):
    cash = "cash"
    check = "check"
    card = "card"
    transfer = "transfer"
    other = "other"


class CompanySettings(SQLModel, table=True):
    """The one row (id 1) of what the company's documents say about it."""

    __tablename__ = "company_settings"

    id: int = Field(default=1, primary_key=True)
    name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=40)
    default_tax_rate: Decimal = Field(default=Decimal("0"), sa_type=PERCENT)
    estimate_valid_days: int = 30
    payment_terms_days: int = 30
    deposit_percent: Decimal = Field(default=Decimal("30"), sa_type=PERCENT)
    estimate_prefix: str = Field(default="E-", max_length=10)
    invoice_prefix: str = Field(default="INV-", max_length=10)
    version: int = 0
    updated_at: datetime = ts_field()


class DocumentCounter(SQLModel, table=True):
    """The last number given to each kind of document (``estimate``, ``invoice``)."""

    __tablename__ = "document_counters"

    kind: str = Field(primary_key=True, max_length=16)
    value: int = 0


class MoneyDocument(Timestamped):
    """What estimates and invoices share."""

    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    customer_id: uuid.UUID = Field(foreign_key="customers.id", index=True)
    number: str = Field(max_length=32, unique=True)
    tax_rate: Decimal = Field(default=Decimal("0"), sa_type=PERCENT)
    notes: str = Field(default="", max_length=5000)
    subtotal: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    tax: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    total: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    version: int = Field(default=0)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # SHA-256 of the customer link's token (the token itself is shown once, never stored).
    link_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")


class Estimate(MoneyDocument, table=True):
    __tablename__ = "estimates"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    status: EstimateStatus = Field(default=EstimateStatus.draft, sa_type=String(16), index=True)
    valid_until: date | None = Field(default=None, sa_type=Date())
    revises_id: uuid.UUID | None = Field(default=None, foreign_key="estimates.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    approved_name: str | None = Field(default=None, max_length=200)
    approved_ip: str | None = Field(default=None, max_length=64)
    approved_user_agent: str | None = Field(default=None, max_length=500)
    declined_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    decline_reason: str | None = Field(default=None, max_length=2000)


class Invoice(MoneyDocument, table=True):
    __tablename__ = "invoices"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: InvoiceKind = Field(sa_type=String(16))
    status: InvoiceStatus = Field(default=InvoiceStatus.draft, sa_type=String(16), index=True)
    estimate_id: uuid.UUID | None = Field(default=None, foreign_key="estimates.id", index=True)
    percent: Decimal | None = Field(default=None, sa_type=PERCENT)
    due_date: date | None = Field(default=None, sa_type=Date(), index=True)
    paid: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class DocumentLine(SQLModel, table=True):
    """One line of an estimate or of an invoice (exactly one of the two ids is set)."""

    __tablename__ = "document_lines"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    estimate_id: uuid.UUID | None = Field(default=None, foreign_key="estimates.id", index=True)
    invoice_id: uuid.UUID | None = Field(default=None, foreign_key="invoices.id", index=True)
    position: int = 0
    kind: LineKind = Field(sa_type=String(16))
    description: str = Field(default="", max_length=500)
    quantity: Decimal = Field(sa_type=QUANTITY)
    unit: str = Field(default="", max_length=40)
    unit_price: Decimal = Field(sa_type=MONEY)
    taxable: bool = True
    amount: Decimal = Field(sa_type=MONEY)
    # The estimate line an invoice line bills (a share of it), for what is left to bill.
    source_line_id: uuid.UUID | None = Field(default=None)


class Payment(SQLModel, table=True):
    """Money received (or, negative, refunded) against an invoice; never edited."""

    __tablename__ = "payments"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoices.id", index=True)
    amount: Decimal = Field(sa_type=MONEY)
    method: PaymentMethod = Field(sa_type=String(16))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime(), index=True)
    reference: str = Field(default="", max_length=200)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = ts_field()


class MaterialCost(SQLModel, table=True):
    """What the company pays per unit of a material: beside the material, not on it, so the
    synced row (and so every phone) never holds a cost."""

    __tablename__ = "material_costs"

    material_id: uuid.UUID = Field(foreign_key="materials.id", primary_key=True)
    unit_cost: Decimal = Field(sa_type=MONEY)
    updated_at: datetime = ts_field()
