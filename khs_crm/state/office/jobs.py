"""State behind /jobs (the board by status) and /jobs/list (the filtered, paged list)."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.models import JobStatus
from khs_crm.office.jobs import (
    BoardColumn,
    JobRow,
    board,
    export_href,
    jobs_page,
    worker_options,
)
from khs_crm.office.views import Option, parse_id, status_label
from khs_crm.services.jobs import workflow
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged

STATUSES = [s.value for s in JobStatus]


class BoardState(Feedback, AuthState):
    columns: list[BoardColumn] = []
    loaded: bool = False

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        self.columns = board(session, user=user)
        self.loaded = True

    @rx.event
    def move(self, job_id: str, status: str):
        """Move a job from the board; the workflow decides, its reason is shown."""
        return self._run(self._move, job_id, status)

    def _move(self, session, user, job_id: str, status: str) -> None:
        if status not in STATUSES:
            return
        job = workflow.change_status(
            session, job_id=parse_id(job_id, "job"), status=status, actor=user
        )
        self._fetch(session, user)
        self.notice = f"Moved “{job.title}” to {status_label(status)}."


class JobListState(Paged, Feedback, AuthState):
    rows: list[JobRow] = []
    workers: list[Option] = []
    status: str = ""
    worker: str = ""
    start_from: str = ""
    start_to: str = ""
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        params = self.router.url.query_parameters
        if params.get("status", "") in STATUSES:
            self.status, self.page = params["status"], 1
        result = self._run(self._fetch_all)
        if params.get("deleted") == "1":
            self.notice = N_("The job was deleted. Its history stays in the activity log.")
        return result

    def _fetch_all(self, session, user) -> None:
        self.workers = worker_options(session)
        self._fetch(session, user)

    def _fetch(self, session, user) -> None:
        self.rows, info = jobs_page(
            session,
            user=user,
            status=self.status,
            worker_id=self.worker,
            start_from=self.start_from,
            start_to=self.start_to,
            page=self.page,
            page_size=PAGE_SIZE,
        )
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.loaded = True

    @rx.var
    def export_href(self) -> str:
        """The CSV export of the jobs these filters select."""
        return export_href(self.status, self.worker, self.start_from, self.start_to)

    @rx.event
    def filter_status(self, value: str):
        self.status, self.page = (value if value in STATUSES else ""), 1
        return self._run(self._fetch)

    @rx.event
    def filter_worker(self, value: str):
        self.worker, self.page = value, 1
        return self._run(self._fetch)

    @rx.event
    def filter_from(self, value: str):
        self.start_from, self.page = value[:10], 1
        return self._run(self._fetch)

    @rx.event
    def filter_to(self, value: str):
        self.start_to, self.page = value[:10], 1
        return self._run(self._fetch)

    @rx.event
    def clear_filters(self):
        self.status = self.worker = self.start_from = self.start_to = ""
        self.page = 1
        return self._run(self._fetch)
