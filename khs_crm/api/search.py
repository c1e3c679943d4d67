"""/api/search: the office's one search over customers, jobs and people."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import SIGNED_IN, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.models import JobStatus, Role
from khs_crm.services.customers.search import MAX_QUERY_LENGTH
from khs_crm.services.search import everything

router = APIRouter(tags=["search"])


class CustomerHit(CamelModel):
    id: uuid.UUID
    name: str
    phone: str
    email: str
    address: str


class JobHit(CamelModel):
    id: uuid.UUID
    title: str
    status: JobStatus
    site_address: str
    customer_id: uuid.UUID
    customer_name: str


class PersonHit(CamelModel):
    id: uuid.UUID
    name: str
    email: str
    role: Role
    active: bool


class SearchResults(CamelModel):
    """Each kind best first: exact, then prefix, then the nearest (pg_trgm word similarity)."""

    customers: list[CustomerHit]
    jobs: list[JobHit]
    people: list[PersonHit]


def results_json(found: everything.Found) -> dict:
    return SearchResults(
        customers=[CustomerHit.model_validate(c) for c in found.customers],
        jobs=[
            JobHit(
                id=job.id,
                title=job.title,
                status=JobStatus(job.status),
                site_address=job.site_address,
                customer_id=job.customer_id,
                customer_name=name,
            )
            for job, name in found.jobs
        ],
        people=[PersonHit.model_validate(u) for u in found.people],
    ).dump()


@router.get(
    "/search", response_model=Envelope[SearchResults], responses=errors(*SIGNED_IN, 404, 422)
)
def search(
    user: OfficeUser,
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH)],
    limit: Annotated[int, Query(ge=1, le=everything.MAX_LIMIT)] = everything.DEFAULT_LIMIT,
) -> JSONResponse:
    """Customers (name, phone, email, address), jobs (title, site address, customer's name)
    and people (name, email) matching every word of ``q``, or a near miss of the name or
    title; up to ``limit`` of each kind (office only)."""
    found = everything.search_everything(session, user=user, q=q, limit=limit)
    return ok(results_json(found))
