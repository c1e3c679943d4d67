"""State behind /customers/[customer_id]: contact card, jobs, activity, edit and delete."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.activity import ActivityRow
from khs_crm.office.forms import customer_update
from khs_crm.office.jobs import JobRow, customer_jobs
from khs_crm.office.timelines import customer_timeline
from khs_crm.office.views import CustomerView, customer_for, parse_id
from khs_crm.services.core.errors import NotFound, PreconditionFailed
from khs_crm.services.customers import service as customers
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import ConfirmDelete, EditDialog, Feedback, clean_page, path_id

STALE = N_(
    "Someone else changed this customer while you were editing. Their changes are shown "
    "below; check them, then save again."
)
JOBS_PAGE = 10
TIMELINE_PAGE = 10


class CustomerState(ConfirmDelete, EditDialog, Feedback, AuthState):
    customer: CustomerView = CustomerView()
    missing: bool = False
    loaded: bool = False
    jobs: list[JobRow] = []
    jobs_page: int = 1
    jobs_pages: int = 0
    jobs_total: int = 0
    timeline: list[ActivityRow] = []
    timeline_page: int = 1
    timeline_pages: int = 0

    def _customer_id(self) -> str:
        return path_id(self)

    @rx.event
    def load(self):
        self.loaded, self.missing, self.editing, self.confirming_delete = False, False, False, False
        self.jobs_page = self.timeline_page = 1
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        try:
            self.customer = customer_for(session, customer_id=self._customer_id(), user=user)
        except NotFound:
            self.missing, self.loaded = True, True
            return
        self._fetch_lists(session, user)
        self.loaded = True

    def _fetch_lists(self, session, user) -> None:
        cid = self.customer.id
        self.jobs, info = customer_jobs(
            session, user=user, customer_id=cid, page=self.jobs_page, page_size=JOBS_PAGE
        )
        self.jobs_pages, self.jobs_total = info.pages, info.total
        self.timeline, info = customer_timeline(
            session, customer_id=cid, page=self.timeline_page, page_size=TIMELINE_PAGE
        )
        self.timeline_pages = info.pages

    @rx.event
    def go_jobs(self, page: int):
        self.jobs_page = clean_page(page)
        return self._run(self._fetch_lists)

    @rx.event
    def go_timeline(self, page: int):
        self.timeline_page = clean_page(page)
        return self._run(self._fetch_lists)

    def _save(self, session, user, form: dict[str, Any]) -> None:
        try:
            customers.update_customer(
                session,
                customer_id=parse_id(self.customer.id, "customer"),
                changes=customer_update(form),
                actor=user,
                expected_version=self.customer.version,
            )
        except PreconditionFailed:
            self.error = STALE
            self._fetch(session, user)
            return
        self.editing = False
        self._fetch(session, user)
        self.notice = N_("Saved.")

    def _delete(self, session, user):
        customers.delete_customer(
            session, customer_id=parse_id(self.customer.id, "customer"), actor=user
        )
        self.confirming_delete = False
        return rx.redirect("/customers?deleted=1")
