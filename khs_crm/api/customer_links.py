"""The customer's pages behind a link: ``/e/<token>`` (an estimate: approve or decline) and
``/i/<token>`` (an invoice). Plain server-rendered HTML, no script, no sign-in, phone-sized,
in the customer's language; the forms post to ``/api/public/estimates/<token>/approve`` and
``/decline``. The token is a path parameter named ``token``, so the access log redacts it.
An unknown, revoked or superseded link answers 404."""

from __future__ import annotations

import base64
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from khs_crm.api.deps import SessionDep, client_ip
from khs_crm.models import Customer, Estimate, EstimateStatus, Invoice
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.money import public
from khs_crm.services.money.company import get_company
from khs_crm.services.money.documents import lines_of
from khs_crm.services.money.estimates import status_of
from khs_crm.services.money.logo import LOGO_TYPE, logo_bytes
from khs_crm.services.money.words import Words, words_for

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#111}
table{width:100%;border-collapse:collapse}td,th{padding:.4rem .2rem;border-bottom:1px solid #ddd}
td.n,th.n{text-align:right;white-space:nowrap}.total td{font-weight:bold}
.note{padding:.8rem;border-radius:.4rem;background:#eef6ee;margin:1rem 0}
.warn{background:#fdf0e6}
form{margin:1rem 0;padding:1rem;border:1px solid #ccc;border-radius:.4rem}
label{display:block;margin:.5rem 0}
input[type=text],textarea{width:100%;font-size:1.1rem;padding:.5rem}
button{font-size:1.1rem;padding:.7rem 1.4rem;margin-top:.5rem}
.logo{display:block;max-width:min(240px,100%);max-height:80px;margin-bottom:.5rem}
"""


def _page(w: Words, title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="{w.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def _gone(w: Words) -> HTMLResponse:
    return _page(w, w("gone"), f"<p class='note warn'>{escape(w('gone'))}</p>", 404)


def _logo() -> str:
    """The company's logo inside the page (no second request, nothing for a link to leak);
    decorative (empty alt): the company's name follows it."""
    data = logo_bytes()
    if data is None:
        return ""
    source = f"data:{LOGO_TYPE};base64,{base64.b64encode(data).decode()}"
    return f"<img class=logo src='{source}' alt=''>"


def _company_lines(company) -> str:
    """The company's name, address and phone, one a line; an empty one takes no line."""
    name = f"<strong>{escape(company.name)}</strong>" if company.name else ""
    lines = [name, escape(company.address), escape(company.phone)]
    return "<br>".join(line for line in lines if line)


def _document(session, doc: Estimate | Invoice, w: Words) -> str:
    company = get_company(session)
    customer = session.get(Customer, doc.customer_id)
    title = f"{w('estimate') if isinstance(doc, Estimate) else w('invoice')} {doc.number}"
    rows = "".join(
        f"<tr><td>{escape(w.line(line))}</td><td class=n>{escape(w.number(line.quantity))} "
        f"{escape(line.unit)}</td><td class=n>{escape(w.money(line.amount))}</td></tr>"
        for line in lines_of(session, doc)
    )
    sums = [(w("subtotal"), doc.subtotal), (w("tax", rate=w.number(doc.tax_rate)), doc.tax)]
    sums.append((w("total"), doc.total))
    if isinstance(doc, Invoice):
        sums += [(w("paid"), doc.paid), (w("balance"), doc.total - doc.paid)]
    totals = "".join(
        f"<tr class=total><td colspan=2>{escape(label)}</td>"
        f"<td class=n>{escape(w.money(v))}</td></tr>"
        for label, v in sums
    )
    status = w.status(status_of(doc) if isinstance(doc, Estimate) else doc.status)
    return (
        f"<header>{_logo()}{_company_lines(company)}</header><h1>{escape(title)}</h1>"
        f"<p>{escape(w('for'))}: {escape(customer.name if customer else '')}"
        f"{' · ' + escape(status) if status else ''}</p>"
        f"<table><thead><tr><th>{escape(w('description'))}</th><th class=n>{escape(w('quantity'))}"
        f"</th><th class=n>{escape(w('amount'))}</th></tr></thead>"
        f"<tbody>{rows}{totals}</tbody></table>"
        + (f"<p>{escape(doc.notes)}</p>" if doc.notes else "")
    )


def _answer_forms(token: str, w: Words, problem: str = "") -> str:
    base = f"/api/public/estimates/{escape(token)}"
    warn = f"<p class='note warn'>{escape(problem)}</p>" if problem else ""
    return (
        f"{warn}<form method=post action='{base}/approve'>"
        f"<label>{escape(w('full_name'))}<input type=text name=name required maxlength=200 "
        f"autocomplete=name></label><label><input type=checkbox name=agree value=yes required> "
        f"{escape(w('agree'))}</label><button type=submit>{escape(w('approve'))}</button></form>"
        f"<form method=post action='{base}/decline'><label>{escape(w('reason'))}"
        f"<textarea name=reason maxlength=2000 rows=3></textarea></label>"
        f"<button type=submit>{escape(w('decline'))}</button></form>"
    )


def _estimate_page(session, estimate: Estimate, token: str, problem: str = "", status: int = 200):
    customer = session.get(Customer, estimate.customer_id)
    w = words_for(customer)
    body = _document(session, estimate, w)
    state = status_of(estimate)
    if state == EstimateStatus.sent:
        body += _answer_forms(token, w, problem)
    elif state == EstimateStatus.approved and estimate.approved_at:
        stamp = w(
            "approved_by",
            name=estimate.approved_name or "",
            date=w.day(estimate.approved_at.date()),
        )
        body += f"<p class=note>{escape(stamp)}</p>"
    elif state == EstimateStatus.declined:
        body += f"<p class='note warn'>{escape(w('declined'))}</p>"
    elif state == EstimateStatus.expired:
        body += f"<p class='note warn'>{escape(w('expired'))}</p>"
    return _page(w, f"{w('estimate')} {estimate.number}", body, status)


@router.get("/e/{token}", response_class=HTMLResponse)
def estimate_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's estimate: lines, totals, and Approve / Decline while it is open."""
    try:
        estimate = public.estimate_for_link(session, token=token)
    except ServiceError:
        return _gone(Words("en"))
    return _estimate_page(session, estimate, token)


@router.get("/i/{token}", response_class=HTMLResponse)
def invoice_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's invoice: lines, totals, what was paid and what is due."""
    try:
        invoice = public.invoice_for_link(session, token=token)
    except ServiceError:
        return _gone(Words("en"))
    w = words_for(session.get(Customer, invoice.customer_id))
    return _page(w, f"{w('invoice')} {invoice.number}", _document(session, invoice, w))


def consented(name: str, agree: str) -> bool:
    """An approval form filled in: a typed name and "I agree" ticked."""
    return bool(name.strip()) and agree in ("yes", "on", "true")


def _answered(session, token: str, exc: ServiceError) -> HTMLResponse:
    try:
        estimate = public.estimate_for_link(session, token=token)
    except ServiceError:
        return _gone(Words("en"))
    w = words_for(session.get(Customer, estimate.customer_id))
    if exc.status == 409:
        body = _document(session, estimate, w) + f"<p class='note warn'>{escape(w('not_open'))}</p>"
        return _page(w, w("not_open"), body, 409)
    return _estimate_page(session, estimate, token, w("fix_form"), 422)


@router.post("/api/public/estimates/{token}/approve", response_class=HTMLResponse)
def approve(
    token: str,
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    agree: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """The customer approves (typed full name + "I agree"); once. 409 when already answered."""
    try:
        if not consented(name, agree):
            return _answered(session, token, ServiceError("form"))
        estimate = public.approve(
            session,
            token=token,
            name=" ".join(name.split()),
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except ServiceError as exc:
        return _answered(session, token, exc)
    w = words_for(session.get(Customer, estimate.customer_id))
    body = f"<p class=note>{escape(w('thanks_approved'))}</p>" + _document(session, estimate, w)
    return _page(w, w("thanks_approved"), body)


@router.post("/api/public/estimates/{token}/decline", response_class=HTMLResponse)
def decline(
    token: str, session: SessionDep, reason: Annotated[str, Form(max_length=2000)] = ""
) -> HTMLResponse:
    """The customer declines, with an optional reason; once."""
    try:
        estimate = public.decline(session, token=token, reason=reason.strip())
    except ServiceError as exc:
        return _answered(session, token, exc)
    w = words_for(session.get(Customer, estimate.customer_id))
    body = f"<p class=note>{escape(w('thanks_declined'))}</p>" + _document(session, estimate, w)
    return _page(w, w("thanks_declined"), body)
