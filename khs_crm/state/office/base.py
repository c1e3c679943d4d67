"""What every office screen's state shares: the office gate and messages for people."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import reflex as rx
from pydantic.alias_generators import to_snake

from khs_crm.db import session_scope
from khs_crm.i18n import N_
from khs_crm.services.core.errors import ServiceError

PAGE_SIZE = 25
# Service details written for API clients, reworded for the person at the form.
FIELD_MESSAGES = {
    "must not be before scheduledStart": N_("Must be after the start."),
    "already in use": N_("Already in use."),
}


def clean_page(raw: Any) -> int:
    """A page number from a URL or a button: 1 or more."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


def path_id(state: rx.State) -> str:
    """The id at the end of the page's address: /jobs/<id>, /customers/<id>."""
    return state.router.url.path.rstrip("/").rsplit("/", 1)[-1]


class Feedback(rx.State, mixin=True):
    """A screen's own messages: copied into each state that mixes it in, never shared."""

    error: str = ""
    notice: str = ""
    field_errors: dict[str, str] = {}

    def _clear(self) -> None:
        # only what is shown: an assignment sends the var to the tab again
        if self.error or self.notice or self.field_errors:
            self.error, self.notice, self.field_errors = "", "", {}

    def _fail(self, exc: ServiceError) -> None:
        """Show a rule's message, and each field's next to its input (named in snake_case)."""
        self.error = exc.message
        self.field_errors = {
            to_snake(str(d.get("field", "")).split(".")[-1]): FIELD_MESSAGES.get(
                str(d.get("message", "")), str(d.get("message", ""))
            )
            for d in exc.details
        }

    def _run(self, work: Callable[..., Any], *args: Any) -> Any:
        """Check the office user on every event, then ``work(session, user, *args)``.

        A signed-out visitor goes to /login, a worker to /field: nothing runs. A rule
        that says no (ServiceError) becomes the screen's message.
        """
        user, redirect = self._gate(office=True)  # type: ignore[attr-defined]
        if user is None:
            return redirect
        self._clear()
        try:
            with session_scope() as session:
                return work(session, user, *args)
        except ServiceError as exc:
            self._fail(exc)
            return None


class Paged(rx.State, mixin=True):
    """A list screen's pager: another page of the list (the screen's ``_fetch``)."""

    @rx.event
    def go(self, page: int):
        self.page = clean_page(page)  # type: ignore[attr-defined]
        return self._run(self._fetch)  # type: ignore[attr-defined]


class CustomerLink(rx.State, mixin=True):
    """A money document's customer link, shown once after sending (pages/office/
    estimates_actions.link_box). The page copies it in the browser, then says so here: a
    script sent by the server would need eval, which the security policy refuses."""

    link: str = ""

    @rx.event
    def link_copied(self):
        if self.link:
            self.notice = N_("Link copied.")  # type: ignore[attr-defined]


class ConfirmDelete(rx.State, mixin=True):
    """A record page's delete button: ask, then cancel or delete (the page's ``_delete``)."""

    confirming_delete: bool = False

    @rx.event
    def ask_delete(self):
        self._clear()
        self.confirming_delete = True

    @rx.event
    def cancel_delete(self):
        self.confirming_delete = False

    @rx.event
    def delete(self):
        return self._run(self._delete)


class EditDialog(rx.State, mixin=True):
    """A record page's edit dialog: open, close, and save the form (the page's ``_save``)."""

    editing: bool = False

    @rx.event
    def open_edit(self):
        self._clear()
        self.editing = True

    @rx.event
    def close_edit(self):
        self._clear()
        self.editing = False

    @rx.event
    def save(self, form: dict[str, Any]):
        return self._run(self._save, form)


# A file whose upload has reported no progress for this long, and whose answer has not come,
# did not get through (the browser tells the page nothing when the connection drops or a proxy
# refuses the request): the form stops waiting and says so. Checked this often.
UPLOAD_STALL_S = 20.0
UPLOAD_CHECK_S = 1.0


class UploadWatch(rx.State, mixin=True):
    """A form's files on their way to the server: the form says so while they go, and gives
    up with ``_lost_message()`` when the upload stalls. The form sends ``begin_upload`` just
    before the upload (whose ``on_upload_progress`` is ``upload_progress``); the upload's
    handler ends with ``sending = False``. The browser starts no second upload from a form
    until the first one's answer (Reflex would drop it without a word): the form's button is
    disabled while ``sending``."""

    sending: bool = False
    sent_percent: int = 0
    # time.time() of the upload's start or its last progress (wall time: any process may answer)
    _heard_at: float = 0.0

    def _lost_message(self) -> str:
        return N_(
            "The file did not reach the server (the connection may have dropped). Nothing was "
            "stored: choose it again and retry."
        )

    def _upload_lost(self) -> None:
        """Say the upload was given up (on the screen's message line unless a form has its own)."""
        self.error = self._lost_message()  # type: ignore[attr-defined]  # a Feedback state

    def _before_upload(self) -> None:
        """What the form clears as the upload starts, besides its messages."""

    @rx.event
    def begin_upload(self):
        """Sent just before the upload: the form shows its progress until the upload ends."""
        self._clear()  # type: ignore[attr-defined]  # every UploadWatch state is a Feedback one
        self._before_upload()
        self.sending, self.sent_percent = True, 0
        self._heard_at = time.time()
        return type(self).watch_upload

    @rx.event(background=True)
    async def watch_upload(self):
        """Stop waiting for an upload that stalled: its answer never comes (``UPLOAD_STALL_S``)."""
        while True:
            await asyncio.sleep(UPLOAD_CHECK_S)
            async with self:
                if not self.sending:
                    return
                if time.time() - self._heard_at >= UPLOAD_STALL_S:
                    self.sending = False
                    self._upload_lost()
                    return

    @rx.event
    def upload_progress(self, progress: dict[str, Any]):
        try:
            percent = int(float(progress.get("progress", 0)) * 100)
        except (TypeError, ValueError):
            return
        now = time.time()
        if now - self._heard_at >= UPLOAD_CHECK_S:  # once a second is enough for the watch
            self._heard_at = now
        percent = max(0, min(percent, 100))
        if percent != self.sent_percent:  # the browser reports many times a second
            self.sent_percent = percent
