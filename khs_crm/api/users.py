"""/api/users: the people who sign in (office only; workers get 404)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import Field, field_validator

from khs_crm.api.deps import IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.schemas import CamelModel, PageParams, page_params, page_response
from khs_crm.models import Role, User
from khs_crm.services.auth import users as user_service

router = APIRouter(prefix="/users", tags=["users"])

Password = Annotated[str, Field(min_length=1, max_length=1024)]


class UserOut(CamelModel):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UserCreate(CamelModel):
    email: str = Field(max_length=254)
    name: str = Field(max_length=120)
    role: Role
    password: Password


class UserUpdate(CamelModel):
    name: str | None = Field(default=None, max_length=120)
    role: Role | None = None
    active: bool | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class PasswordReset(CamelModel):
    password: Password


def user_json(user: User) -> dict[str, Any]:
    return UserOut.model_validate(user).dump()


@router.get("")
def list_users(
    _office: OfficeUser, session: SessionDep, params: Annotated[PageParams, Depends(page_params)]
) -> JSONResponse:
    """Every user, active or not, by name."""
    rows, total = user_service.list_users(session, offset=params.offset, limit=params.page_size)
    return page_response([user_json(u) for u in rows], params=params, total=total)


@router.post("")
def create_user(body: UserCreate, actor: OfficeUser, session: SessionDep) -> JSONResponse:
    """Add a user; only an owner may add an owner."""
    user = user_service.create_user(
        session,
        email=body.email,
        name=body.name,
        role=body.role,
        password=body.password,
        actor=actor,
    )
    return ok(user_json(user), 201)


@router.put("/{user_id}")
def update_user(
    user_id: uuid.UUID, body: UserUpdate, actor: OfficeUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Rename, change the role, deactivate or reactivate; deactivation ends their sign-ins.

    ``If-Match: <version>`` makes the change conditional (412 when the user changed since)."""
    user = user_service.update_user(
        session,
        user_id=user_id,
        actor=actor,
        name=body.name,
        role=body.role,
        active=body.active,
        expected_version=expected,
    )
    return ok(user_json(user))


@router.post("/{user_id}/reset-password")
def reset_password(
    user_id: uuid.UUID, body: PasswordReset, actor: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Set a new password; every session and token the user holds ends."""
    user = user_service.reset_password(
        session, user_id=user_id, password=body.password, actor=actor
    )
    return ok(user_json(user))
