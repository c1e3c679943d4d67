"""People who sign in: owners, admins (office) and workers (crew)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from khs_crm.models.base import Timestamped, new_id


class Role(StrEnum):
    owner = "owner"
    admin = "admin"
    worker = "worker"


class UserBase(SQLModel):
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    role: Role = Field(default=Role.worker, sa_type=String(16))
    active: bool = True


class User(UserBase, Timestamped, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    password_hash: str = Field(max_length=100)
    # Bumped on deactivation and password reset: every token and session minted before dies.
    auth_epoch: int = 0
    # Taken from the global change counter on every write: If-Match and concurrent edits.
    version: int = Field(default=0)
    # The language the person reads the app in (khs_crm.i18n.LANGUAGES).
    language: str = Field(default="en", max_length=8)


class UserPublic(UserBase):
    id: uuid.UUID
