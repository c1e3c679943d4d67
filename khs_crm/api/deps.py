"""Dependencies every route uses: the database session and the signed-in user."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from khs_crm.db import end_after_error, get_engine
from khs_crm.models import Role, User
from khs_crm.services.auth import service as auth
from khs_crm.services.core.errors import Forbidden, NotFound, ValidationFailed
from khs_crm.settings import get_settings

SESSION_COOKIE = "khs_session"
SECURE_SESSION_COOKIE = "__Host-khs_session"
CSRF_HEADER = "x-khs-csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def if_match(request: Request) -> int | None:
    """The version in an optional ``If-Match`` header; 422 when it is not a number."""
    raw = request.headers.get("if-match")
    if raw is None:
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationFailed(
            "If-Match must be a record version number.",
            details=[{"field": "If-Match", "message": "expected an integer version"}],
        )
    return int(value)


IfMatch = Annotated[int | None, Depends(if_match)]


def get_db() -> Iterator[Session]:
    """The request's one transaction: committed when the route returns, before the response
    goes out (``scope="function"``), so a failing commit answers 5xx, never a 200 whose write
    was lost. Any exception rolls it back."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException as exc:
            end_after_error(session, exc)
            raise


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def client_ip(request: Request) -> str:
    """The caller's address; X-Forwarded-For is believed only from configured proxies."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and _is_trusted_proxy(peer):
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _is_trusted_proxy(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    for proxy in get_settings().trusted_proxies:
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def session_cookie(request: Request) -> str | None:
    return request.cookies.get(SECURE_SESSION_COOKIE) or request.cookies.get(SESSION_COOKIE)


def request_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def same_origin(request: Request) -> bool:
    """Whether the request's Origin is this site (or a configured origin); no Origin: False."""
    origin = request.headers.get("origin")
    allowed = {o.rstrip("/") for o in get_settings().allowed_origins} | {request_origin(request)}
    return origin is not None and origin.rstrip("/") in allowed


def check_same_origin(request: Request) -> None:
    """Cookie-authenticated writes need the CSRF header and a same-origin Origin."""
    if request.headers.get(CSRF_HEADER) != "1" or not same_origin(request):
        raise Forbidden("This request needs the X-KHS-CSRF header and a same-origin Origin.")


def current_user(request: Request, session: SessionDep) -> User:
    """The user behind a Bearer access token or the browser session cookie; 401 otherwise."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = auth.user_for_access_token(session, header[7:].strip())
    else:
        cookie_user = auth.user_for_session(session, session_cookie(request))
        if cookie_user is None:
            raise auth.Unauthorized("Sign in to continue.")
        user = cookie_user
        if request.method not in SAFE_METHODS:
            check_same_origin(request)
    auth.check_api_rate(user)
    request.state.user_id = str(user.id)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def office_user(user: CurrentUser) -> User:
    """Owners and admins; a worker asking for an office-only route gets 404, as if missing."""
    if user.role not in (Role.owner, Role.admin):
        raise NotFound("Not found.")
    return user


OfficeUser = Annotated[User, Depends(office_user)]
