"""Errors raised by services; the API and the UI turn them into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: a rule said no. ``status`` is the HTTP status the API answers with."""

    status = 400
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
