"""The frame every customer page behind a link shares (``/e/``, ``/i/``, ``/c/``): plain
server-rendered HTML, no script, no sign-in, phone-sized, never cached; the page a dead link
gets; the company's logo and lines; the Approve / Decline forms, and what happens when the
customer answers. Each document kind (customer_links: estimates and invoices;
change_order_links: change orders) says only what its page shows and which service call
answers it. The token is a path parameter named ``token``, so the access log redacts it."""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from html import escape
from typing import Annotated, Generic, TypeVar

from fastapi import Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from khs_crm.api.deps import client_ip
from khs_crm.models import CompanySettings
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.money.logo import LOGO_TYPE, logo_bytes
from khs_crm.services.money.words import Words

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
Doc = TypeVar("Doc")
# The answer forms' fields as a route reads them (the raw text's cap; the service checks the rest).
FormName = Annotated[str, Form(max_length=1000)]
FormAgree = Annotated[str, Form(max_length=20)]
FormReason = Annotated[str, Form(max_length=2000)]


def page(w: Words, title: str, body: str, status: int = 200) -> HTMLResponse:
    """The whole page around a body, in the customer's language; never stored by a cache
    and never sent on as a referrer (the address holds the token)."""
    html = (
        f'<!doctype html><html lang="{w.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def gone() -> HTMLResponse:
    """An unknown, revoked or superseded link: 404, in English (no customer to ask)."""
    w = Words("en")
    return page(w, w("gone"), note(w("gone"), warn=True), 404)


def note(text: str, *, warn: bool = False) -> str:
    """A boxed line above or below the document (``warn``: something went wrong)."""
    kind = "'note warn'" if warn else "note"
    return f"<p class={kind}>{escape(text)}</p>"


def logo() -> str:
    """The company's logo inside the page (no second request, nothing for a link to leak);
    decorative (empty alt): the company's name follows it."""
    data = logo_bytes()
    if data is None:
        return ""
    source = f"data:{LOGO_TYPE};base64,{base64.b64encode(data).decode()}"
    return f"<img class=logo src='{source}' alt=''>"


def company_lines(company: CompanySettings) -> str:
    """The company's name, address and phone, one a line; an empty one takes no line."""
    name = f"<strong>{escape(company.name)}</strong>" if company.name else ""
    lines = [name, escape(company.address), escape(company.phone)]
    return "<br>".join(line for line in lines if line)


def answer_forms(path: str, w: Words, *, agree: str) -> str:
    """Approve (typed full name + ``agree`` ticked) and Decline (optional reason), posted to
    ``<path>/approve`` and ``<path>/decline``."""
    base = escape(path)
    return (
        f"<form method=post action='{base}/approve'>"
        f"<label>{escape(w('full_name'))}<input type=text name=name required maxlength=200 "
        f"autocomplete=name></label><label><input type=checkbox name=agree value=yes required> "
        f"{escape(agree)}</label><button type=submit>{escape(w('approve'))}</button></form>"
        f"<form method=post action='{base}/decline'><label>{escape(w('reason'))}"
        f"<textarea name=reason maxlength=2000 rows=3></textarea></label>"
        f"<button type=submit>{escape(w('decline'))}</button></form>"
    )


def consented(name: str, agree: str) -> bool:
    """An approval form filled in: a typed name and "I agree" ticked."""
    return bool(name.strip()) and agree in ("yes", "on", "true")


class LinkAnswers(ABC, Generic[Doc]):
    """A document the customer answers through its link. The steps are the same for every
    kind: a dead link gets :func:`gone`; an approval needs the form filled in; a refused
    answer shows the page again (409 already answered, 422 the form); a kind says how to
    find its document, which service call answers it, and what each page shows."""

    @abstractmethod
    def find(self, session: Session, token: str) -> Doc:
        """The document behind the link (ServiceError when the link is dead)."""

    @abstractmethod
    def approve(self, session: Session, *, token: str, name: str, ip: str, user_agent: str) -> Doc:
        """The service call that records the customer's approval."""

    @abstractmethod
    def decline(self, session: Session, *, token: str, reason: str) -> Doc:
        """The service call that records the customer's refusal."""

    @abstractmethod
    def open_page(self, session: Session, doc: Doc, token: str) -> HTMLResponse:
        """The page the link shows."""

    @abstractmethod
    def answered_page(
        self, session: Session, doc: Doc, token: str, *, approved: bool
    ) -> HTMLResponse:
        """The page after the customer's answer was recorded (a thank-you)."""

    @abstractmethod
    def refused_page(
        self, session: Session, doc: Doc, token: str, *, conflict: bool
    ) -> HTMLResponse:
        """The page after an answer was refused: already answered (``conflict``, 409) or the
        form not filled in (422)."""

    def show(self, session: Session, token: str) -> HTMLResponse:
        """What the link opens: the document's page, or the dead link's 404."""
        try:
            doc = self.find(session, token)
        except ServiceError:
            return gone()
        return self.open_page(session, doc, token)

    def answer_approve(
        self, session: Session, token: str, request: Request, *, name: str, agree: str
    ) -> HTMLResponse:
        """The Approve form: typed name (spaces folded) + "I agree", with the customer's
        address and browser kept as the service records them; once."""
        if not consented(name, agree):
            return self._refused(session, token, conflict=False)
        try:
            doc = self.approve(
                session, token=token, name=" ".join(name.split()), ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )  # fmt: skip
        except ServiceError as exc:
            return self._refused(session, token, conflict=exc.status == 409)
        return self.answered_page(session, doc, token, approved=True)

    def answer_decline(self, session: Session, token: str, *, reason: str) -> HTMLResponse:
        """The Decline form, with an optional reason; once."""
        try:
            doc = self.decline(session, token=token, reason=reason.strip())
        except ServiceError as exc:
            return self._refused(session, token, conflict=exc.status == 409)
        return self.answered_page(session, doc, token, approved=False)

    def _refused(self, session: Session, token: str, *, conflict: bool) -> HTMLResponse:
        try:
            doc = self.find(session, token)
        except ServiceError:
            return gone()
        return self.refused_page(session, doc, token, conflict=conflict)
