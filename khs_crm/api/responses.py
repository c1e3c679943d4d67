"""The error answers each route documents in /api/openapi.json: one place says what each
status means, and each route lists the ones it can give (``responses=errors(...)``)."""

from __future__ import annotations

from typing import Any

from khs_crm.api.schemas import ErrorEnvelope

Responses = dict[int | str, dict[str, Any]]

WHY: dict[int, str] = {
    400: "The body could not be read (not UTF-8 text, or a broken multipart form).",
    401: "Not signed in: no valid access token or session cookie.",
    403: (
        "Not allowed: a rule of the caller's role, or a cookie-authenticated write without "
        "the X-KHS-CSRF header and a same-origin Origin."
    ),
    404: "No such record, or one the caller may not see (office-only routes: not an office user).",
    409: "Clashes with the record as it stands (an id in use, a move the workflow refuses, ...).",
    412: "The record changed since the version in If-Match (or while this write was saved).",
    413: "The body is larger than this route accepts.",
    422: "The input is not valid; ``details`` name the fields.",
    429: "Too many requests; Retry-After says when to try again.",
    503: "The database or Redis is briefly unreachable; Retry-After says when to try again.",
}

# Behind the sign-in dependency: no valid credentials, or too many calls this minute.
SIGNED_IN = (401, 429)
# A JSON or multipart body: unreadable, too large, not valid.
BODY = (400, 413, 422)
# A write as a signed-in user: a cookie session needs the CSRF header (403).
WRITE = (*SIGNED_IN, 403)


def errors(*statuses: int) -> Responses:
    """The error envelope under each of these statuses, 503 (a dependency down) always."""
    return {
        status: {"model": ErrorEnvelope, "description": WHY[status]}
        for status in sorted({*statuses, 503})
    }
