"""Materials: the checklist of what a job needs bought."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import pydantic
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, UTCDateTime, new_id

# Each limit once (the column, services.jobs.schemas, the office forms and the field app's
# config read these).
MAX_QUANTITY = 1_000_000
MaterialName = Annotated[str, pydantic.Field(min_length=1, max_length=200)]
Quantity = Annotated[float, pydantic.Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False)]
Unit = Annotated[str, pydantic.Field(max_length=40)]
Supplier = Annotated[str, pydantic.Field(max_length=200)]
MaterialNotes = Annotated[str, pydantic.Field(max_length=2000)]


class MaterialBase(SQLModel):
    name: MaterialName
    quantity: Quantity = 1
    unit: Unit = ""
    supplier: Supplier = ""
    notes: MaterialNotes = ""


class Material(MaterialBase, Syncable, table=True):
    __tablename__ = "materials"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    purchased: bool = Field(default=False, index=True)
    purchased_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    purchased_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
