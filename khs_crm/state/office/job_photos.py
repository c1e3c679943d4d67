"""The job page's photos: one page of them, delete with confirmation (office only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.services import photos
from khs_crm.services.errors import NotFound
from khs_crm.services.office_job_page import before_after_pairs, job_photos
from khs_crm.services.office_views import parse_id
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, clean_page
from khs_crm.state.office.job_activity import JobActivityState, job_id_of

PHOTOS_PAGE = 24


class JobPhotosState(Feedback, AuthState):
    photos: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    page: int = 1
    pages: int = 0
    total: int = 0
    confirm_id: str = ""

    @rx.event
    def load(self):
        self.photos, self.pairs, self.page, self.confirm_id = [], [], 1, ""
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        try:
            self.photos, info = job_photos(
                session, user=user, job_id=job_id_of(self), page=self.page, page_size=PHOTOS_PAGE
            )
        except NotFound:
            return
        self.pairs = before_after_pairs(self.photos)
        self.pages, self.total = info.pages, info.total

    @rx.event
    def go(self, page: int):
        self.page = clean_page(page)
        return self._run(self._fetch)

    @rx.event
    def ask_delete(self, photo_id: str):
        self.confirm_id = photo_id

    @rx.event
    def cancel_delete(self):
        self.confirm_id = ""

    @rx.event
    def delete(self):
        return self._run(self._delete)

    def _delete(self, session, user):
        photos.delete_photo(session, photo_id=parse_id(self.confirm_id, "photo"), actor=user)
        self.confirm_id = ""
        self._fetch(session, user)
        self.notice = "Photo deleted."
        return JobActivityState.refresh
