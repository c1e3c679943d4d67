"""The job page's photos: one page of them, upload several at once, delete with confirmation
(office only)."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from khs_crm.db import session_scope
from khs_crm.i18n import N_
from khs_crm.office.job_page import before_after_pairs, job_photos
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound
from khs_crm.services.photos import service as photos
from khs_crm.services.photos.batch import MAX_BATCH_FILES, PhotoFile, upload_photos
from khs_crm.services.photos.images import ALLOWED, MAX_PHOTO_BYTES, MB
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, Paged, UploadWatch
from khs_crm.state.office.job_activity import JobActivityState, job_id_of

PHOTOS_PAGE = 24
# Thumbnails are made off the request path, usually within a second: look again this often,
# for at most this many times, while the page shows photos whose thumbnail is on its way.
THUMBNAIL_POLL_S = 1.0
THUMBNAIL_POLLS = 20
UPLOAD_LOST = N_(
    "The photos did not reach the server (the connection may have dropped). Nothing was "
    "uploaded: choose them again and retry."
)
# Why the browser's file picker turned a file away (react-dropzone's error codes).
PICKER_REASONS = {
    "file-invalid-type": N_("not a {types} image").format(types=ALLOWED),
    "file-too-large": N_("larger than {size} MB").format(size=MAX_PHOTO_BYTES // MB),
}


def _picker_refusal(rejected: list[dict[str, Any]]) -> str:
    """What the file picker turned away (``{name, codes}`` each): by name and why."""
    lines = []
    for item in rejected:
        codes = [str(code) for code in item.get("codes", [])]
        if "too-many-files" in codes:
            return N_("Choose at most {count} photos at once.").format(count=MAX_BATCH_FILES)
        reasons = ", ".join(PICKER_REASONS.get(code, "not accepted") for code in codes)
        lines.append(f"{item.get('name') or N_('A file')}: {reasons}")
    return N_("Not added: ") + "; ".join(lines) + "."


class JobPhotosState(UploadWatch, Paged, Feedback, AuthState):
    photos: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    page: int = 1
    pages: int = 0
    total: int = 0
    confirm_id: str = ""
    refused: list[str] = []

    @rx.event
    def load(self):
        self.photos, self.pairs, self.page, self.confirm_id = [], [], 1, ""
        self.refused, self.sending = [], False
        return self._run(self._fetch)

    def _before_upload(self) -> None:
        self.refused = []

    def _lost_message(self) -> str:
        return UPLOAD_LOST

    def _fetch(self, session, user) -> Any:
        try:
            self.photos, info = job_photos(
                session, user=user, job_id=job_id_of(self), page=self.page, page_size=PHOTOS_PAGE
            )
        except NotFound:
            return None
        self.pairs = before_after_pairs(self.photos)
        self.pages, self.total = info.pages, info.total
        return JobPhotosState.watch_thumbnails if self._thumbnails_pending() else None

    def _thumbnails_pending(self) -> bool:
        return any(p.get("thumbnailPending") for p in self.photos)

    @rx.event(background=True)
    async def watch_thumbnails(self):
        """Fetch the page again until the thumbnails it waits for have been made."""
        for _ in range(THUMBNAIL_POLLS):
            await asyncio.sleep(THUMBNAIL_POLL_S)
            async with self:
                user, _redirect = self._gate(office=True)
                if user is None:
                    return
                with session_scope() as session:
                    if self._fetch(session, user) is None:
                        return

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
        self.notice = N_("Photo deleted.")
        return JobActivityState.refresh

    @rx.event
    async def upload(self, files: list[rx.UploadFile], form: dict[str, Any]):
        chosen = [PhotoFile(f.name or "photo", f.file) for f in files]  # read one at a time
        self.refused = []
        try:
            return self._run(self._upload, chosen, form)
        finally:
            self.sending = False

    def _upload(self, session, user, chosen: list[PhotoFile], form: dict[str, Any]):
        outcome = upload_photos(
            session,
            job_id=parse_id(job_id_of(self), "job"),
            files=chosen,
            tag=str(form.get("tag", "")),
            caption=str(form.get("caption", "")),
            actor=user,
        )
        self.refused = outcome.refused
        if count := len(outcome.stored):
            self.notice = f"{count} photo{'s' if count != 1 else ''} uploaded."
        watch = self._fetch(session, user)
        if self.pages > self.page:  # new photos come last: show them
            self.page = self.pages
            watch = self._fetch(session, user)
        return [JobActivityState.refresh, watch] if watch else JobActivityState.refresh

    @rx.event
    def rejected(self, files: list[dict[str, Any]]):
        self._clear()
        self.refused = []
        self.error = _picker_refusal(files)
