"""The office navigation's counts: sync conflicts waiting for review."""

from __future__ import annotations

import reflex as rx

from khs_crm.db import session_scope
from khs_crm.office import dashboard
from khs_crm.state.auth import AuthState


class NavBadgeState(AuthState):
    open_conflicts: int = 0

    @rx.event
    def load(self):
        """On every office page (beside the page's own load, which turns visitors away)."""
        user = self._office_user()
        if user is None:
            self.open_conflicts = 0
            return
        with session_scope() as session:
            self.open_conflicts = dashboard.open_conflicts(session, user)
