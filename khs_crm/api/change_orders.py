"""/api change orders (office): list, read, draft, price, approve, reject, print; who may
price them; and the customer's page for a priced revision (``/c/<token>``). A phone writes
them up and signs them through sync (entity ``change_order``; docs/change_orders.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from html import escape
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.customer_links import _gone, _page, consented
from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep, client_ip
from khs_crm.api.envelope import ok
from khs_crm.api.estimates import link_url
from khs_crm.api.money import AMOUNT, LinkOut
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope, Page, PageParams, page_params, page_response
from khs_crm.models import ChangeOrder, ChangeOrderStatus, Customer, Job
from khs_crm.services.change_orders import content, decisions, pdf, prices
from khs_crm.services.change_orders import service as change_orders
from khs_crm.services.change_orders.schemas import ChangeOrderIn, DecisionIn, MayPriceIn, PricingIn
from khs_crm.services.core.access import is_office
from khs_crm.services.core.errors import NotFound, ServiceError
from khs_crm.services.money.company import get_company
from khs_crm.services.money.documents import money_text, number_text
from khs_crm.services.money.words import Words, words_for

router = APIRouter(tags=["change orders"])
links = APIRouter(include_in_schema=False)
Paging = Annotated[PageParams, Depends(page_params)]
DECIMAL: JsonDict = {"pattern": r"^-?[0-9]+(\.[0-9]*[1-9])?$", "examples": ["2.5"]}


class ChangeLineOut(CamelModel):
    """A line as stored and signed (docs/change_orders.md: decimals without trailing zeros)."""

    kind: Literal["material", "labor", "other", "discount"]
    description: str
    quantity: str = Field(json_schema_extra=DECIMAL)
    unit: str
    unit_price: str | None = Field(
        json_schema_extra=DECIMAL, description="null: to be priced by the office"
    )
    taxable: bool


class LocationOut(CamelModel):
    latitude: float
    longitude: float
    accuracy: float | None = None


class SignatureOut(CamelModel):
    name: str
    svg_path: str
    signed_at: str = Field(description="The device's time of signing, as it sent it.")
    content_hash: str = Field(description="SHA-256 of what was signed (computed by the server).")
    location: LocationOut | None = None


class ChangeOrderOut(CamelModel):
    id: uuid.UUID
    job_id: uuid.UUID
    number: str
    description: str
    lines: list[ChangeLineOut]
    photo_ids: list[uuid.UUID]
    status: ChangeOrderStatus
    signature: SignatureOut | None
    integrity: Literal["ok", "mismatch"] | None = Field(
        description="The stored content still hashes to the signed hash (null: unsigned)."
    )
    priced: bool
    tax_rate: str | None
    subtotal: str | None = Field(json_schema_extra=AMOUNT)
    tax: str | None = Field(json_schema_extra=AMOUNT)
    total: str | None = Field(json_schema_extra=AMOUNT)
    revises_id: uuid.UUID | None
    link_active: bool
    sent_at: datetime | None
    answered_name: str | None
    answered_at: datetime | None
    decline_reason: str | None
    decided_at: datetime | None
    decision_reason: str
    version: int
    created_at: datetime
    updated_at: datetime


class PricedRevision(CamelModel):
    change_order: ChangeOrderOut
    link: LinkOut


class MayPriceOut(CamelModel):
    user_id: uuid.UUID
    may_price_change_orders: bool


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def change_order_json(row: Any) -> dict[str, Any]:
    """A change order (a row, a pulled record, or a copy without prices) as the API and the
    sync show it; ``integrity`` recomputed from what is stored now."""
    lines = row.lines or []
    return {
        "id": str(row.id),
        "jobId": str(row.job_id),
        "number": row.number,
        "description": row.description,
        "lines": [{key: line.get(key) for key in content.LINE_KEYS} for line in lines],
        "photoIds": list(row.photo_ids or []),
        "status": str(row.status),
        "signature": row.signature or None,
        "integrity": content.integrity(row),
        "priced": bool(lines) and not any(line.get("unitPrice") is None for line in lines),
        "taxRate": number_text(row.tax_rate),
        "subtotal": money_text(row.subtotal),
        "tax": money_text(row.tax),
        "total": money_text(row.total),
        "revisesId": str(row.revises_id) if row.revises_id else None,
        "linkActive": row.link_hash is not None,
        "sentAt": _iso(row.sent_at),
        "answeredName": row.answered_name,
        "answeredAt": _iso(row.answered_at),
        "declineReason": row.decline_reason,
        "decidedAt": _iso(row.decided_at),
        "decisionReason": row.decision_reason or "",
        "version": row.version,
        "createdAt": _iso(row.created_at),
        "updatedAt": _iso(row.updated_at),
    }


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


# The customer's page for a priced revision ----------------------------------------------


def _customer_words(session, row: ChangeOrder) -> Words:
    job = session.get(Job, row.job_id)
    return words_for(session.get(Customer, job.customer_id) if job else None)


def _summary(session, row: ChangeOrder, w: Words) -> str:
    """The change order as the customer's page shows it: description, lines, total."""
    company = get_company(session)
    rows = "".join(
        f"<tr><td>{escape(str(line.get('description') or ''))}</td><td class=n>"
        f"{escape(str(line.get('quantity')))} {escape(str(line.get('unit') or ''))}</td>"
        f"<td class=n>{escape(_price(w, line.get('unitPrice')))}</td></tr>"
        for line in row.lines or []
    )
    total = (
        f"<tr class=total><td colspan=2>{escape(w('total'))}</td>"
        f"<td class=n>{escape(w.money(row.total))}</td></tr>"
        if row.total is not None
        else ""
    )
    return (
        f"<header><strong>{escape(company.name)}</strong></header>"
        f"<h1>{escape(pdf.say(w, 'title'))} {escape(row.number)}</h1>"
        f"<p>{escape(row.description)}</p><table><thead><tr><th>{escape(w('description'))}</th>"
        f"<th class=n>{escape(w('quantity'))}</th><th class=n>{escape(w('unit_price'))}</th>"
        f"</tr></thead><tbody>{rows}{total}</tbody></table>"
    )


