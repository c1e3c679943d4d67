"""A database or Redis that cannot be reached answers 503 SERVICE_UNAVAILABLE, not 500."""

from __future__ import annotations

import logging

import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from khs_crm.api.envelope import error_response

log = logging.getLogger("khs_crm.api")


# Dependencies down -> 503 -------------------------------------------------------------------


def _unavailable(what: str):
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, sa_exc.DBAPIError) and not _is_disconnect(exc):
            raise exc
        log.warning(
            "%s unavailable", what, extra={"error": type(exc).__name__, "path": request.url.path}
        )
        return error_response(
            503,
            "The service is briefly unavailable. Try again in a moment.",
            headers={"Retry-After": "2"},
        )

    return handler


def _is_disconnect(exc: sa_exc.DBAPIError) -> bool:
    return exc.connection_invalidated or isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError
    )


def install_unavailable_handlers(api: FastAPI) -> None:
    """A database or Redis that cannot be reached answers 503 SERVICE_UNAVAILABLE, not 500."""
    for error in (sa_exc.DBAPIError, sa_exc.TimeoutError):
        api.add_exception_handler(error, _unavailable("database"))
    for redis_error in (redis.ConnectionError, redis.TimeoutError):
        api.add_exception_handler(redis_error, _unavailable("redis"))
