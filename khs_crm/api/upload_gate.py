"""Reflex's ``/_upload`` reads the whole multipart body (up to the office's photo batch)
before any event handler checks who sent it. Refuse it before a byte of the body is read
unless an active office user's session sent it."""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from khs_crm.api.deps import SECURE_SESSION_COOKIE, SESSION_COOKIE
from khs_crm.api.envelope import error_response
from khs_crm.db import session_scope
from khs_crm.services.auth import service as auth
from khs_crm.services.core.access import is_office

REFLEX_UPLOAD_PATH = re.compile(r"^/_upload/?$")


def _session_id(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar = cookie_parser(value.decode("latin-1"))
            return jar.get(SECURE_SESSION_COOKIE) or jar.get(SESSION_COOKIE)
    return None


def office_session(raw: str | None) -> bool:
    """Whether this browser session belongs to an active owner or admin."""
    if not raw:
        return False
    with session_scope() as session:
        user = auth.user_for_session(session, raw)
        return user is not None and is_office(user)


class UploadGateMiddleware:
    """401 in the error envelope for an upload that no office session sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gated = scope["type"] == "http" and REFLEX_UPLOAD_PATH.match(scope["path"])
        if gated and not await run_in_threadpool(office_session, _session_id(scope)):
            response = error_response(401, "Sign in to the office to upload files.")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
