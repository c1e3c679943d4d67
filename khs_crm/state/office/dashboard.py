"""State behind the office dashboard: counts, who works where today and this week."""

from __future__ import annotations

import reflex as rx

from khs_crm.office import dashboard
from khs_crm.office.activity import ActivityRow
from khs_crm.office.approved_waiting import WaitingJob
from khs_crm.office.double_bookings import DayClash
from khs_crm.office.schedule import ScheduledJob, ToBuy
from khs_crm.services.core.reports import StatusCount
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback


class DashboardState(Feedback, AuthState):
    customers: int = 0
    open_jobs: int = 0
    materials_to_buy: int = 0
    open_conflicts: int = 0
    jobs_by_status: list[StatusCount] = []
    today: list[ScheduledJob] = []
    week: list[ScheduledJob] = []
    to_buy: list[ToBuy] = []
    recent: list[ActivityRow] = []
    double_bookings: list[DayClash] = []
    double_total: int = 0
    approved_waiting: list[WaitingJob] = []
    loaded: bool = False
    _shown: str = ""  # the stamp of the figures this tab holds (read_cache.stamped)

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        """Shared figures (office/dashboard.py), copied: the state's lists are its own.
        Figures the tab already holds are not assigned again, so a page load sends them
        once (in the hydrate), not twice."""
        figures, stamp = dashboard.figures(session, user)
        if stamp == self._shown and self.loaded:
            return
        self.customers = figures.summary.customers
        self.open_jobs = figures.summary.open_jobs
        self.materials_to_buy = figures.summary.materials_to_buy
        self.jobs_by_status = list(figures.summary.jobs_by_status)
        self.open_conflicts = figures.open_conflicts
        self.today, self.week = list(figures.today), list(figures.week)
        self.to_buy, self.recent = list(figures.to_buy), list(figures.recent)
        self.double_bookings = list(figures.double_bookings)
        self.double_total = figures.double_total
        self.approved_waiting = list(figures.approved_waiting)
        self.loaded, self._shown = True, stamp
