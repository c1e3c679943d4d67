"""/api/auth: browser sessions (cookie) and API tokens (JWT + rotating refresh)."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import Field

from khs_crm.api.deps import (
    SECURE_SESSION_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    SessionDep,
    client_ip,
    same_origin,
    session_cookie,
)
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope, Language, NoNul
from khs_crm.models import Role, User
from khs_crm.models.base import EmailText, bound
from khs_crm.security import MAX_PASSWORD_LENGTH
from khs_crm.services.auth import service as auth
from khs_crm.services.core.errors import Forbidden
from khs_crm.settings import get_settings

router = APIRouter(prefix="/auth", tags=["auth"])


class Credentials(CamelModel):
    email: Annotated[EmailText, NoNul] = Field(min_length=3)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class RefreshRequest(CamelModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class UserSummary(CamelModel):
    """Who is signed in."""

    id: uuid.UUID
    email: str
    name: str
    role: Role
    active: bool
    language: Language


class Me(UserSummary):
    """Who is signed in, with their own settings the field app follows."""

    share_location: bool | None = Field(
        description="Stamp clock-ins with where they are: null until the phone has asked."
    )


class SignedIn(CamelModel):
    user: UserSummary


class Tokens(CamelModel):
    access_token: str
    refresh_token: str
    expires_in: int = Field(description="Seconds until the access token expires.")
    user: UserSummary


class SignedOut(CamelModel):
    signed_out: bool


class LoggedOut(CamelModel):
    logged_out: bool


def user_json(user: User) -> dict:
    return {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": str(user.role),
        "active": user.active,
        "language": user.language,
    }


def _tokens_json(pair: auth.TokenPair) -> dict:
    return {
        "accessToken": pair.access_token,
        "refreshToken": pair.refresh_token,
        "expiresIn": pair.expires_in,
        "user": user_json(pair.user),
    }


def _set_session_cookie(request: Request, response: Response, raw: str) -> None:
    https = request.url.scheme == "https"
    response.set_cookie(
        SECURE_SESSION_COOKIE if https else SESSION_COOKIE,
        raw,
        max_age=get_settings().session_days * 86400,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def _clear_session_cookies(response: Response) -> None:
    for name in (SESSION_COOKIE, SECURE_SESSION_COOKIE):
        response.delete_cookie(name, path="/", secure=True, httponly=True, samesite="strict")


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


def _next_from_referer(request: Request) -> str:
    """The sign-in page's own ?next= (a quick submit can beat the page filling its field)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.headers.get("host", ""):
        return "/"
    return parse_qs(referer.query).get("next", ["/"])[0]


async def _sign_in(request: Request, session, email: str, password: str) -> User:
    return await run_in_threadpool(
        auth.authenticate, session, email=email, password=password, ip=client_ip(request)
    )


@router.post("/session", response_model=Envelope[SignedIn], responses=errors(*SIGNED_IN, *BODY))
async def create_session(request: Request, body: Credentials, session: SessionDep) -> JSONResponse:
    """Sign a browser in: sets the HttpOnly session cookie; the body carries only the user."""
    user = await _sign_in(request, session, body.email, body.password)
    raw = await run_in_threadpool(auth.create_session, session, user=user)
    response = ok({"user": user_json(user)})
    _set_session_cookie(request, response, raw)
    return response


@router.post("/session/form", include_in_schema=False)
async def create_session_form(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=bound(EmailText))] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> RedirectResponse:
    """The sign-in page's plain HTML form: works before any JavaScript has loaded."""
    target = safe_next(next if next not in ("", "/") else _next_from_referer(request))
    back = f"/login?next={quote(target, safe='')}"
    if not same_origin(request):
        return RedirectResponse(back + "&error=origin", status_code=303)
    try:
        user = await _sign_in(request, session, email, password)
    except auth.RateLimited as exc:
        return RedirectResponse(f"{back}&error=rate_limited&retry={exc.retry_after}", 303)
    except auth.Unauthorized:
        return RedirectResponse(back + "&error=invalid", status_code=303)
    raw = await run_in_threadpool(auth.create_session, session, user=user)
    response = RedirectResponse(target, status_code=303)
    _set_session_cookie(request, response, raw)
    return response


@router.delete("/session", response_model=Envelope[SignedOut], responses=errors(*WRITE))
async def delete_session(request: Request, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """Sign the browser out (cookie-authenticated: needs the CSRF header)."""
    await run_in_threadpool(auth.end_session, session, session_cookie(request))
    response = ok({"signedOut": True})
    _clear_session_cookies(response)
    return response


@router.post("/signout", include_in_schema=False)
async def sign_out_form(request: Request, session: SessionDep) -> RedirectResponse:
    """The app shell's sign-out button: a plain form post, so it cannot carry the CSRF
    header; its Origin must be this site. A cross-site post is 403 and clears nothing."""
    if not same_origin(request):
        raise Forbidden("Sign out from the KHS CRM app itself.")
    await run_in_threadpool(auth.end_session, session, session_cookie(request))
    response = RedirectResponse("/login", status_code=303)
    _clear_session_cookies(response)
    return response


@router.post("/login", response_model=Envelope[Tokens], responses=errors(*SIGNED_IN, *BODY))
async def login(request: Request, body: Credentials, session: SessionDep) -> JSONResponse:
    """API clients: an access token (15 min) and a rotating refresh token (30 days)."""
    user = await _sign_in(request, session, body.email, body.password)
    pair = await run_in_threadpool(auth.issue_tokens, session, user=user)
    return ok(_tokens_json(pair))


@router.post("/refresh", response_model=Envelope[Tokens], responses=errors(401, *BODY))
async def refresh(body: RefreshRequest, session: SessionDep) -> JSONResponse:
    """Rotate a refresh token; a used one revokes its whole family."""
    pair = await run_in_threadpool(auth.refresh_tokens, session, refresh_token=body.refresh_token)
    return ok(_tokens_json(pair))


@router.post("/logout", response_model=Envelope[LoggedOut], responses=errors(*BODY))
async def logout(body: RefreshRequest, session: SessionDep) -> JSONResponse:
    """Revoke the refresh token's family."""
    await run_in_threadpool(auth.logout_tokens, session, refresh_token=body.refresh_token)
    return ok({"loggedOut": True})


@router.get("/me", response_model=Envelope[Me], responses=errors(*SIGNED_IN))
async def me(user: CurrentUser) -> JSONResponse:
    """The signed-in user, for either kind of authentication, with their own settings."""
    return ok({**user_json(user), "shareLocation": user.share_location})
