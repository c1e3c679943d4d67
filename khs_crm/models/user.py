"""People who sign in: owners, admins (office) and workers (crew)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

import pydantic
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from khs_crm.models.base import EmailText, LanguageCode, Timestamped, new_id


class Role(StrEnum):
    owner = "owner"
    admin = "admin"
    worker = "worker"


# Each limit once (the column, services.auth.schemas, the People form read it).
PersonName = Annotated[str, pydantic.Field(max_length=120)]


class UserBase(SQLModel):
    email: EmailText = Field(unique=True, index=True)
    name: PersonName
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
    language: LanguageCode = "en"
    # Stamp clock-ins and clock-outs with where the person is: None until the phone has asked
    # (once, at their first clock-in), then their answer; off unless True.
    share_location: bool | None = None


class UserPublic(UserBase):
    id: uuid.UUID
