"""State behind the dashboard's money section: one service call, added up in SQL."""

from __future__ import annotations

import reflex as rx

from khs_crm.office import dashboard
from khs_crm.office.money_dashboard import MoneyFigures
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback


class DashboardMoneyState(Feedback, AuthState):
    figures: MoneyFigures = MoneyFigures()
    loaded: bool = False
    _shown: str = ""  # the stamp of the figures this tab holds (read_cache.stamped)

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        figures, stamp = dashboard.money(session)
        if stamp == self._shown and self.loaded:
            return  # already held: not sent again
        self.figures, self.loaded, self._shown = figures, True, stamp
