"""/api invoices and payments (office only): from an approved estimate or with their own
lines, sent as a customer link, paid, refunded (owner), voided."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from khs_crm.api.deps import IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.estimates import link_url, pdf_response
from khs_crm.api.money import (
    InvoiceOut,
    PaymentOut,
    PaymentResult,
    SentInvoice,
    invoice_json,
    payment_json,
)
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import Envelope, Page, PageParams, page_params, page_response
from khs_crm.models import Invoice, InvoiceStatus
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.money import invoices as service
from khs_crm.services.money import payments
from khs_crm.services.money.documents import lines_of
from khs_crm.services.money.schemas import InvoiceCreate, InvoiceUpdate, PaymentIn

router = APIRouter(tags=["invoices"])
Paging = Annotated[PageParams, Depends(page_params)]


def _one(session, invoice: Invoice, status: int = 200) -> JSONResponse:
    return ok(invoice_json(invoice, lines_of(session, invoice)), status)


def _page(session, rows: list[Invoice], total: int, params: PageParams) -> JSONResponse:
    items = [invoice_json(row, lines_of(session, row)) for row in rows]
    return page_response(items, params=params, total=total)


@router.post(
    "/jobs/{job_id}/invoices",
    status_code=201,
    response_model=Envelope[InvoiceOut],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def create_invoice(
    job_id: uuid.UUID, body: InvoiceCreate, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """A new draft invoice: ``percent`` of an approved estimate (``estimateId``; a deposit
    defaults to the company's deposit percentage, a final one bills what is left) or its own
    ``lines``. 409: the estimate is not approved, or nothing is left to bill."""
    return _one(session, service.create_invoice(session, job_id=job_id, data=body, actor=user), 201)


@router.get(
    "/jobs/{job_id}/invoices",
    response_model=Page[InvoiceOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def job_invoices(
    job_id: uuid.UUID, user: OfficeUser, session: SessionDep, params: Paging
) -> JSONResponse:
    """The job's invoices, newest first."""
    get_visible_job(session, job_id=job_id, user=user)
    rows, total = service.list_invoices(
        session, job_id=job_id, offset=params.offset, limit=params.page_size
    )
    return _page(session, rows, total, params)


@router.get("/invoices", response_model=Page[InvoiceOut], responses=errors(*SIGNED_IN, 404, 422))
def list_invoices(
    user: OfficeUser,
    session: SessionDep,
    params: Paging,
    status: InvoiceStatus | None = None,
    overdue: bool | None = None,
    customer_id: Annotated[uuid.UUID | None, Query(alias="customerId")] = None,
) -> JSONResponse:
    """Invoices, newest first, by status, customer, and whether overdue (open, past due)."""
    rows, total = service.list_invoices(
        session,
        customer_id=customer_id,
        status=status,
        overdue=overdue,
        offset=params.offset,
        limit=params.page_size,
    )
    return _page(session, rows, total, params)


@router.get(
    "/invoices/{invoice_id}",
    response_model=Envelope[InvoiceOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def read_invoice(invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """One invoice with its lines, totals, paid and balance."""
    return _one(session, service.get_invoice(session, invoice_id=invoice_id))


@router.put(
    "/invoices/{invoice_id}",
    response_model=Envelope[InvoiceOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def update_invoice(
    invoice_id: uuid.UUID,
    body: InvoiceUpdate,
    user: OfficeUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Change a draft invoice (409 once sent)."""
    invoice = service.update_invoice(
        session, invoice_id=invoice_id, data=body, actor=user, expected_version=expected
    )
    return _one(session, invoice)


@router.post(
    "/invoices/{invoice_id}/send",
    response_model=Envelope[SentInvoice],
    responses=errors(*WRITE, 404, 409, 422),
)
def send_invoice(
    invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep, request: Request
) -> JSONResponse:
    """Mark the invoice sent and return the customer's link (``/i/<token>``, shown once)."""
    invoice, token = service.send_invoice(session, invoice_id=invoice_id, actor=user)
    one = invoice_json(invoice, lines_of(session, invoice))
    return ok({"invoice": one, "link": {"url": link_url(request, "i", token)}})


@router.post(
    "/invoices/{invoice_id}/revoke-link",
    response_model=Envelope[InvoiceOut],
    responses=errors(*WRITE, 404, 422),
)
def revoke_link(invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The customer link stops working (404)."""
    return _one(session, service.revoke_link(session, invoice_id=invoice_id, actor=user))


@router.post(
    "/invoices/{invoice_id}/void",
    response_model=Envelope[InvoiceOut],
    responses=errors(*WRITE, 404, 409, 422),
)
def void_invoice(invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """Void an invoice; 409 when it holds payments (refund them first)."""
    return _one(session, service.void_invoice(session, invoice_id=invoice_id, actor=user))


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=201,
    response_model=Envelope[PaymentResult],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def record_payment(
    invoice_id: uuid.UUID, body: PaymentIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Record a payment (a negative amount: a refund, owner only; 403 for others). 422: more
    than the balance (or a refund above what was paid); 409: the invoice is void."""
    invoice, payment = payments.record_payment(
        session, invoice_id=invoice_id, data=body, actor=user
    )
    one = invoice_json(invoice, lines_of(session, invoice))
    return ok({"payment": payment_json(payment), "invoice": one}, 201)


@router.get(
    "/invoices/{invoice_id}/payments",
    response_model=Envelope[list[PaymentOut]],
    responses=errors(*SIGNED_IN, 404, 422),
)
def list_payments(invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The invoice's payments and refunds, oldest first."""
    return ok([payment_json(p) for p in payments.list_payments(session, invoice_id=invoice_id)])


@router.get("/invoices/{invoice_id}/pdf", include_in_schema=False)
def invoice_pdf(invoice_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> Response:
    """The invoice as a PDF, in the customer's language (documented in docs/money.md)."""
    return pdf_response(session, service.get_invoice(session, invoice_id=invoice_id))
