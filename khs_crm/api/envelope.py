"""The one success envelope and the one error envelope used by every route."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Router

from khs_crm.services.core.errors import ServiceError, error_details

log = logging.getLogger("khs_crm.api")

STATUS_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """Raise from a route to answer with the error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "ERROR")
        self.message = message
        self.details = details or []
        self.headers = headers


def meta() -> dict[str, str]:
    return {"timestamp": datetime.now(UTC).isoformat(), "version": "1.0"}


def ok(data: Any, status: int = 200) -> JSONResponse:
    """Wrap data in the success envelope."""
    return JSONResponse({"data": data, "meta": meta()}, status_code=status)


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "code": code or STATUS_CODES.get(status, "ERROR"),
            "message": message,
            "details": details or [],
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


UNKNOWN_ROUTE = "_unknown"  # the /api catch-all's name: it serves no method of its own


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this request's path (what a 405's Allow lists)."""
    router, scope = request.app.router, request.scope
    key = (scope["path"], scope.get("root_path", ""))
    owner, known = _ALLOWED.get(id(router), (None, {}))
    if owner is not router:  # the first question to this app (or one gone, its id reused)
        known = {}
        _ALLOWED[id(router)] = (router, known)
    if key not in known:
        if len(known) >= _PATHS_KEPT:
            known.clear()
        known[key] = _methods_at(router, *key)
    return list(known[key])


# Which routes match depends on the path alone, and the routes do not change once the app
# runs: the answer is kept per app for the paths last asked about. Every refused request
# asks (each 422 checks that its method is served at all), and matching every route took
# ~0.6 ms. Keyed by the router's id (FastAPI's routers cannot be hashed), the router kept
# beside it so that a new app given a dead one's id starts afresh.
_PATHS_KEPT = 1024
_ALLOWED: dict[int, tuple[Router, dict[tuple[str, str], tuple[str, ...]]]] = {}


def _methods_at(router: Router, path: str, root_path: str) -> tuple[str, ...]:
    scope = {"type": "http", "path": path, "root_path": root_path, "method": ""}
    fixed: set[str] = set()
    patterned: set[str] = set()
    for route in iter_route_contexts(router.routes):
        if route.name == UNKNOWN_ROUTE:
            continue
        match, _ = route.matches(scope)
        if match != Match.NONE:
            methods = patterned if getattr(route, "param_convertors", None) else fixed
            methods |= route.methods or set()
    # A path some route names literally (/customers/search) is that route's own, whatever
    # a pattern beside it (/customers/{customer_id}) would also match.
    return tuple(sorted(fixed or patterned))


def method_not_allowed(request: Request) -> ApiError:
    """405 with the Allow header RFC 9110 asks for; 404 when no route has this path."""
    methods = allowed_methods(request)
    if not methods:
        return ApiError(404, "Not found.")
    return ApiError(405, "Method not allowed.", headers={"Allow": ", ".join(methods)})


def install_error_handlers(app: FastAPI) -> None:
    """Every error, expected or not, leaves in the error envelope."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(
            exc.status, exc.message, code=exc.code, details=exc.details, headers=exc.headers
        )

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else None
        return error_response(
            exc.status, exc.message, code=exc.code, details=exc.details, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if request.method not in allowed_methods(request):  # PUT /customers/search
            return await _api_error(request, method_not_allowed(request))
        return error_response(422, "The request is not valid.", details=error_details(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 405:  # Starlette's Allow names one route; the path may have more
            return await _api_error(request, method_not_allowed(request))
        messages = {404: "Not found."}
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        log.exception("unhandled error on %s (request %s)", request.url.path, request_id)
        return error_response(
            500,
            f"Something went wrong on our side. Request id: {request_id}.",
            details=[{"field": "requestId", "message": request_id}],
        )
