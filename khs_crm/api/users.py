"""/api/users: the people who sign in (office only; workers get 404)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from khs_crm.api.auth import UserSummary
from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep, office_user
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    Envelope,
    Page,
    PageParams,
    page_params,
    page_response,
)
from khs_crm.models import User
from khs_crm.services.auth import users as user_service
from khs_crm.services.auth.schemas import PasswordReset, UserCreate, UserUpdate
from khs_crm.services.core.access import is_office

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(UserSummary):
    version: int
    created_at: datetime
    updated_at: datetime


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
