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

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        self.figures = dashboard.money(session)
        self.loaded = True
