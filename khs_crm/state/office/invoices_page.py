"""State behind /invoices/[invoice_id]: the invoice, its payments, Record payment (a refund:
owner only), send, the customer link and void."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.money_docs import (
    InvoiceView,
    LineRow,
    PaymentRow,
    invoice_view,
    payment_input,
)
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound
from khs_crm.services.money import invoices as service
from khs_crm.services.money import payments
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import CustomerLink, Feedback, path_id


class InvoiceState(CustomerLink, Feedback, AuthState):
    invoice: InvoiceView = InvoiceView()
    lines: list[LineRow] = []
    payments: list[PaymentRow] = []
    recording: bool = False
    confirming_void: bool = False
    missing: bool = False
    loaded: bool = False

    @rx.var
    def is_owner(self) -> bool:
        return self.user_role == "owner"

    @rx.event
    def load(self):
        self.loaded = self.missing = self.recording = self.confirming_void = False
        self.link = ""
        return self._run(self._fetch)

    def _id(self):
        return parse_id(self.invoice.id, "invoice")

    def _fetch(self, session, _user) -> None:
        try:
            doc = service.get_invoice(session, invoice_id=parse_id(path_id(self), "invoice"))
        except NotFound:
            self.missing = self.loaded = True
            return
        self.invoice, self.lines, self.payments = invoice_view(session, doc)
        self.loaded = True

    @rx.event
    def open_payment(self):
        self._clear()
        self.recording = True

    @rx.event
    def close_payment(self):
        self._clear()
        self.recording = False

    @rx.event
    def record_payment(self, form: dict[str, Any]):
        return self._run(self._record, form)

    def _record(self, session, user, form: dict[str, Any]) -> None:
        data = payment_input(form)
        payments.record_payment(session, invoice_id=self._id(), data=data, actor=user)
        self._fetch(session, user)
        self.recording = False
        kind = N_("Refund") if data.amount < 0 else N_("Payment")
        self.notice = f"{kind} recorded. Balance: {self.invoice.balance}."

    @rx.event
    def send(self):
        return self._run(self._send)

    def _send(self, session, user) -> None:
        _doc, token = service.send_invoice(session, invoice_id=self._id(), actor=user)
        self._fetch(session, user)
        origin = (self.router.headers.origin or "").rstrip("/")
        self.link = f"{origin}/i/{token}"
        self.notice = N_("Sent. Copy the link below and send it to the customer.")

    @rx.event
    def revoke(self):
        return self._run(self._revoke)

    def _revoke(self, session, user) -> None:
        service.revoke_link(session, invoice_id=self._id(), actor=user)
        self._fetch(session, user)
        self.link = ""
        self.notice = N_("The customer link no longer works.")

    @rx.event
    def ask_void(self):
        self._clear()
        self.confirming_void = True

    @rx.event
    def cancel_void(self):
        self.confirming_void = False

    @rx.event
    def void(self):
        return self._run(self._void)

    def _void(self, session, user) -> None:
        self.confirming_void = False
        service.void_invoice(session, invoice_id=self._id(), actor=user)
        self._fetch(session, user)
        self.notice = N_("The invoice is void.")
