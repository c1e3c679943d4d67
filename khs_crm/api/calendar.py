"""/api/calendar: each person's private iCalendar feed, and the office's link management."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.services.jobs import calendar_feed

router = APIRouter(prefix="/calendar", tags=["calendar"])


class FeedLink(CamelModel):
    url: str = Field(description="The feed's address; shown once.")


class Revoked(CamelModel):
    revoked: int = Field(description="How many links stopped working.")


def feed_url(base: str, token: str) -> str:
    """The address a calendar app subscribes to."""
    return f"{base.rstrip('/')}/api/calendar/{token}.ics"


@router.get(
    "/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "iCalendar feed"},
        **errors(404, 422),
    },
)
def feed(token: str, session: SessionDep) -> Response:
    """The feed itself; no sign-in, the token is the secret. Unknown or revoked: 404."""
    body = calendar_feed.calendar_for_token(session, token=token)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="khs-jobs.ics"'},
    )


@router.post(
    "/links/{user_id}",
    status_code=201,
    response_model=Envelope[FeedLink],
    responses=errors(*WRITE, 404, 422),
)
def issue(
    user_id: uuid.UUID, actor: OfficeUser, session: SessionDep, request: Request
) -> JSONResponse:
    """A new feed link for a person (the old one stops working); shown once."""
    token = calendar_feed.issue_token(session, user_id=user_id, actor=actor)
    return ok({"url": feed_url(str(request.base_url), token)}, 201)


@router.delete(
    "/links/{user_id}", response_model=Envelope[Revoked], responses=errors(*WRITE, 404, 422)
)
def revoke(user_id: uuid.UUID, actor: OfficeUser, session: SessionDep) -> JSONResponse:
    """Stop a person's feed link."""
    revoked = calendar_feed.revoke_tokens(session, user_id=user_id, actor=actor)
    return ok({"revoked": revoked})
