"""State behind the office dashboard."""

from __future__ import annotations

import reflex as rx

from khs_crm.db import session_scope
from khs_crm.services.reports import StatusCount, dashboard_summary
from khs_crm.state.auth import AuthState


class DashboardState(AuthState):
    customers: int = 0
    open_jobs: int = 0
    materials_to_buy: int = 0
    jobs_by_status: list[StatusCount] = []

    @rx.event
    def load(self):
        user, redirect = self._gate(office=True)
        if user is None:
            return redirect
        with session_scope() as session:
            summary = dashboard_summary(session)
        self.customers = summary.customers
        self.open_jobs = summary.open_jobs
        self.materials_to_buy = summary.materials_to_buy
        self.jobs_by_status = summary.jobs_by_status
        return None
