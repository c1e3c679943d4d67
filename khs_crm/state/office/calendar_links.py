"""Issue and turn off private calendar links, from the People and Schedule screens."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.views import parse_id
from khs_crm.services.jobs import calendar_feed
from khs_crm.settings import get_settings


class CalendarLinks(rx.State, mixin=True):
    """Mixed into a screen's state; the screen's ``_refresh`` shows who has a link.

    The new link is shown once, in a dialog, and forgotten when the dialog closes: only
    its hash is stored.
    """

    link_url: str = ""
    link_for: str = ""
    revoking_id: str = ""
    revoking_name: str = ""

    def _refresh(self, session, user) -> None:  # pragma: no cover - each screen overrides
        raise NotImplementedError

    @rx.event
    def issue_link(self, user_id: str, name: str):
        return self._run(self._issue, user_id, name)  # type: ignore[attr-defined]

    def _issue(self, session, user, user_id: str, name: str) -> None:
        token = calendar_feed.issue_token(session, user_id=parse_id(user_id, "person"), actor=user)
        base = (self.router.url.origin or get_settings().public_url).rstrip("/")
        self.link_url, self.link_for = f"{base}/api/calendar/{token}.ics", name
        self._refresh(session, user)

    @rx.event
    def close_link(self):
        self.link_url = self.link_for = ""

    @rx.event
    def ask_revoke(self, user_id: str, name: str):
        self.revoking_id, self.revoking_name = user_id, name

    @rx.event
    def cancel_revoke(self):
        self.revoking_id = ""

    @rx.event
    def revoke_link(self):
        return self._run(self._revoke)  # type: ignore[attr-defined]

    def _revoke(self, session, user) -> None:
        calendar_feed.revoke_tokens(
            session, user_id=parse_id(self.revoking_id, "person"), actor=user
        )
        name, self.revoking_id = self.revoking_name, ""
        self._refresh(session, user)
        self.notice = N_("{name}'s calendar link no longer works.").format(name=name)  # type: ignore[attr-defined]
