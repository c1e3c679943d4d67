"""/api/users: the people who sign in (office only; workers get 404)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import Field, field_validator

from khs_crm.api.auth import UserSummary
from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep, office_user
from khs_crm.api.envelope import ok
from khs_crm.api.openapi import VISIBLE
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    CamelModel,
    Envelope,
    Language,
    NoNul,
    Page,
    PageParams,
    page_params,
    page_response,
)
from khs_crm.models import Role, User
from khs_crm.security import MIN_PASSWORD_LENGTH
from khs_crm.services.auth import users as user_service
from khs_crm.services.core.access import is_office
from khs_crm.services.customers.rules import EMAIL_ADDRESS_SCHEMA

router = APIRouter(prefix="/users", tags=["users"])

# The service checks these (users.normalise_email, _check_name, check_password_rules); the
# schema says the same for /api/openapi.json.
Password = Annotated[
    str,
    Field(
        min_length=1,
        max_length=1024,
        json_schema_extra={"minLength": MIN_PASSWORD_LENGTH, "pattern": r"\S"},
    ),
]
PersonName = Annotated[str, Field(max_length=120, json_schema_extra={"pattern": VISIBLE}), NoNul]


class UserOut(UserSummary):
    version: int
    created_at: datetime
    updated_at: datetime


class UserCreate(CamelModel):
    email: Annotated[str, NoNul] = Field(max_length=254, json_schema_extra=EMAIL_ADDRESS_SCHEMA)
    name: PersonName
    role: Role
    password: Password


class UserUpdate(CamelModel):
    name: PersonName | None = None
    role: Role | None = None
    active: bool | None = None
    language: Language | None = None

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


@router.get("", response_model=Page[UserOut], responses=errors(*SIGNED_IN, 404, 422))
def list_users(
    _office: OfficeUser, session: SessionDep, params: Annotated[PageParams, Depends(page_params)]
) -> JSONResponse:
    """Every user, active or not, by name."""
    rows, total = user_service.list_users(session, offset=params.offset, limit=params.page_size)
    return page_response([user_json(u) for u in rows], params=params, total=total)


@router.post(
    "", status_code=201, response_model=Envelope[UserOut], responses=errors(*WRITE, *BODY, 404, 409)
)
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


@router.put(
    "/{user_id}", response_model=Envelope[UserOut], responses=errors(*WRITE, *BODY, 404, 409, 412)
)
def update_user(
    user_id: uuid.UUID, body: UserUpdate, actor: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Rename, change the role or language, deactivate or reactivate; deactivation ends their
    sign-ins. Anyone may change their own language; everything else is the office's.

    ``If-Match: <version>`` makes the change conditional (412 when the user changed since)."""
    if not is_office(actor):
        if user_id != actor.id or body.language is None or body.model_fields_set != {"language"}:
            office_user(actor)  # 404, as every office-only route answers a worker
        user = user_service.set_own_language(
            session, actor=actor, language=body.language or "", expected_version=expected
        )
        return ok(user_json(user))
    user = user_service.update_user(
        session,
        user_id=user_id,
        actor=actor,
        name=body.name,
        role=body.role,
        active=body.active,
        language=body.language,
        expected_version=expected,
    )
    return ok(user_json(user))


@router.post(
    "/{user_id}/reset-password",
    response_model=Envelope[UserOut],
    responses=errors(*WRITE, *BODY, 404),
)
def reset_password(
    user_id: uuid.UUID, body: PasswordReset, actor: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Set a new password; every session and token the user holds ends."""
    user = user_service.reset_password(
        session, user_id=user_id, password=body.password, actor=actor
    )
    return ok(user_json(user))
