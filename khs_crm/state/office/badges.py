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
        count = 0
        if user is not None:
            with session_scope() as session:
                count = dashboard.open_conflicts(session, user)
        if count != self.open_conflicts:  # sent to the tab only when it changed
            self.open_conflicts = count
