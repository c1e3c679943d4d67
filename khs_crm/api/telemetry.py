"""/api/telemetry: what the field app reports about itself (docs/operations.md).

``POST /telemetry/errors``: uncaught errors and sync failures, forwarded to Sentry through
the server (the phone needs no DSN), anonymised; ``POST /telemetry/vitals``: batches of Core
Web Vitals, kept as metrics histograms per page and as weekly values; ``GET
/telemetry/vitals/summary``: the weekly 75th percentile per page (office only). Both posts
are rate-limited per user and carry no personal data: no user, no record ids (pages are
patterns), free text anonymised.
"""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema

from khs_crm.api.deps import CurrentUser, OfficeUser
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope, NoNul
from khs_crm.integrations import limits
from khs_crm.models import User
from khs_crm.observability import anonymise, report_client_error
from khs_crm.services.auth.service import RateLimited
from khs_crm.services.core.schemas import real, whole
from khs_crm.services.ops import metrics, vitals
from khs_crm.settings import get_settings

router = APIRouter(prefix="/telemetry", tags=["telemetry"])
client_log = logging.getLogger("khs_crm.client")

Page = Annotated[str, Field(min_length=1, max_length=200), NoNul]


# A line or column: a whole number (40 or 40.0, as JSON Schema counts one), not true/false.
Position = Annotated[
    int, BeforeValidator(whole), Field(ge=0), WithJsonSchema({"type": "integer", "minimum": 0})
]


class ClientError(CamelModel):
    kind: Literal["error", "unhandledrejection", "sync"]
    message: Annotated[str, Field(max_length=500), NoNul]
    page: Page
    source: Annotated[str, Field(max_length=200), NoNul] = ""
    line: Position | None = None
    column: Position | None = None
    stack: Annotated[str, Field(max_length=4000), NoNul] = ""
    app_version: Annotated[str, Field(max_length=40), NoNul] = ""
    offline: StrictBool = False  # true/false only, as the schema says (not 0 or "yes")


class ClientErrors(CamelModel):
    errors: list[ClientError] = Field(min_length=1, max_length=20)


class VitalIn(CamelModel):
    name: Literal["LCP", "INP", "CLS"]
    value: Annotated[float, BeforeValidator(real)] = Field(
        ge=0, le=600_000, description="LCP, INP: milliseconds; CLS: unitless"
    )
    page: Page
    offline: StrictBool = False


class Vitals(CamelModel):
    vitals: list[VitalIn] = Field(min_length=1, max_length=50)


class Accepted(CamelModel):
    accepted: int


class VitalSummary(CamelModel):
    week: str = Field(examples=["2026-W48"])
    page: str
    name: Literal["LCP", "INP", "CLS"]
    p75: float
    count: int


VITALS_PER_MINUTE = 600  # per user: a phone sends a few per page view


def _limit(user: User, kind: str, amount: int, per_minute: int) -> None:
    count, retry = limits.hit(f"telemetry:{kind}:{user.id}", amount=amount)
    if count > per_minute:
        metrics.rate_limited("telemetry")
        raise RateLimited(retry)


def _report(report: ClientError) -> None:
    data = report.model_dump(by_alias=True)
    data["page"] = vitals.page_pattern(report.page)
    metrics.CLIENT_ERRORS.labels(kind=report.kind).inc()
    client_log.warning(
        "field app error",
        extra={"kind": report.kind, "page": data["page"], "detail": anonymise(report.message)},
    )
    report_client_error(data)


@router.post(
    "/errors",
    status_code=202,
    response_model=Envelope[Accepted],
    responses=errors(*WRITE, *BODY),
)
async def post_errors(body: ClientErrors, user: CurrentUser) -> JSONResponse:
    """The field app's uncaught errors and sync failures (up to 20 at once)."""
    _limit(user, "errors", len(body.errors), get_settings().telemetry_errors_per_minute)
    for report in body.errors:
        await run_in_threadpool(_report, report)
    return ok({"accepted": len(body.errors)}, status=202)


@router.post(
    "/vitals",
    status_code=202,
    response_model=Envelope[Accepted],
    responses=errors(*WRITE, *BODY),
)
async def post_vitals(body: Vitals, user: CurrentUser) -> JSONResponse:
    """A batch of Core Web Vitals from a phone (up to 50)."""
    _limit(user, "vitals", len(body.vitals), VITALS_PER_MINUTE)
    kept = [
        vitals.Vital(v.name, v.value, vitals.page_pattern(v.page), v.offline) for v in body.vitals
    ]
    for v in kept:
        metrics.observe_vital(v.name, v.value, page=v.page, offline=v.offline)
    await run_in_threadpool(vitals.record, kept)
    return ok({"accepted": len(kept)}, status=202)


@router.get(
    "/vitals/summary",
    response_model=Envelope[list[VitalSummary]],
    responses=errors(*SIGNED_IN, 404, 422),
)
async def vitals_summary(
    user: OfficeUser, weeks: Annotated[int, Query(ge=1, le=26)] = 8
) -> JSONResponse:
    """Weekly 75th percentile per page and metric, newest week first (office only)."""
    rows = await run_in_threadpool(vitals.weekly_p75, weeks=weeks)
    return ok([VitalSummary.model_validate(r, from_attributes=True).dump() for r in rows])
