"""State behind /conflicts (the sync conflicts to settle) and /activity (the log)."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.activity import ENTITIES, ActivityRow
from khs_crm.office.conflicts import ConflictRow, conflict_rows
from khs_crm.office.timelines import activity_page
from khs_crm.office.views import page_info, parse_id
from khs_crm.services.sync import conflicts as sync_conflicts
from khs_crm.state.auth import AuthState
from khs_crm.state.office.badges import NavBadgeState
from khs_crm.state.office.base import PAGE_SIZE, Feedback, Paged

CONFLICTS_PAGE = 10


class ConflictsState(Paged, Feedback, AuthState):
    rows: list[ConflictRow] = []
    show_all: bool = False
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        self.page = 1
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        rows, total = sync_conflicts.list_conflicts(
            session,
            user=user,
            open_only=not self.show_all,
            offset=(self.page - 1) * CONFLICTS_PAGE,
            limit=CONFLICTS_PAGE,
        )
        info = page_info(self.page, CONFLICTS_PAGE, total)
        self.rows, self.pages, self.total = conflict_rows(session, rows), info.pages, info.total
        self.loaded = True

    @rx.event
    def toggle_all(self, show_all: bool):
        self.show_all, self.page = bool(show_all), 1
        return self._run(self._fetch)

    @rx.event
    def keep(self, conflict_id: str, side: str):
        """Keep the office's value ("server") or the phone's ("client")."""
        result = self._run(self._keep, conflict_id, side)
        return result or NavBadgeState.load

    def _keep(self, session, user, conflict_id: str, side: str) -> None:
        sync_conflicts.resolve(
            session, conflict_id=parse_id(conflict_id, "conflict"), keep=side, actor=user
        )
        self._fetch(session, user)
        self.notice = N_("Settled. The value you kept is now on every device after its next sync.")


class ActivityState(Paged, Feedback, AuthState):
    rows: list[ActivityRow] = []
    entity: str = ""
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False

    @rx.event
    def load(self):
        wanted = self.router.url.query_parameters.get("entity", "")
        self.entity, self.page = (wanted if wanted in ENTITIES else ""), 1
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        self.rows, info = activity_page(
            session, entity=self.entity, page=self.page, page_size=PAGE_SIZE
        )
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.loaded = True

    @rx.event
    def filter(self, entity: str):
        self.entity, self.page = (entity if entity in ENTITIES else ""), 1
        return self._run(self._fetch)
