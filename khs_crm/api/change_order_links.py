"""The customer's page for a priced change-order revision (``/c/<token>``: its lines and
total, Approve / Decline while it is sent; the forms post to
``/api/public/change-orders/<token>/approve`` and ``/decline``). What the change order shows
is here; the frame, the dead link, the forms and the answering steps are link_page's (shared
with the estimate's page). After the customer's answer the office decides
(docs/change_orders.md)."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

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
    logo,
    note,
    page,
)
from khs_crm.models import ChangeOrder, ChangeOrderStatus, Customer, Job
from khs_crm.services.change_orders import decisions, pdf
from khs_crm.services.money.company import get_company
from khs_crm.services.money.words import Words, words_for

router = APIRouter(include_in_schema=False)


def _customer_words(session: Session, row: ChangeOrder) -> Words:
    job = session.get(Job, row.job_id)
    return words_for(session.get(Customer, job.customer_id) if job else None)


def _price(w: Words, value: Any) -> str:
    return pdf.say(w, "to_price") if value is None else w.money(Decimal(str(value)))


def _summary(session: Session, row: ChangeOrder, w: Words) -> str:
    """The change order as the customer's page shows it: the company as on the estimate's
    page (logo, name, address, phone), the description, lines and total."""
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
        f"<header>{logo()}{company_lines(company)}</header>"
        f"<h1>{escape(pdf.say(w, 'title'))} {escape(row.number)}</h1>"
        f"<p>{escape(row.description)}</p><table><thead><tr><th>{escape(w('description'))}</th>"
        f"<th class=n>{escape(w('quantity'))}</th><th class=n>{escape(w('unit_price'))}</th>"
        f"</tr></thead><tbody>{rows}{total}</tbody></table>"
    )


def _link_page(
    session: Session, row: ChangeOrder, token: str, message: str = "", status: int = 200
) -> HTMLResponse:
    """The page, with a message above it; the forms while the customer may answer."""
    w = _customer_words(session, row)
    body = (note(message) if message else "") + _summary(session, row, w)
    if row.status == ChangeOrderStatus.sent:
        path = f"/api/public/change-orders/{token}"
        body += answer_forms(path, w, agree=pdf.say(w, "agree"))
    return page(w, f"{pdf.say(w, 'title')} {row.number}", body, status)


class ChangeOrderLinks(LinkAnswers[ChangeOrder]):
    """A priced revision's link: every answer shows the same page with a message above."""

    def find(self, session: Session, token: str) -> ChangeOrder:
        return decisions.for_link(session, token=token)

    def approve(
        self, session: Session, *, token: str, name: str, ip: str, user_agent: str
    ) -> ChangeOrder:
        return decisions.customer_approve(
            session, token=token, name=name, ip=ip, user_agent=user_agent
        )

    def decline(self, session: Session, *, token: str, reason: str) -> ChangeOrder:
        return decisions.customer_decline(session, token=token, reason=reason)

    def open_page(self, session: Session, doc: ChangeOrder, token: str) -> HTMLResponse:
        return _link_page(session, doc, token)

    def answered_page(
        self, session: Session, doc: ChangeOrder, token: str, *, approved: bool
    ) -> HTMLResponse:
        w = _customer_words(session, doc)
        thanks = pdf.say(w, "thanks") if approved else w("thanks_declined")
        return _link_page(session, doc, token, thanks)

    def refused_page(
        self, session: Session, doc: ChangeOrder, token: str, *, conflict: bool
    ) -> HTMLResponse:
        w = _customer_words(session, doc)
        if conflict:
            return _link_page(session, doc, token, w("not_open"), 409)
        return _link_page(session, doc, token, w("fix_form"), 422)


CHANGE_ORDERS = ChangeOrderLinks()


@router.get("/c/{token}", response_class=HTMLResponse)
def change_order_page(token: str, session: SessionDep) -> HTMLResponse:
    """The customer's priced change order: lines, total, and Approve / Decline while open."""
    return CHANGE_ORDERS.show(session, token)


@router.post("/api/public/change-orders/{token}/approve", response_class=HTMLResponse)
def customer_approve(
    token: str,
    request: Request,
    session: SessionDep,
    name: FormName = "",
    agree: FormAgree = "",
) -> HTMLResponse:
    """The customer approves (typed full name + "I agree"), once; the office then decides."""
    return CHANGE_ORDERS.answer_approve(session, token, request, name=name, agree=agree)


@router.post("/api/public/change-orders/{token}/decline", response_class=HTMLResponse)
def customer_decline(token: str, session: SessionDep, reason: FormReason = "") -> HTMLResponse:
    """The customer declines, with an optional reason; once."""
    return CHANGE_ORDERS.answer_decline(session, token, reason=reason)
