"""State behind /jobs/[job_id]: the job, its workflow moves, its crew, edit and delete."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.forms import job_update
from khs_crm.office.job_page import JobView, job_view
from khs_crm.office.jobs import MoveOption, moves_for, worker_options
from khs_crm.office.views import Option, parse_id, status_label
from khs_crm.services.core.errors import NotFound, PreconditionFailed
from khs_crm.services.jobs import service as job_service
from khs_crm.services.jobs import workflow
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import ConfirmDelete, EditDialog, Feedback
from khs_crm.state.office.job_activity import JobActivityState, job_id_of
from khs_crm.state.office.job_crew import CrewWarnings

STALE = N_("Someone else changed this job while you were editing. Check it, then save again.")


class JobState(CrewWarnings, ConfirmDelete, EditDialog, Feedback, AuthState):
    job: JobView = JobView()
    crew: list[Option] = []
    workers: list[Option] = []
    moves: list[MoveOption] = []
    missing: bool = False
    loaded: bool = False

    @rx.event
    def load(self):
        self.loaded = self.missing = self.editing = self.confirming_delete = False
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        try:
            self.job, self.crew = job_view(session, user=user, job_id=job_id_of(self))
        except NotFound:
            self.missing = self.loaded = True
            return
        on_crew = {member.value for member in self.crew}
        self.workers = [w for w in worker_options(session) if w.value not in on_crew]
        self._warn(session, self.job.id, self.crew, self.workers)
        self.moves = moves_for(self.job.status, user.role)
        self.loaded = True

    def _changed(self, session, user, notice: str):
        self._fetch(session, user)
        self.notice = notice
        return JobActivityState.refresh

    @rx.event
    def move(self, status: str):
        return self._run(self._move, status)

    def _move(self, session, user, status: str):
        workflow.change_status(
            session, job_id=parse_id(self.job.id, "job"), status=status, actor=user
        )
        return self._changed(
            session, user, N_("Moved to {status}.").format(status=status_label(status))
        )

    @rx.event
    def assign(self, form: dict[str, Any]):
        return self._run(self._set_crew, [m.value for m in self.crew] + [form.get("worker", "")])

    @rx.event
    def unassign(self, user_id: str):
        return self._run(self._set_crew, [m.value for m in self.crew if m.value != user_id])

    def _set_crew(self, session, user, ids: list[str]):
        if not all(ids):
            self.error = N_("Choose a worker to assign.")
            return None
        workflow.assign_crew(
            session,
            job_id=parse_id(self.job.id, "job"),
            user_ids=[parse_id(i, "worker") for i in ids],
            actor=user,
        )
        return self._changed(session, user, N_("Crew updated."))

    def _save(self, session, user, form: dict[str, Any]):
        try:
            job_service.update_job(
                session,
                job_id=parse_id(self.job.id, "job"),
                data=job_update(form),
                actor=user,
                expected_version=self.job.version,
            )
        except PreconditionFailed:
            self._fetch(session, user)
            self.error = STALE
            return None
        self.editing = False
        return self._changed(session, user, N_("Saved."))

    def _delete(self, session, user):
        job_service.delete_job(session, job_id=parse_id(self.job.id, "job"), actor=user)
        self.confirming_delete = False
        return rx.redirect("/jobs/list?deleted=1")
