"""Jobs, their crews and their notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import pydantic
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, Timestamped, UTCDateTime, new_id


class JobStatus(StrEnum):
    lead = "lead"
    quoted = "quoted"
    scheduled = "scheduled"
    in_progress = "in_progress"
    on_hold = "on_hold"
    completed = "completed"
    cancelled = "cancelled"


# Each limit once (the column, services.jobs.schemas, the office forms read these).
JobTitle = Annotated[str, pydantic.Field(min_length=1, max_length=200)]
JobDescription = Annotated[str, pydantic.Field(max_length=10000)]
SiteAddress = Annotated[str, pydantic.Field(max_length=500)]
NoteBody = Annotated[str, pydantic.Field(min_length=1, max_length=10000)]


class JobBase(SQLModel):
    title: JobTitle
    description: JobDescription = ""
    site_address: SiteAddress = ""
    scheduled_start: datetime | None = Field(default=None, sa_type=UTCDateTime(), index=True)
    scheduled_end: datetime | None = Field(default=None, sa_type=UTCDateTime())


class Job(JobBase, Syncable, table=True):
    __tablename__ = "jobs"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customers.id", index=True)
    status: JobStatus = Field(default=JobStatus.lead, sa_type=String(16), index=True)
    # Version of the last status change, so a worker's offline status move can lose to
    # an owner/admin move made after the worker's base version.
    status_version: int = 0
    status_changed_by_office: bool = False


class JobAssignment(Timestamped, table=True):
    __tablename__ = "job_assignments"

    job_id: uuid.UUID = Field(foreign_key="jobs.id", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True, index=True)
    version: int = Field(default=0, index=True)


class JobNote(Syncable, table=True):
    __tablename__ = "job_notes"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    author_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    body: NoteBody
