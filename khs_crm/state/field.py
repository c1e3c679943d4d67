"""State behind the field app's Today screen (server-rendered until the local-first views land)."""

from __future__ import annotations

import reflex as rx

from khs_crm.db import session_scope
from khs_crm.services.reports import TodayJob, todays_jobs
from khs_crm.settings import get_settings
from khs_crm.state.auth import AuthState


class TodayState(AuthState):
    jobs: list[TodayJob] = []

    @rx.event
    def load(self):
        user, redirect = self._gate(office=False)
        if user is None:
            return redirect
        with session_scope() as session:
            self.jobs = todays_jobs(session, user=user, tz_name=get_settings().timezone)
        return None
