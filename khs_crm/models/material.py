"""Materials: the checklist of what a job needs bought."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, UTCDateTime, new_id


class MaterialBase(SQLModel):
    name: str = Field(max_length=200)
    quantity: float = 1
    unit: str = Field(default="", max_length=40)
    supplier: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)


class Material(MaterialBase, Syncable, table=True):
    __tablename__ = "materials"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    purchased: bool = Field(default=False, index=True)
    purchased_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    purchased_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
