"""State behind /schedule: one week, a row per worker (a page of them), a column per day."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from khs_crm.office import schedule as schedule
from khs_crm.office.schedule import DayHeader, ScheduleRow
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, clean_page
from khs_crm.state.office.calendar_links import CalendarLinks


def _monday(raw: str) -> date:
    try:
        return schedule.week_of(date.fromisoformat(raw))
    except ValueError:
        return schedule.week_of(schedule.today())


class ScheduleState(CalendarLinks, Feedback, AuthState):
    week: str = ""
    title: str = ""
    days: list[DayHeader] = []
    rows: list[ScheduleRow] = []
    page: int = 1
    pages: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        self.week = _monday(self.router.url.query_parameters.get("week", "")).isoformat()
        self.page = 1
        return self._run(self._refresh)

    def _refresh(self, session, _user) -> None:
        first = _monday(self.week)
        self.days, self.rows, info = schedule.week_grid(
            session, first=first, page=self.page, page_size=PAGE_SIZE
        )
        self.title, self.page, self.pages = schedule.week_title(first), info.page, info.pages
        self.loaded = True

    @rx.event
    def shift(self, weeks: int):
        self.week = (_monday(self.week) + timedelta(weeks=int(weeks))).isoformat()
        return self._run(self._refresh)

    @rx.event
    def this_week(self):
        self.week = schedule.week_of(schedule.today()).isoformat()
        return self._run(self._refresh)

    @rx.event
    def go(self, page: int):
        self.page = clean_page(page)
        return self._run(self._refresh)
