"""State behind /change-orders/[change_order_id]: the change order, and the office's moves on
it: price it (a priced revision with a customer link, shown once), approve it, reject it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.change_order_page import (
    ChangeLine,
    ChangeOrderView,
    PhotoRef,
    SignatureView,
    page_parts,
)
from khs_crm.office.change_order_pricing import PricedLine, PricingTotals, pricing_input, running
from khs_crm.office.limits import max_length
from khs_crm.office.views import parse_id
from khs_crm.services.change_orders import decisions
from khs_crm.services.change_orders import service as change_orders
from khs_crm.services.change_orders.schemas import DecisionIn
from khs_crm.services.core.errors import NotFound, ValidationFailed
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import CustomerLink, Feedback, path_id

REASON_LIMIT = max_length(DecisionIn, "reason")


class ChangeOrderState(CustomerLink, Feedback, AuthState):
    co: ChangeOrderView = ChangeOrderView()
    lines: list[ChangeLine] = []
    photos: list[PhotoRef] = []
    signature: SignatureView = SignatureView()
    signed: bool = False
    missing: bool = False
    loaded: bool = False
    pricing: bool = False
    prices: dict[str, str] = {}
    rate: str = ""
    priced_lines: list[PricedLine] = []
    totals: PricingTotals = PricingTotals()
    rejecting: bool = False

    @rx.event
    def load(self):
        self.loaded = self.missing = self.pricing = self.rejecting = False
        self.link = ""
        return self._run(self._fetch)

    def _id(self):
        return parse_id(self.co.id or path_id(self), "change order")

    def _fetch(self, session, user) -> None:
        try:
            row = change_orders.get_change_order(
                session, change_order_id=parse_id(path_id(self), "change order"), user=user
            )
        except NotFound:
            self.missing = self.loaded = True
            return
        self.co, self.lines, self.photos, signature = page_parts(session, row)
        self.signed = signature is not None
        self.signature = signature or SignatureView()
        self.loaded = True

    def _act(self, work, *args: Any) -> Any:
        """Run a move; when the rules refuse it, show the change order as it is now (another
        person may have moved it on) with the refusal."""
        result = self._run(work, *args)
        if self.error:
            said, fields = self.error, self.field_errors
            self._run(self._fetch)
            self.error, self.field_errors = self.error or said, fields
        return result

    # Pricing --------------------------------------------------------------------------

    @rx.event
    def open_price(self):
        self._clear()
        self.prices, self.rate, self.pricing = {}, self.co.tax_rate, True
        self._recount()

    @rx.event
    def close_price(self):
        self._clear()
        self.pricing = False

    def _recount(self) -> None:
        self.priced_lines, self.totals = running(self.lines, self.prices, self.rate)

    @rx.event
    def set_price(self, number: str, value: str):
        self.prices = {**self.prices, str(number): str(value)[:20]}
        self._recount()

    @rx.event
    def set_rate(self, value: str):
        self.rate = str(value)[:20]
        self._recount()

    @rx.event
    def price(self, form: dict[str, Any]):
        typed = {str(line.number): str(form.get(f"price_{line.number}", "")) for line in self.lines}
        self.prices, self.rate = typed, str(form.get("tax_rate", self.rate))
        self._recount()
        return self._run(self._price)

    def _price(self, session, user) -> None:
        data = pricing_input(self.lines, self.prices, self.rate)
        revision, token = decisions.price(
            session, change_order_id=self._id(), data=data, actor=user
        )
        self._fetch(session, user)
        self.pricing = False
        origin = (self.router.headers.origin or "").rstrip("/")
        self.link = f"{origin}/c/{token}"
        self.notice = N_(
            "Priced as {number}: copy the link below and send it to the customer."
        ).format(number=revision.number)

    # Decisions --------------------------------------------------------------------------

    @rx.event
    def approve(self):
        return self._act(self._approve)

    def _approve(self, session, user) -> None:
        row = decisions.approve(session, change_order_id=self._id(), actor=user)
        self._fetch(session, user)
        self.notice = N_("{number} is approved: it adds {total} to the job's value.").format(
            number=row.number, total=self.co.total
        )

    @rx.event
    def ask_reject(self):
        self._clear()
        self.rejecting = True

    @rx.event
    def close_reject(self):
        self._clear()
        self.rejecting = False

    @rx.event
    def reject(self, form: dict[str, Any]):
        return self._act(self._reject, str(form.get("reason", "")).strip())

    def _reject(self, session, user, reason: str) -> None:
        if len(reason) > REASON_LIMIT:
            message = N_("Shorten the reason ({limit} characters at most).").format(
                limit=REASON_LIMIT
            )
            raise ValidationFailed(message, details=[{"field": "reason", "message": message}])
        row = decisions.reject(session, change_order_id=self._id(), reason=reason, actor=user)
        self._fetch(session, user)
        self.rejecting = False
        self.notice = N_("{number} is rejected.").format(number=row.number)
