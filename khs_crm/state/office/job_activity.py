"""The job page's notes and its activity timeline, each one page at a time."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.activity import ActivityRow
from khs_crm.office.forms import note_create
from khs_crm.office.job_page import NoteRow, job_notes
from khs_crm.office.timelines import job_timeline
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound
from khs_crm.services.jobs import notes
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, clean_page, path_id

NOTES_PAGE = 5
TIMELINE_PAGE = 10


def job_id_of(state: rx.State) -> str:
    """The job id in the page's address (/jobs/[job_id])."""
    return path_id(state)


class JobActivityState(Feedback, AuthState):
    notes: list[NoteRow] = []
    notes_added: int = 0  # the note form's key: a new (empty) form after each added note
    notes_page: int = 1
    notes_pages: int = 0
    timeline: list[ActivityRow] = []
    timeline_page: int = 1
    timeline_pages: int = 0

    @rx.event
    def load(self):
        self.notes_page = self.timeline_page = 1
        self.notes, self.timeline = [], []
        return self._run(self._fetch)

    @rx.event
    def refresh(self):
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        job_id = job_id_of(self)
        try:
            self.notes, info = job_notes(
                session, user=user, job_id=job_id, page=self.notes_page, page_size=NOTES_PAGE
            )
        except NotFound:
            return
        self.notes_pages = info.pages
        self.timeline, info = job_timeline(
            session, job_id=job_id, page=self.timeline_page, page_size=TIMELINE_PAGE
        )
        self.timeline_pages = info.pages

    @rx.event
    def go_notes(self, page: int):
        self.notes_page = clean_page(page)
        return self._run(self._fetch)

    @rx.event
    def go_timeline(self, page: int):
        self.timeline_page = clean_page(page)
        return self._run(self._fetch)

    @rx.event
    def add_note(self, form: dict[str, Any]):
        return self._run(self._add_note, form)

    def _add_note(self, session, user, form: dict[str, Any]) -> None:
        job_id = parse_id(job_id_of(self), "job")
        notes.add_note(session, job_id=job_id, data=note_create(form), actor=user)
        self.notes_page = self.timeline_page = 1
        self.notes_added += 1
        self._fetch(session, user)
        self.notice = N_("Note added.")
