"""What a client may send about jobs, their notes and their materials.

Each field's limits come from its type beside the table (``khs_crm.models.job`` and
``material``), written once there; the API's schema, the office forms (``office.forms``) and
the field app's config (``office.limits.input_rules``) read them from these models.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, Strict, field_validator

from khs_crm.models.job import JobDescription, JobTitle, NoteBody, SiteAddress
from khs_crm.models.material import (
    MAX_QUANTITY,
    MaterialName,
    MaterialNotes,
    Supplier,
    Unit,
)
from khs_crm.models.material import Quantity as QuantityBounds
from khs_crm.services.core.schemas import InputModel, not_null, refuse

__all__ = [
    "MAX_QUANTITY",
    "Crew",
    "JobCreate",
    "JobUpdate",
    "MaterialChanges",
    "MaterialCreate",
    "NoteCreate",
    "Quantity",
]

# The most people one job's crew may hold (a new job's and a crew change's).
Crew = Annotated[list[uuid.UUID], Field(max_length=100)]
# A number (not a string, not true/false), above 0 and at most a million.
Quantity = Annotated[QuantityBounds, Strict()]


class JobUpdate(InputModel):
    """A partial change to a job's own fields (status and crew have their own routes)."""

    customer_id: uuid.UUID | None = None
    title: JobTitle | None = None
    description: JobDescription | None = None
    site_address: SiteAddress | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    status: None = None

    _not_null = field_validator("customer_id", "title", "description", "site_address")(
        classmethod(not_null)
    )
    _no_status = field_validator("status", mode="before")(
        refuse("change the status with PUT /jobs/{id}/status")
    )


class JobCreate(JobUpdate):
    """A new job; it always starts as a lead. ``id`` may be chosen by an offline client."""

    id: uuid.UUID | None = None
    customer_id: uuid.UUID
    title: JobTitle
    assigned_user_ids: Crew | None = None

    _no_status = field_validator("status", mode="before")(
        refuse("a new job starts as a lead; change it with PUT /jobs/{id}/status")
    )


class NoteCreate(InputModel):
    """A new note; ``id`` may be chosen by an offline client."""

    id: uuid.UUID | None = None
    body: NoteBody


class MaterialChanges(InputModel):
    """A partial change to a material; ``purchased`` stamps who bought it and when."""

    name: MaterialName | None = None
    quantity: Quantity | None = None
    unit: Unit | None = None
    supplier: Supplier | None = None
    notes: MaterialNotes | None = None
    purchased: Annotated[bool, Strict()] | None = None

    _not_null = field_validator("*")(classmethod(not_null))


class MaterialCreate(MaterialChanges):
    """A new material; ``id`` may be chosen by an offline client."""

    id: uuid.UUID | None = None
    name: MaterialName
    quantity: Quantity = 1

    _not_null = field_validator("name", "quantity", "unit", "supplier", "notes", "purchased")(
        classmethod(not_null)
    )
