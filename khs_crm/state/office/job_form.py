"""The "New job" dialog, opened from the job screens or from a customer's page."""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.form import FormData

from khs_crm.office.forms import job_create
from khs_crm.office.jobs import CustomerMatch, customer_matches, worker_options
from khs_crm.office.views import Option
from khs_crm.services.jobs import service as job_service
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback


class JobFormState(Feedback, AuthState):
    open: bool = False
    customer_id: str = ""
    customer_name: str = ""
    site_address: str = ""
    fixed_customer: bool = False
    matches: list[CustomerMatch] = []
    workers: list[Option] = []

    @rx.event
    def open_new(self):
        self.customer_id = self.customer_name = self.site_address = ""
        self.fixed_customer, self.matches = False, []
        return self._run(self._open)

    @rx.event
    def open_for(self, customer_id: str, name: str, address: str):
        self.customer_id, self.customer_name, self.site_address = customer_id, name, address
        self.fixed_customer, self.matches = True, []
        return self._run(self._open)

    def _open(self, session, _user) -> None:
        self.workers = worker_options(session)
        self.open = True

    @rx.event
    def close(self):
        self._clear()
        self.open = False

    @rx.event
    def find_customer(self, text: str):
        return self._run(self._find, text[:200])

    def _find(self, session, user, text: str) -> None:
        self.matches = customer_matches(session, user=user, q=text) if text.strip() else []

    @rx.event
    def pick(self, customer_id: str, label: str, address: str):
        self.customer_id, self.customer_name, self.matches = customer_id, label, []
        self.site_address = address

    @rx.event
    def unpick(self):
        self.customer_id = self.customer_name = ""

    @rx.event
    def save(self, form: FormData):
        return self._run(self._save, form)

    def _save(self, session, user, form: FormData):
        data = job_create(dict(form), self.customer_id, list(form.getlist("crew")))
        job = job_service.create_job(session, data=data, actor=user)
        self.open = False
        return rx.redirect(f"/jobs/{job.id}")
