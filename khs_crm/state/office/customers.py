"""State behind /customers: one page of the list or the search, create and CSV import."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.forms import Duplicate, customer_create, duplicate_of
from khs_crm.office.views import CustomerRow, Problem, customers_page
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.customers import csv_transfer as customer_csv
from khs_crm.services.customers import service as customers
from khs_crm.services.customers.rules import digits_of
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged, UploadWatch

SORTS = ("name", "-name", "-updated_at", "updated_at")
MAX_REPORT = 50


class CustomersState(UploadWatch, Paged, Feedback, AuthState):
    rows: list[CustomerRow] = []
    page: int = 1
    pages: int = 0
    total: int = 0
    query: str = ""
    sort: str = "name"
    loaded: bool = False
    creating: bool = False
    import_report: list[Problem] = []
    duplicates: list[Duplicate] = []
    _add_anyway: str = ""  # the phone digits|email the office chose to add all the same

    @rx.event
    def load(self):
        deleted = self.router.url.query_parameters.get("deleted") == "1"
        self.sending = False  # a page opened afresh has no file of its own on the way
        result = self._run(self._fetch)
        if deleted:
            self.notice = N_("The customer was deleted. Their jobs are kept.")
        return result

    def _fetch(self, session, user) -> None:
        rows, info = customers_page(
            session, user=user, q=self.query, sort=self.sort, page=self.page, page_size=PAGE_SIZE
        )
        self.rows, self.page, self.pages, self.total = rows, info.page, info.pages, info.total
        self.loaded = True

    @rx.event
    def search(self, text: str):
        self.query, self.page = text[:200], 1
        return self._run(self._fetch)

    @rx.event
    def sort_by(self, sort: str):
        if sort in SORTS:
            self.sort, self.page = sort, 1
        return self._run(self._fetch)

    @rx.event
    def open_create(self):
        self._clear()
        self.creating, self.duplicates, self._add_anyway = True, [], ""

    @rx.event
    def close_create(self):
        self._clear()
        self.creating, self.duplicates, self._add_anyway = False, [], ""

    @rx.event
    def create(self, form: dict[str, Any]):
        return self._run(self._create, form)

    def _create(self, session, user, form: dict[str, Any]):
        """Add the customer; first, if their phone or email is already someone's, say who
        (sent again unchanged, the form adds them anyway)."""
        item = customer_create(form)
        same = (digits_of(item.phone), item.email.strip().lower())
        self.duplicates = []
        if same != ("", "") and "|".join(same) != self._add_anyway:
            found = customers.possible_duplicates(
                session, phone=item.phone, email=item.email, actor=user
            )
            self.duplicates = [duplicate_of(c, *same) for c in found]
            if self.duplicates:
                self._add_anyway = "|".join(same)
                return None
        customer = customers.create_customer(session, data=item, actor=user)
        self.creating, self._add_anyway = False, ""
        return rx.redirect(f"/customers/{customer.id}")

    @rx.event
    async def import_csv(self, files: list[rx.UploadFile]):
        # one byte past the limit is enough for the service to say the file is too large
        content = await files[0].read(customer_csv.MAX_IMPORT_BYTES + 1) if files else b""
        self.import_report = []
        try:
            return self._run(self._import, content)
        finally:
            self.sending = False  # the form takes another file

    def _before_upload(self) -> None:
        self.import_report = []

    def _lost_message(self) -> str:
        return N_(
            "The file did not reach the server (the connection may have dropped). Nothing was "
            "imported: choose it again and retry."
        )

    def _import(self, session, user, content: bytes) -> None:
        if not content:
            self.error = N_("Choose a CSV file to import.")
            return
        try:
            count = customer_csv.import_customers_csv(session, content=content, actor=user)
        except ServiceError as exc:
            self._fail(exc)
            self.field_errors = {}
            self.import_report = [
                Problem(where=d.get("field", ""), problem=d.get("message", ""))
                for d in exc.details[:MAX_REPORT]
            ]
            return
        self.notice = f"Imported {count:,} customer{'s' if count != 1 else ''}."
        self.page = 1
        self._fetch(session, user)

    @rx.event
    def rejected(self, _files: list[dict[str, Any]]):
        self.error = N_("That file can't be imported: choose one .csv file of at most 5 MB.")
