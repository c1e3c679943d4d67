"""State behind the job page's money card: its figures, a new estimate, and invoices made
from the job's approved estimate (deposit, progress, final)."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.money_job import DocLink, JobMoneyView, job_money_view
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound, ValidationFailed
from khs_crm.services.money import estimates as estimate_service
from khs_crm.services.money import invoices as invoice_service
from khs_crm.services.money.schemas import EstimateCreate, InvoiceCreate
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback
from khs_crm.state.office.job_activity import job_id_of

KINDS = ("deposit", "progress", "final")


class JobMoneyState(Feedback, AuthState):
    money: JobMoneyView = JobMoneyView()
    estimates: list[DocLink] = []
    invoices: list[DocLink] = []
    percent: str = ""  # the progress invoice's share, as typed
    loaded: bool = False

    @rx.event
    def load(self):
        self.loaded = False
        return self._run(self._fetch)

    def _job(self):
        return parse_id(job_id_of(self), "job")

    def _fetch(self, session, user) -> None:
        try:
            self.money, self.estimates, self.invoices = job_money_view(
                session, user=user, job_id=self._job()
            )
        except NotFound:
            return  # the job page says the job is missing
        self.loaded = True

    @rx.event
    def new_estimate(self, from_materials: bool = False):
        return self._run(self._new_estimate, from_materials)

    def _new_estimate(self, session, user, from_materials: bool):
        data = EstimateCreate(from_materials=bool(from_materials))
        doc = estimate_service.create_estimate(session, job_id=self._job(), data=data, actor=user)
        return rx.redirect(f"/estimates/{doc.id}")

    @rx.event
    def set_percent(self, value: str):
        self.percent = str(value).strip().rstrip("%").strip()[:10]

    @rx.event
    def new_invoice(self, kind: str):
        return self._run(self._new_invoice, kind)

    def _new_invoice(self, session, user, kind: str):
        percent = self.percent
        if kind == "progress" and not percent:
            message = N_("Enter the share of the estimate to bill, such as 40.")
            raise ValidationFailed(message, details=[{"field": "percent", "message": message}])
        if kind not in KINDS or not self.money.approved_estimate_id:
            raise ValidationFailed(N_("Choose which invoice to make."))
        try:
            data = InvoiceCreate(
                kind=kind,
                estimate_id=self.money.approved_estimate_id,
                percent=percent if kind == "progress" else None,
            )
        except ValueError as exc:
            message = N_("Enter a percentage above 0 and at most 100, such as 40.")
            raise ValidationFailed(
                message, details=[{"field": "percent", "message": message}]
            ) from exc
        doc = invoice_service.create_invoice(session, job_id=self._job(), data=data, actor=user)
        return rx.redirect(f"/invoices/{doc.id}")
