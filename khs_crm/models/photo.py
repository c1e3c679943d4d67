"""Photos taken on site; the file lives in storage, the row points at it.

A row exists only once its file is stored and checked, so no row points at a missing file.
``thumbnail_status``: pending (queued), ready, failed, unavailable (HEIC without a decoder).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import pydantic
from sqlmodel import Field

from khs_crm.models.base import Syncable, UTCDateTime

# Each limit once (the column, services.photos.schemas, the office and field forms read it).
Caption = Annotated[str, pydantic.Field(max_length=500)]


class Photo(Syncable, table=True):
    __tablename__ = "photos"

    id: uuid.UUID = Field(primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True)
    storage_key: str = Field(max_length=300)
    content_type: str = Field(max_length=60)
    size: int = 0
    caption: Caption = ""
    tag: str = Field(default="progress", max_length=16)
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    uploaded_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    width: int | None = None
    height: int | None = None
    # SHA-256 of the bytes the client sent: the same id sent again with the same bytes is a
    # retry (answered with this photo); with other bytes it is a conflict.
    content_sha256: str = Field(default="", max_length=64)
    thumbnail_key: str | None = Field(default=None, max_length=300)
    thumbnail_status: str = Field(default="pending", max_length=16)