def _price(w: Words, value: Any) -> str:
    from decimal import Decimal

    return pdf.say(w, "to_price") if value is None else w.money(Decimal(str(value)))


def _link_page(session, row: ChangeOrder, token: str, note: str = "", status: int = 200):
    w = _customer_words(session, row)
    body = _summary(session, row, w)
    if note:
        body = f"<p class=note>{escape(note)}</p>" + body
    if row.status == ChangeOrderStatus.sent:
        base = f"/api/public/change-orders/{escape(token)}"
        body += (
            f"<form method=post action='{base}/approve'><label>{escape(w('full_name'))}"
            "<input type=text name=name required maxlength=200 autocomplete=name></label>"
            "<label><input type=checkbox name=agree value=yes required> "
            f"{escape(pdf.say(w, 'agree'))}"
            f"</label><button type=submit>{escape(w('approve'))}</button></form>"
            f"<form method=post action='{base}/decline'><label>{escape(w('reason'))}"
            "<textarea name=reason maxlength=2000 rows=3></textarea></label>"
            f"<button type=submit>{escape(w('decline'))}</button></form>"
        )
    return _page(w, f"{pdf.say(w, 'title')} {row.number}", body, status)


@links.get("/c/{token}", response_class=HTMLResponse)
def change_order_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's priced change order: lines, total, and Approve / Decline while open."""
    try:
        row = decisions.for_link(session, token=token)
    except ServiceError:
        return _gone(Words("en"))
    return _link_page(session, row, token)


def _answered(session, token: str, exc: ServiceError) -> HTMLResponse:
    try:
        row = decisions.for_link(session, token=token)
    except ServiceError:
        return _gone(Words("en"))
    w = _customer_words(session, row)
    if exc.status == 409:
        return _link_page(session, row, token, w("not_open"), 409)
    return _link_page(session, row, token, w("fix_form"), 422)


@links.post("/api/public/change-orders/{token}/approve", response_class=HTMLResponse)
def customer_approve(
    token: str,
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    agree: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """The customer approves (typed full name + "I agree"), once; the office then decides."""
    try:
        if not consented(name, agree):
            return _answered(session, token, ServiceError("form"))
        row = decisions.customer_approve(
            session, token=token, name=" ".join(name.split()), ip=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )  # fmt: skip
    except ServiceError as exc:
        return _answered(session, token, exc)
    return _link_page(session, row, token, pdf.say(_customer_words(session, row), "thanks"))


@links.post("/api/public/change-orders/{token}/decline", response_class=HTMLResponse)
def customer_decline(
    token: str, session: SessionDep, reason: Annotated[str, Form(max_length=2000)] = ""
) -> HTMLResponse:
    """The customer declines, with an optional reason; once."""
    try:
        row = decisions.customer_decline(session, token=token, reason=reason.strip())
    except ServiceError as exc:
        return _answered(session, token, exc)
    return _link_page(session, row, token, _customer_words(session, row)("thanks_declined"))
