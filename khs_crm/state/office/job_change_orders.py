"""State behind the job page's change-orders card: the job's latest change orders."""

from __future__ import annotations

import reflex as rx

from khs_crm.office.change_orders import ChangeOrderRow, job_change_orders
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback
from khs_crm.state.office.job_activity import job_id_of


class JobChangeOrdersState(Feedback, AuthState):
    rows: list[ChangeOrderRow] = []
    total: int = 0
    job_id: str = ""

    @rx.event
    def load(self):
        self.rows, self.total = [], 0
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        self.job_id = job_id_of(self)
        try:
            self.rows, self.total = job_change_orders(
                session, user=user, job_id=parse_id(self.job_id, "job")
            )
        except NotFound:
            return  # the job page says the job is missing
