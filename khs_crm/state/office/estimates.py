"""State behind /estimates: one page of estimates, filtered by status, with or without the
deleted drafts."""

from __future__ import annotations

import reflex as rx

from khs_crm.office.money import ESTIMATE_STATUSES, EstimateRow, estimates_page, pick
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged


class EstimatesState(Paged, Feedback, AuthState):
    rows: list[EstimateRow] = []
    status: str = ""
    deleted: bool = False
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        query = self.router.url.query_parameters
        self.status, self.page = pick(query.get("status"), ESTIMATE_STATUSES), 1
        self.deleted = query.get("deleted") == "1"
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        self.rows, info = estimates_page(
            session,
            user=user,
            status=self.status,
            page=self.page,
            page_size=PAGE_SIZE,
            deleted=self.deleted,
        )
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.loaded = True

    @rx.event
    def filter_status(self, status: str):
        self.status, self.page = pick(status, ESTIMATE_STATUSES), 1
        return self._run(self._fetch)

    @rx.event
    def show_deleted(self, checked: bool):
        self.deleted, self.page = bool(checked), 1
        return self._run(self._fetch)
