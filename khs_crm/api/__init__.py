"""The REST API, mounted under /api on the Reflex backend."""

from __future__ import annotations

import gc

from fastapi import APIRouter, FastAPI, Request

from khs_crm.api import (
    activity,
    auth,
    calendar,
    change_order_links,
    change_orders,
    company,
    customer_links,
    customers,
    estimates,
    health,
    invoices,
    job_money,
    jobs,
    materials,
    metrics,
    middleware,
    money_exports,
    notes,
    openapi,
    photos,
    pwa,
    search,
    sync,
    telemetry,
    time_entries,
    timesheets,
    users,
)
from khs_crm.api.envelope import UNKNOWN_ROUTE, install_error_handlers, method_not_allowed

DESCRIPTION = """\
JSON in camelCase. Success: `{"data": ..., "meta": {"timestamp", "version"}}`; a page of a
list: `{"data": [...], "pagination": {"page", "pageSize", "total", "totalPages"}, "meta"}`
(a job's materials come whole, in `data`). Every refusal: `{"error": {"code", "message",
"details": [{"field", "message"}]}}`, under each status an operation lists; a 405 names the
methods the path serves in `Allow`.

Text never holds NUL (U+0000): refused with 422. A text field's pattern says what else it
needs (a name or a title: a character a person can see, not only spaces or bidi controls).
"""


def create_api() -> FastAPI:
    """Build the FastAPI app that serves /api/* (and hands everything else to Reflex)."""
    api = FastAPI(
        title="KHS CRM API",
        version="1.0",
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(api)
    openapi.install(api)
    middleware.install(api)
    metrics.install(api)  # inside the request-id middleware: times the app's own work
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
        company,
        job_money,
        money_exports,  # before invoices: /invoices/export.csv is its own path
        estimates,
        invoices,
        time_entries,
        timesheets,
        change_orders,
        search,
        telemetry,
    ):
        routes.include_router(module.router)
    api.include_router(routes)
    api.include_router(customer_links.router)  # /e/<token>, /i/<token>, their forms
    api.include_router(change_order_links.router)  # /c/<token>, its forms

    @api.api_route(
        "/api/{path:path}",
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
        include_in_schema=False,
        name=UNKNOWN_ROUTE,
    )
    async def _unknown(path: str, request: Request) -> None:
        """No route serves this path (404), or none serves it with this method (405)."""
        raise method_not_allowed(request)

    # What start-up built (modules, routes, models) lives as long as the process: move it out
    # of the collector's sight, which otherwise walks it again and again (a tenth to a third
    # of the CPU of a 10,000-row pull, measured: BENCHMARKS.md, Sync).
    gc.freeze()
    return api
