"""The customer's pages behind a link for an estimate (``/e/<token>``: approve or decline,
the forms post to ``/api/public/estimates/<token>/approve`` and ``/decline``) and an invoice
(``/i/<token>``). What the document shows is here; the frame, the dead link, the forms and
the answering steps are link_page's (shared with the change order's page). An unknown,
revoked or superseded link answers 404."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from khs_crm.api.deps import SessionDep
from khs_crm.api.link_page import (
    FormAgree,
    FormName,
    FormReason,
    LinkAnswers,
    answer_forms,
    company_lines,
    gone,
    logo,
    note,
    page,
)
from khs_crm.models import Customer, Estimate, EstimateStatus, Invoice
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.money import public
from khs_crm.services.money.company import get_company
from khs_crm.services.money.documents import lines_of
from khs_crm.services.money.estimates import status_of
from khs_crm.services.money.words import Words, words_for

router = APIRouter(include_in_schema=False)


def _words(session: Session, doc: Estimate | Invoice) -> Words:
    return words_for(session.get(Customer, doc.customer_id))


def _document(session: Session, doc: Estimate | Invoice, w: Words) -> str:
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
        f"<header>{logo()}{company_lines(company)}</header><h1>{escape(title)}</h1>"
        f"<p>{escape(w('for'))}: {escape(customer.name if customer else '')}"
        f"{' · ' + escape(status) if status else ''}</p>"
        f"<table><thead><tr><th>{escape(w('description'))}</th><th class=n>{escape(w('quantity'))}"
        f"</th><th class=n>{escape(w('amount'))}</th></tr></thead>"
        f"<tbody>{rows}{totals}</tbody></table>"
        + (f"<p>{escape(doc.notes)}</p>" if doc.notes else "")
    )


def _estimate_page(
    session: Session, estimate: Estimate, token: str, problem: str = "", status: int = 200
) -> HTMLResponse:
    w = _words(session, estimate)
    body = _document(session, estimate, w)
    state = status_of(estimate)
    if state == EstimateStatus.sent:
        body += note(problem, warn=True) if problem else ""
        body += answer_forms(f"/api/public/estimates/{token}", w, agree=w("agree"))
    elif state == EstimateStatus.approved and estimate.approved_at:
        stamp = w(
            "approved_by",
            name=estimate.approved_name or "",
            date=w.day(estimate.approved_at.date()),
        )
        body += note(stamp)
    elif state == EstimateStatus.declined:
        body += note(w("declined"), warn=True)
    elif state == EstimateStatus.expired:
        body += note(w("expired"), warn=True)
    return page(w, f"{w('estimate')} {estimate.number}", body, status)


class EstimateLinks(LinkAnswers[Estimate]):
    """An estimate's link: the document with its state; thanks above the document."""

    def find(self, session: Session, token: str) -> Estimate:
        return public.estimate_for_link(session, token=token)

    def approve(
        self, session: Session, *, token: str, name: str, ip: str, user_agent: str
    ) -> Estimate:
        return public.approve(session, token=token, name=name, ip=ip, user_agent=user_agent)

    def decline(self, session: Session, *, token: str, reason: str) -> Estimate:
        return public.decline(session, token=token, reason=reason)

    def open_page(self, session: Session, doc: Estimate, token: str) -> HTMLResponse:
        return _estimate_page(session, doc, token)

    def answered_page(
        self, session: Session, doc: Estimate, token: str, *, approved: bool
    ) -> HTMLResponse:
        w = _words(session, doc)
        thanks = w("thanks_approved" if approved else "thanks_declined")
        return page(w, thanks, note(thanks) + _document(session, doc, w))

    def refused_page(
        self, session: Session, doc: Estimate, token: str, *, conflict: bool
    ) -> HTMLResponse:
        w = _words(session, doc)
        if conflict:
            body = _document(session, doc, w) + note(w("not_open"), warn=True)
            return page(w, w("not_open"), body, 409)
        return _estimate_page(session, doc, token, w("fix_form"), 422)


ESTIMATES = EstimateLinks()


@router.get("/e/{token}", response_class=HTMLResponse)
def estimate_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's estimate: lines, totals, and Approve / Decline while it is open."""
    return ESTIMATES.show(session, token)


@router.get("/i/{token}", response_class=HTMLResponse)
def invoice_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's invoice: lines, totals, what was paid and what is due."""
    try:
        invoice = public.invoice_for_link(session, token=token)
    except ServiceError:
        return gone()
    w = _words(session, invoice)
    return page(w, f"{w('invoice')} {invoice.number}", _document(session, invoice, w))


@router.post("/api/public/estimates/{token}/approve", response_class=HTMLResponse)
def approve(
    token: str,
    request: Request,
    session: SessionDep,
    name: FormName = "",
    agree: FormAgree = "",
) -> HTMLResponse:
    """The customer approves (typed full name + "I agree"); once. 409 when already answered."""
    return ESTIMATES.answer_approve(session, token, request, name=name, agree=agree)


@router.post("/api/public/estimates/{token}/decline", response_class=HTMLResponse)
def decline(token: str, session: SessionDep, reason: FormReason = "") -> HTMLResponse:
    """The customer declines, with an optional reason; once."""
    return ESTIMATES.answer_decline(session, token, reason=reason)
