"""Errors raised by services; the API and the UI turn them into messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class ServiceError(Exception):
    """Base class: a rule said no. ``status`` is the HTTP status the API answers with."""

    status = 400
    # True: what the unit of work wrote before the refusal is still committed by the
    # boundary (a security record, such as a revoked token family, that must outlive the
    # failed request). False: everything is rolled back.
    keeps_writes = False
    code = "VALIDATION_ERROR"

    def __init__(self, message: str, *, details: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ValidationFailed(ServiceError):
    status = 422
    code = "VALIDATION_ERROR"


class NotFound(ServiceError):
    status = 404
    code = "NOT_FOUND"


class Forbidden(ServiceError):
    status = 403
    code = "FORBIDDEN"


class Conflict(ServiceError):
    status = 409
    code = "CONFLICT"


class PreconditionFailed(ServiceError):
    status = 412
    code = "PRECONDITION_FAILED"


def id_taken() -> Conflict:
    """A client-chosen id that some row already has. The same words whatever that row is and
    whoever may see it: the answer reveals nothing about it."""
    return Conflict(
        "This id is already in use; the app will choose another.",
        details=[{"field": "id", "message": "already in use"}],
    )


# Where a value came from, in FastAPI's error locations: not part of a field's name.
_LOCATIONS = ("body", "query", "path")


def error_details(errors: Iterable[Mapping[str, Any]], prefix: str = "") -> list[dict[str, str]]:
    """Pydantic's (or FastAPI's) errors as the envelope's details, the one place that does it:
    ``[{"field": "operations.0.seq", "message": "Input should be ..."}]``."""
    details = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in _LOCATIONS]
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        details.append({"field": prefix + (".".join(loc) or "body"), "message": message})
    return details
