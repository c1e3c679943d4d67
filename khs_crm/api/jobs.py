"""/api/jobs: list, read, create, change, delete, move through the workflow, crew."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    CamelModel,
    Envelope,
    Page,
    PageParams,
    Resource,
    Tombstone,
    deleted_json,
    page_params,
    page_response,
)
from khs_crm.db import session_scope
from khs_crm.models import Job, JobStatus
from khs_crm.services.core.access import is_office
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.jobs import service as job_service
from khs_crm.services.jobs import workflow
from khs_crm.services.jobs.schemas import Crew
from khs_crm.services.money.estimates import approved_estimate
from khs_crm.settings import get_settings

router = APIRouter(tags=["jobs"])
# ``from`` / ``to``: a day or a moment (read by _bound; documented for /api/openapi.json).
WHEN: dict[str, Any] = {
    "max_length": 40,
    "json_schema_extra": {"anyOf": [{"format": "date"}, {"format": "date-time"}]},
}
Paging = Annotated[PageParams, Depends(page_params)]


class JobOut(Resource):
    customer_id: uuid.UUID
    title: str
    description: str
    status: JobStatus
    site_address: str
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    assigned_user_ids: list[uuid.UUID] = []


class CustomerSummary(CamelModel):
    id: uuid.UUID
    name: str
    phone: str
    email: str
    address: str


class CrewMember(CamelModel):
    id: uuid.UUID
    name: str
    email: str


class MaterialsSummary(CamelModel):
    total: int
    purchased: int
    to_buy: int


class JobDetailOut(JobOut):
    customer: CustomerSummary
    crew: list[CrewMember]
    materials_summary: MaterialsSummary
    approved_estimate_id: uuid.UUID | None = Field(
        default=None,
        description="Office only (absent for workers), read-only: the job's latest approved "
        "estimate, null while there is none.",
        json_schema_extra={"readOnly": True},
    )


class StatusChange(CamelModel):
    status: JobStatus


class CrewChange(CamelModel):
    user_ids: Crew


def job_json(job: Job, crew: list[uuid.UUID]) -> dict[str, Any]:
    out = JobOut.model_validate(job)
    out.assigned_user_ids = crew
    return out.dump()


def _one(session, job: Job, status: int = 200) -> JSONResponse:
    return ok(job_json(job, workflow.crew_ids(session, [job.id])[job.id]), status)


def _bound(raw: str | None, name: str, *, end: bool) -> datetime | None:
    """An ISO date (a whole day in the company's time zone) or datetime (UTC if no zone)."""
    if raw is None:
        return None
    try:
        if len(raw) <= 10:
            day = date.fromisoformat(raw) + timedelta(days=1 if end else 0)
            moment = datetime.combine(day, time(), ZoneInfo(get_settings().timezone))
            return moment - timedelta(microseconds=1) if end else moment
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed(
            f"'{name}' must be an ISO date or date-time.",
            details=[{"field": name, "message": "expected YYYY-MM-DD or an ISO date-time"}],
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def job_filters(
    status: JobStatus | None = None,
    customer_id: Annotated[uuid.UUID | None, Query(alias="customerId")] = None,
    assigned_to: Annotated[uuid.UUID | None, Query(alias="assignedTo")] = None,
    start_from: Annotated[str | SkipJsonSchema[None], Query(alias="from", **WHEN)] = None,
    start_to: Annotated[str | SkipJsonSchema[None], Query(alias="to", **WHEN)] = None,
) -> job_service.JobFilters:
    """The list's filters, shared by the list and its CSV export."""
    return job_service.JobFilters(
        status=status,
        customer_id=customer_id,
        assigned_to=assigned_to,
        start_from=_bound(start_from, "from", end=False),
        start_to=_bound(start_to, "to", end=True),
    )


Filters = Annotated[job_service.JobFilters, Depends(job_filters)]


@router.get("/jobs", response_model=Page[JobOut], responses=errors(*SIGNED_IN, 422))
def list_jobs(
    user: CurrentUser, session: SessionDep, params: Paging, filters: Filters
) -> JSONResponse:
    """Jobs the user may see, newest first; ``from``/``to`` bound the scheduled start."""
    rows, total = job_service.list_jobs(
        session, user=user, filters=filters, offset=params.offset, limit=params.page_size
    )
    crews = workflow.crew_ids(session, [job.id for job in rows])
    items = [job_json(job, crews[job.id]) for job in rows]
    return page_response(items, params=params, total=total)


@router.get(
    "/jobs/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV download"},
        **errors(*SIGNED_IN, 404, 422),
    },
)
def export_jobs(user: OfficeUser, filters: Filters) -> StreamingResponse:
    """The jobs the list's filters select, newest first, as a spreadsheet-safe CSV download
    (office only). The stream reads the rows with its own session, as the customers' does."""

    def chunks() -> Iterator[str]:
        with session_scope() as session:
            yield from job_service.export_jobs_csv(session, actor=user, filters=filters)

    filename = f"jobs-{datetime.now(UTC):%Y-%m-%d}.csv"
    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/jobs/{job_id}", response_model=Envelope[JobDetailOut], responses=errors(*SIGNED_IN, 404, 422)
)
def get_job(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """One job with its customer, crew and how many materials are bought; for the office
    also its approved estimate (workers never receive anything about money)."""
    detail = job_service.job_detail(session, job_id=job_id, user=user)
    out = JobDetailOut.model_validate(
        {
            **job_json(detail.job, [member.id for member in detail.crew]),
            "customer": CustomerSummary.model_validate(detail.customer).dump(),
            "crew": [CrewMember.model_validate(member).dump() for member in detail.crew],
            "materialsSummary": {
                "total": detail.materials_total,
                "purchased": detail.materials_purchased,
                "toBuy": detail.materials_total - detail.materials_purchased,
            },
        }
    )
    if not is_office(user):
        return ok(out.model_dump(mode="json", by_alias=True, exclude={"approved_estimate_id"}))
    approved = approved_estimate(session, job_id=detail.job.id)
    out.approved_estimate_id = approved.id if approved else None
    return ok(out.dump())


@router.post(
    "/jobs", status_code=201, response_model=Envelope[JobOut], responses=errors(*WRITE, *BODY, 409)
)
def create_job(body: job_service.JobCreate, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """A new job (office only); it starts as a lead."""
    job = job_service.create_job(session, data=body, actor=user)
    return _one(session, job, 201)


@router.put(
    "/jobs/{job_id}", response_model=Envelope[JobOut], responses=errors(*WRITE, *BODY, 404, 412)
)
def update_job(
    job_id: uuid.UUID,
    body: job_service.JobUpdate,
    user: CurrentUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Change some of a job's fields (office only); the status has its own route."""
    job = job_service.update_job(
        session, job_id=job_id, data=body, actor=user, expected_version=expected
    )
    return _one(session, job)


@router.delete(
    "/jobs/{job_id}", response_model=Envelope[Tombstone], responses=errors(*WRITE, 404, 412, 422)
)
def delete_job(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Soft-delete a job (office only)."""
    job = job_service.delete_job(session, job_id=job_id, actor=user, expected_version=expected)
    return ok(deleted_json(job))


@router.put(
    "/jobs/{job_id}/status",
    response_model=Envelope[JobOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def change_status(
    job_id: uuid.UUID, body: StatusChange, user: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Move a job through the workflow; 409 lists the moves allowed from here."""
    job = workflow.change_status(
        session, job_id=job_id, status=body.status, actor=user, expected_version=expected
    )
    return _one(session, job)


@router.post(
    "/jobs/{job_id}/assign",
    response_model=Envelope[JobOut],
    responses=errors(*WRITE, *BODY, 404, 412),
)
def assign(
    job_id: uuid.UUID, body: CrewChange, user: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Replace the job's crew with these active workers (office only)."""
    job = workflow.assign_crew(
        session, job_id=job_id, user_ids=body.user_ids, actor=user, expected_version=expected
    )
    return _one(session, job)
