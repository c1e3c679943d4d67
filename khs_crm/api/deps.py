"""Dependencies every route uses: the database session and the signed-in user."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic.json_schema import SkipJsonSchema
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


# A version, bare, quoted or weak (W/"7"); the parser and the documentation share it.
IF_MATCH_PATTERN = r'^[ \t]*(W/)?"?([0-9]{1,10})"?[ \t]*$'


def if_match(
    raw: Annotated[
        str | SkipJsonSchema[None],
        Header(
            alias="If-Match",
            description="The record version this change is based on: 412 when it is stale.",
            json_schema_extra={"pattern": IF_MATCH_PATTERN},
        ),
    ] = None,
) -> int | None:
    """The version in an optional ``If-Match`` header; 422 when it is not a number."""
    if raw is None:
        return None
    found = re.fullmatch(IF_MATCH_PATTERN, raw)
    if found is None:
        raise ValidationFailed(
            "If-Match must be a record version number.",
            details=[{"field": "If-Match", "message": "expected an integer version"}],
        )
    return int(found.group(2))


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


# How a caller signs in, as /api/openapi.json tells it (either one; read in current_user).
ACCESS_TOKEN = HTTPBearer(
    scheme_name="accessToken",
    bearerFormat="JWT",
    description="An access token from POST /api/auth/login (15 minutes).",
    auto_error=False,
)
_COOKIE_HELP = (
    "The browser session from POST /api/auth/session ({}). Writes also need the X-KHS-CSRF: 1 "
    "header and a same-origin Origin."
)
SESSION = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="sessionCookie",
    description=_COOKIE_HELP.format("http"),
    auto_error=False,
)
SECURE_SESSION = APIKeyCookie(
    name=SECURE_SESSION_COOKIE,
    scheme_name="secureSessionCookie",
    description=_COOKIE_HELP.format("https"),
    auto_error=False,
)
_Documented = HTTPAuthorizationCredentials | str | None


def current_user(
    request: Request,
    session: SessionDep,
    _token: Annotated[_Documented, Security(ACCESS_TOKEN)],
    _cookie: Annotated[_Documented, Security(SESSION)],
    _secure_cookie: Annotated[_Documented, Security(SECURE_SESSION)],
) -> User:
    """The user behind a Bearer access token or the browser session cookie; 401 otherwise.

    (The ``Security`` parameters only document the schemes; the request is read here.)"""
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
