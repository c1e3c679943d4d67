"""Request body limits, each in one place: 1 MB by default, 16 MB for one photo or one CSV
through ``/api``, the office's photo batch through Reflex's ``/_upload``, 5 MB for a sync push."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khs_crm.api.envelope import error_response
from khs_crm.api.upload_gate import REFLEX_UPLOAD_PATH
from khs_crm.services.photos.batch import MAX_BATCH_BYTES

MB = 1024 * 1024
BODY_LIMIT = 1 * MB
UPLOAD_LIMIT = 16 * MB
UPLOAD_PATHS = (
    re.compile(r"^/api/jobs/[^/]+/photos/?$"),
    re.compile(r"^/api/customers/import/?$"),
)
# Reflex uploads: the office's CSV import, and a job's photos several at once (each file at
# most 15 MB, at most 10 files, checked in the browser), plus the form around them. Only an
# office session gets this far (upload_gate). The body is not held in memory: Starlette
# spools each file past 1 MB to disk, and the batch reads one file at a time
# (services/photos/batch.py; benchmarks/office_batch_memory.py measures it).
REFLEX_UPLOAD_LIMIT = MAX_BATCH_BYTES + MB
SYNC_PUSH_LIMIT = 5 * MB  # a device's batch of up to 500 operations
SYNC_PUSH_PATH = re.compile(r"^/api/sync/push/?$")

# Request body limits ------------------------------------------------------------------------


def body_limit(path: str) -> int:
    """16 MB for a photo or customer import through /api, 151 MB for the office's uploads
    (several photos at once), 5 MB for a sync push, 1 MB otherwise."""
    if any(p.match(path) for p in UPLOAD_PATHS):
        return UPLOAD_LIMIT
    if REFLEX_UPLOAD_PATH.match(path):
        return REFLEX_UPLOAD_LIMIT
    return SYNC_PUSH_LIMIT if SYNC_PUSH_PATH.match(path) else BODY_LIMIT


def _too_large(limit: int) -> str:
    return f"The request body is larger than {limit // MB} MB."


class BodyLimitMiddleware:
    """413 in the error envelope for bodies over the limit, declared or streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, _too_large(limit))(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                # FastAPI re-raises HTTPException while reading a body: it becomes the envelope.
                raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, counting_receive, send)
