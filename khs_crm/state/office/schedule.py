"""State behind /schedule: one week, a row per worker (a page of them), a column per day,
the jobs waiting for a date, and moving a job (drag and drop or the "Move to…" dialog)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office import schedule as schedule
from khs_crm.office.double_bookings import moved_sentence, stale_sentence
from khs_crm.office.jobs import worker_options
from khs_crm.office.schedule_week import (
    MoveRequest,
    WaitingCard,
    WeekDay,
    WeekRow,
    move_request,
    waiting_jobs,
    week_board,
)
from khs_crm.office.views import Option
from khs_crm.services.core.errors import PreconditionFailed
from khs_crm.services.jobs import schedule as rules
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, clean_page
from khs_crm.state.office.calendar_links import CalendarLinks

NOT_A_MOVE = N_("That move could not be read. Reload the schedule and try again.")


def _monday(raw: str) -> date:
    try:
        return schedule.week_of(date.fromisoformat(raw))
    except ValueError:
        return schedule.week_of(schedule.today())


class ScheduleState(CalendarLinks, Feedback, AuthState):
    week: str = ""
    title: str = ""
    days: list[WeekDay] = []
    rows: list[WeekRow] = []
    waiting: list[WaitingCard] = []
    waiting_total: int = 0
    workers: list[Option] = []
    page: int = 1
    pages: int = 0
    loaded: bool = False
    # the job the "Move to…" dialog is moving ("" while it is closed)
    move_job_id: str = ""
    move_title: str = ""
    move_version: int = 0
    move_day: str = ""
    move_worker: str = ""

    @rx.event
    def load(self):
        self.week = _monday(self.router.url.query_parameters.get("week", "")).isoformat()
        self.page = 1
        return self._run(self._refresh)

    def _refresh(self, session, _user) -> None:
        first = _monday(self.week)
        self.days, self.rows, info = week_board(
            session, first=first, page=self.page, page_size=PAGE_SIZE
        )
        self.waiting, self.waiting_total = waiting_jobs(session)
        self.workers = worker_options(session)
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

    @rx.event
    def open_move(self, job_id: str, title: str, version: int, day: str, worker: str):
        self._clear()
        self.move_job_id, self.move_title, self.move_version = job_id, title, int(version)
        self.move_day, self.move_worker = day, worker

    @rx.event
    def close_move(self):
        self.move_job_id = ""

    @rx.event
    def move(self, form: dict[str, Any]):
        """A drop on the week or the dialog's "Move job": the same path for both."""
        request = move_request(form)
        if request is None:
            self._clear()
            self.error = NOT_A_MOVE
            return None
        self.move_job_id = ""
        return self._run(self._move, request)

    def _move(self, session, user, request: MoveRequest) -> None:
        try:
            with session.begin_nested():
                job = rules.move_job(
                    session,
                    job_id=request.job_id,
                    to_day=request.to_day,
                    from_day=request.from_day,
                    leaving=request.leaving,
                    joining=request.joining,
                    actor=user,
                    expected_version=request.version,
                )
        except PreconditionFailed:
            self._refresh(session, user)
            self.error = stale_sentence(session, request.job_id)
            return
        self._refresh(session, user)
        self.notice = moved_sentence(session, job)
