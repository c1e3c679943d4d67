"""The REST API, mounted under /api on the Reflex backend."""

from __future__ import annotations

import gc

from fastapi import APIRouter, FastAPI, Request
from starlette.routing import Match

from khs_crm.api import (
    activity,
    auth,
    calendar,
    customers,
    health,
    jobs,
    materials,
    middleware,
    notes,
    photos,
    pwa,
    sync,
    users,
)
from khs_crm.api.envelope import ApiError, install_error_handlers


def create_api() -> FastAPI:
    """Build the FastAPI app that serves /api/* (and hands everything else to Reflex)."""
    api = FastAPI(
        title="KHS CRM API",
        version="1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(api)
    middleware.install(api)
    pwa.install_cache_headers(api)
    routes = APIRouter(prefix="/api")
    for module in (
        health,
        auth,
        customers,
        jobs,
        materials,
        notes,
        activity,
        users,
        sync,
        photos,
        pwa,
        calendar,
    ):
        routes.include_router(module.router)
    api.include_router(routes)

    @api.api_route(
        "/api/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def _unknown(path: str, request: Request) -> None:
        for route in api.router.routes:
            if getattr(route, "name", None) == "_unknown":
                continue
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL:
                raise ApiError(405, "Method not allowed.")
        raise ApiError(404, "Not found.")

    # What start-up built (modules, routes, models) lives as long as the process: move it out
    # of the collector's sight, which otherwise walks it again and again (a tenth to a third
    # of the CPU of a 10,000-row pull, measured: BENCHMARKS.md, Sync).
    gc.freeze()
    return api
