"""/api estimates: drafted per job, sent as a customer link, revised, printed (office only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from khs_crm.api.deps import IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.money import EstimateOut, SentEstimate, estimate_json
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import Envelope, Page, PageParams, page_params, page_response
from khs_crm.models import Customer, Estimate, EstimateStatus
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.money import estimates as service
from khs_crm.services.money.company import get_company
from khs_crm.services.money.documents import lines_of
from khs_crm.services.money.logo import logo_bytes
from khs_crm.services.money.pdf import document_pdf
from khs_crm.services.money.schemas import EstimateCreate, EstimateIn
from khs_crm.services.money.words import words_for

router = APIRouter(tags=["estimates"])
Paging = Annotated[PageParams, Depends(page_params)]


def _one(session, estimate: Estimate, status: int = 200) -> JSONResponse:
    return ok(estimate_json(estimate, lines_of(session, estimate)), status)


def _page(session, rows: list[Estimate], total: int, params: PageParams) -> JSONResponse:
    items = [estimate_json(row, lines_of(session, row)) for row in rows]
    return page_response(items, params=params, total=total)


def link_url(request: Request, kind: str, token: str) -> str:
    """The customer's address for a link token (``/e/<token>``, ``/i/<token>``)."""
    return f"{str(request.base_url).rstrip('/')}/{kind}/{token}"


@router.post(
    "/jobs/{job_id}/estimates",
    status_code=201,
    response_model=Envelope[EstimateOut],
    responses=errors(*WRITE, *BODY, 404),
)
def create_estimate(
    job_id: uuid.UUID, body: EstimateCreate, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """A new draft estimate for the job (``fromMaterials``: a line per material)."""
    estimate = service.create_estimate(session, job_id=job_id, data=body, actor=user)
    return _one(session, estimate, 201)


@router.get(
    "/jobs/{job_id}/estimates",
    response_model=Page[EstimateOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def job_estimates(
    job_id: uuid.UUID, user: OfficeUser, session: SessionDep, params: Paging
) -> JSONResponse:
    """The job's estimates, newest first."""
    get_visible_job(session, job_id=job_id, user=user)
    rows, total = service.list_estimates(
        session, job_id=job_id, offset=params.offset, limit=params.page_size
    )
    return _page(session, rows, total, params)


@router.get("/estimates", response_model=Page[EstimateOut], responses=errors(*SIGNED_IN, 404, 422))
def list_estimates(
    user: OfficeUser,
    session: SessionDep,
    params: Paging,
    status: EstimateStatus | None = None,
    customer_id: Annotated[uuid.UUID | None, Query(alias="customerId")] = None,
    include_deleted: Annotated[bool, Query(alias="includeDeleted")] = False,
) -> JSONResponse:
    """Estimates, newest first, by status and customer; ``includeDeleted`` adds the deleted
    drafts (tombstones keep their numbers)."""
    rows, total = service.list_estimates(
        session,
        customer_id=customer_id,
        status=status,
        include_deleted=include_deleted,
        offset=params.offset,
        limit=params.page_size,
    )
    return _page(session, rows, total, params)


@router.get(
    "/estimates/{estimate_id}",
    response_model=Envelope[EstimateOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def read_estimate(estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """One estimate with its lines and totals."""
    return _one(session, service.get_estimate(session, estimate_id=estimate_id))


@router.put(
    "/estimates/{estimate_id}",
    response_model=Envelope[EstimateOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def update_estimate(
    estimate_id: uuid.UUID,
    body: EstimateIn,
    user: OfficeUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Replace a draft's lines, tax rate, date and notes (409 once sent)."""
    estimate = service.update_estimate(
        session, estimate_id=estimate_id, data=body, actor=user, expected_version=expected
    )
    return _one(session, estimate)


@router.delete(
    "/estimates/{estimate_id}",
    response_model=Envelope[EstimateOut],
    responses=errors(*WRITE, 404, 409, 412, 422),
)
def delete_estimate(
    estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Delete a draft: a tombstone that keeps its number (409 once sent)."""
    estimate = service.delete_estimate(
        session, estimate_id=estimate_id, actor=user, expected_version=expected
    )
    return _one(session, estimate)


@router.post(
    "/estimates/{estimate_id}/send",
    response_model=Envelope[SentEstimate],
    responses=errors(*WRITE, 404, 409, 422),
)
def send_estimate(
    estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep, request: Request
) -> JSONResponse:
    """Mark the estimate sent and return the customer's link (``/e/<token>``, shown once;
    sending again makes a new link and the old one stops working). A lead job is quoted."""
    estimate, token = service.send_estimate(session, estimate_id=estimate_id, actor=user)
    one = estimate_json(estimate, lines_of(session, estimate))
    return ok({"estimate": one, "link": {"url": link_url(request, "e", token)}})


@router.post(
    "/estimates/{estimate_id}/revoke-link",
    response_model=Envelope[EstimateOut],
    responses=errors(*WRITE, 404, 422),
)
def revoke_link(estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The customer link stops working (404)."""
    return _one(session, service.revoke_link(session, estimate_id=estimate_id, actor=user))


@router.post(
    "/estimates/{estimate_id}/revise",
    status_code=201,
    response_model=Envelope[EstimateOut],
    responses=errors(*WRITE, 404, 409, 422),
)
def revise_estimate(estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """A new draft with the same lines, superseding this sent estimate (its link dies)."""
    return _one(session, service.revise_estimate(session, estimate_id=estimate_id, actor=user), 201)


@router.get("/estimates/{estimate_id}/pdf", include_in_schema=False)
def estimate_pdf(estimate_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> Response:
    """The estimate as a PDF, in the customer's language (documented in docs/money.md)."""
    estimate = service.get_estimate(session, estimate_id=estimate_id)
    return pdf_response(session, estimate)


def pdf_response(session, doc) -> Response:
    """A document's PDF, inline, named by its number."""
    customer = session.get(Customer, doc.customer_id)
    body = document_pdf(
        doc, lines_of(session, doc), company=get_company(session), customer=customer,
        w=words_for(customer), logo=logo_bytes(),
    )  # fmt: skip
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{doc.number}.pdf"'},
    )
