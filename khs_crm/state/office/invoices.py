"""State behind /invoices: one page of invoices, filtered by status or overdue."""

from __future__ import annotations

import reflex as rx

from khs_crm.office.money import INVOICE_STATUSES, InvoiceRow, invoices_page, pick
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged


class InvoicesState(Paged, Feedback, AuthState):
    rows: list[InvoiceRow] = []
    status: str = ""
    overdue: bool = False
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        query = self.router.url.query_parameters
        self.status = pick(query.get("status"), INVOICE_STATUSES)
        self.overdue, self.page = query.get("overdue") in ("1", "true"), 1
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        self.rows, info = invoices_page(
            session,
            user=user,
            status=self.status,
            overdue=self.overdue,
            page=self.page,
            page_size=PAGE_SIZE,
        )
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.loaded = True

    @rx.event
    def filter_status(self, status: str):
        self.status, self.page = pick(status, INVOICE_STATUSES), 1
        return self._run(self._fetch)

    @rx.event
    def filter_overdue(self, overdue: bool):
        self.overdue, self.page = bool(overdue), 1
        return self._run(self._fetch)
