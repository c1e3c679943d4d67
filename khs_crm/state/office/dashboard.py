"""State behind the office dashboard: counts, who works where today and this week."""

from __future__ import annotations

import reflex as rx

from khs_crm.office import double_bookings
from khs_crm.office import schedule as schedule
from khs_crm.office.activity import ActivityRow
from khs_crm.office.double_bookings import DayClash
from khs_crm.office.schedule import ScheduledJob, ToBuy
from khs_crm.office.timelines import activity_page
from khs_crm.services.core.reports import StatusCount
from khs_crm.services.sync import conflicts as sync_conflicts
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback

WEEK_ROWS = 30
TO_BUY_ROWS = 8
RECENT_ROWS = 8


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
    loaded: bool = False

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        summary = schedule.summary(session)
        self.open_conflicts = sync_conflicts.open_count(session, user=user)
        self.customers = summary.customers
        self.open_jobs = summary.open_jobs
        self.materials_to_buy = summary.materials_to_buy
        self.jobs_by_status = summary.jobs_by_status
        self.today = schedule.scheduled_jobs(session, first=schedule.today(), days=1, limit=50)
        monday = schedule.week_of(schedule.today())
        self.week = schedule.scheduled_jobs(session, first=monday, days=7, limit=WEEK_ROWS)
        self.to_buy = schedule.materials_to_buy(session, limit=TO_BUY_ROWS)
        self.double_bookings, self.double_total = double_bookings.upcoming(session)
        self.recent, _page = activity_page(session, entity="", page=1, page_size=RECENT_ROWS)
        self.loaded = True
