"""/api change orders (office): list, read, draft, price, approve, reject, print; who may
price them. A phone writes them up and signs them through sync (entity ``change_order``;
docs/change_orders.md); the customer answers a priced revision on its page
(change_order_links: ``/c/<token>``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from khs_crm.api.change_order_shapes import (
    ChangeOrderOut,
    MayPriceOut,
    PricedRevision,
    change_order_json,
)
from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.estimates import link_url
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import Envelope, Page, PageParams, page_params, page_response
from khs_crm.models import ChangeOrder, ChangeOrderStatus
from khs_crm.services.change_orders import decisions, pdf, prices
from khs_crm.services.change_orders import service as change_orders
from khs_crm.services.change_orders.schemas import ChangeOrderIn, DecisionIn, MayPriceIn, PricingIn
from khs_crm.services.core.access import is_office
from khs_crm.services.core.errors import NotFound

router = APIRouter(tags=["change orders"])
Paging = Annotated[PageParams, Depends(page_params)]


def _one(session, user, row: ChangeOrder, status: int = 200) -> JSONResponse:
    (shown,) = prices.as_seen_by(session, user, [row])
    return ok(change_order_json(shown), status)


@router.post(
    "/jobs/{job_id}/change-orders",
    status_code=201,
    response_model=Envelope[ChangeOrderOut],
    responses=errors(*WRITE, *BODY, 404),
)
def create_change_order(
    job_id: uuid.UUID, body: ChangeOrderIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """A new draft change order for the job, numbered by the server (``CO-0001``…)."""
    row = change_orders.create_change_order(session, job_id=job_id, data=body, actor=user)
    return _one(session, user, row, 201)


@router.get(
    "/change-orders", response_model=Page[ChangeOrderOut], responses=errors(*SIGNED_IN, 404, 422)
)
def list_change_orders(
    user: OfficeUser,
    session: SessionDep,
    params: Paging,
    status: ChangeOrderStatus | None = None,
    job_id: Annotated[uuid.UUID | None, Query(alias="jobId")] = None,
) -> JSONResponse:
    """Change orders, newest first, by status and job (to price: ``status=signed``)."""
    rows, total = change_orders.list_change_orders(
        session, user=user, status=status, job_id=job_id, offset=params.offset,
        limit=params.page_size,
    )  # fmt: skip
    shown = prices.as_seen_by(session, user, list(rows))
    return page_response([change_order_json(r) for r in shown], params=params, total=total)


@router.get(
    "/change-orders/{change_order_id}",
    response_model=Envelope[ChangeOrderOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def read_change_order(
    change_order_id: uuid.UUID, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """One change order, its signature and ``integrity`` (recomputed now)."""
    row = change_orders.get_change_order(session, change_order_id=change_order_id, user=user)
    return _one(session, user, row)


@router.put(
    "/change-orders/{change_order_id}",
    response_model=Envelope[ChangeOrderOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def update_change_order(
    change_order_id: uuid.UUID,
    body: ChangeOrderIn,
    user: OfficeUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Replace a draft's description, lines and photos (409 once signed: a correction is a
    new change order)."""
    row = change_orders.office_update(
        session, change_order_id=change_order_id, data=body, actor=user, expected_version=expected
    )
    return _one(session, user, row)


@router.post(
    "/change-orders/{change_order_id}/price",
    status_code=201,
    response_model=Envelope[PricedRevision],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def price_change_order(
    change_order_id: uuid.UUID,
    body: PricingIn,
    user: OfficeUser,
    session: SessionDep,
    request: Request,
) -> JSONResponse:
    """Price a signed, unpriced change order: a priced revision (its own number), sent to
    the customer with a link (``/c/<token>``, shown once)."""
    row, token = decisions.price(session, change_order_id=change_order_id, data=body, actor=user)
    data = {"changeOrder": change_order_json(row), "link": {"url": link_url(request, "c", token)}}
    return ok(data, 201)


@router.post(
    "/change-orders/{change_order_id}/approve",
    response_model=Envelope[ChangeOrderOut],
    responses=errors(*WRITE, 404, 409, 422),
)
def approve_change_order(
    change_order_id: uuid.UUID, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Add a signed, priced change order to the job's contract value."""
    return _one(
        session, user, decisions.approve(session, change_order_id=change_order_id, actor=user)
    )


@router.post(
    "/change-orders/{change_order_id}/reject",
    response_model=Envelope[ChangeOrderOut],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def reject_change_order(
    change_order_id: uuid.UUID, body: DecisionIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Turn a signed (or sent) change order down, with an optional reason."""
    row = decisions.reject(session, change_order_id=change_order_id, reason=body.reason, actor=user)
    return _one(session, user, row)


@router.get("/change-orders/{change_order_id}/pdf", include_in_schema=False)
def change_order_pdf(change_order_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> Response:
    """The change order as a PDF with the signature drawn in (docs/change_orders.md)."""
    row = change_orders.get_change_order(session, change_order_id=change_order_id, user=user)
    body = pdf.change_order_pdf(session, row)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{row.number}.pdf"'},
    )


@router.get(
    "/users/{user_id}/may-price-change-orders",
    response_model=Envelope[MayPriceOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def read_may_price(user_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """Whether the person may price change orders (the office, or the person themself)."""
    if not is_office(user) and user.id != user_id:
        raise NotFound("Person not found.")
    if is_office(user) and session.get(type(user), user_id) is None:
        raise NotFound("Person not found.")
    allowed = decisions.may_price(session, user_id=user_id)
    return ok({"userId": str(user_id), "mayPriceChangeOrders": allowed})


@router.put(
    "/users/{user_id}/may-price-change-orders",
    response_model=Envelope[MayPriceOut],
    responses=errors(*WRITE, *BODY, 404),
)
def change_may_price(
    user_id: uuid.UUID, body: MayPriceIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Allow a person to price change orders, or stop it (owner only: an admin gets 403)."""
    allowed = decisions.set_may_price(
        session, user_id=user_id, allowed=body.may_price_change_orders, actor=user
    )
    return ok({"userId": str(user_id), "mayPriceChangeOrders": allowed})
