"""Errors raised by services; the API and the UI turn them into messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from khs_crm.i18n import DEFAULT_LANGUAGE, N_, gettext


class ServiceError(Exception):
    """Base class: a rule said no. ``status`` is the HTTP status the API answers with."""

    status = 400
    # True: what the unit of work wrote before the refusal is still committed by the
    # boundary (a security record, such as a revoked token family, that must outlive the
    # failed request). False: everything is rolled back.
    keeps_writes = False
    code = "VALIDATION_ERROR"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, str]] | None = None,
        errors: list[Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        # Pydantic's errors behind ``details``, kept so a reader in another language gets
        # them in theirs (``said``).
        self.errors = errors or []

    def said(self, language: str) -> tuple[str, list[dict[str, str]]]:
        """The message and details in ``language`` (a message that is not a catalog message,
        or a detail not made from pydantic's errors, stays as it is)."""
        if self.errors:
            details = error_details(self.errors, language=language)
        else:
            details = [{**d, "message": gettext(d["message"], language)} for d in self.details]
        return gettext(self.message, language), details


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

# Pydantic's error types in words people use (catalog messages: they read in the reader's
# language); the placeholders are the error's own ``ctx``. Types not listed keep pydantic's
# sentence.
_SAID: dict[str, str] = {
    "missing": N_("This is required."),
    "string_too_long": N_("Use at most {max_length} characters."),
    "string_too_short": N_("Use at least {min_length} characters."),
    "too_long": N_("Give at most {max_length} items."),
    "greater_than": N_("Enter a number above {gt}."),
    "greater_than_equal": N_("Enter {ge} or more."),
    "less_than": N_("Enter a number below {lt}."),
    "less_than_equal": N_("Enter {le} or less."),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "float_type": N_("Enter a number."),
    "finite_number": N_("Enter a number."),
    "string_type": N_("Enter text."),
    "bool_parsing": N_("Enter true or false."),
    "bool_type": N_("Enter true or false."),
    "uuid_parsing": N_("This is not a valid id."),
    "uuid_type": N_("This is not a valid id."),
    "datetime_parsing": N_("Enter a date and time."),
    "datetime_type": N_("Enter a date and time."),
    "datetime_from_date_parsing": N_("Enter a date and time."),
    "date_parsing": N_("Enter a date."),
    "enum": N_("Choose one of: {expected}."),
    "literal_error": N_("Choose one of: {expected}."),
    "extra_forbidden": N_("This field is not allowed here."),
    "dict_type": N_("Send an object here."),
    "list_type": N_("Send a list here."),
}


def _said(err: Mapping[str, Any], language: str) -> str:
    template = _SAID.get(str(err.get("type", "")))
    ctx = {key: str(value) for key, value in (err.get("ctx") or {}).items()}
    if template is not None:
        try:
            return gettext(template, language, **ctx)
        except (KeyError, IndexError):
            pass
    return gettext(str(err.get("msg", "")).removeprefix("Value error, "), language)


def error_details(
    errors: Iterable[Mapping[str, Any]], prefix: str = "", *, language: str = DEFAULT_LANGUAGE
) -> list[dict[str, str]]:
    """Pydantic's (or FastAPI's) errors as the envelope's details, the one place that does it,
    each in words a person uses and in ``language``:
    ``[{"field": "operations.0.seq", "message": "Enter a whole number."}]``."""
    details = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in _LOCATIONS]
        details.append(
            {"field": prefix + (".".join(loc) or "body"), "message": _said(err, language)}
        )
    return details
