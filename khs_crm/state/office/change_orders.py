"""State behind /change-orders: one page of one view (to price, signed, sent, approved, all)."""

from __future__ import annotations

import reflex as rx

from khs_crm.office.change_orders import (
    EMPTY,
    ChangeOrderRow,
    Tab,
    change_orders_page,
    pick_view,
)
from khs_crm.office.change_orders import (
    tabs as view_tabs,
)
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged


class ChangeOrdersState(Paged, Feedback, AuthState):
    rows: list[ChangeOrderRow] = []
    tabs: list[Tab] = []
    view: str = "to_price"
    empty: str = ""
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        self.view = pick_view(self.router.url.query_parameters.get("view"))
        self.page = 1
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        self.rows, info = change_orders_page(
            session, user=user, view=self.view, page=self.page, page_size=PAGE_SIZE
        )
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.tabs = view_tabs(session, user=user)
        self.empty = EMPTY[self.view]
        self.loaded = True

    @rx.event
    def filter(self, view: str):
        self.view, self.page = pick_view(view), 1
        return self._run(self._fetch)
