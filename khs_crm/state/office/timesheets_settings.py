"""The owner's "Time settings" dialog on /timesheets: the week's first day and the weekly
overtime hours. Saving recomputes the week shown (its days and its overtime)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.models import Role
from khs_crm.office import timesheets as sheets
from khs_crm.office import timesheets_settings as forms
from khs_crm.services.core.errors import Forbidden
from khs_crm.services.time import checks, timesheets


class TimeSettingsForm(rx.State, mixin=True):
    """Mixed into the timesheet state (with Feedback): the dialog's values, as text."""

    settings_open: bool = False
    week_start_day: str = "0"
    overtime_hours: str = "40"
    settings_key: int = 0

    @rx.event
    def open_settings(self):
        return self._run(self._open_settings)  # type: ignore[attr-defined]

    def _open_settings(self, session, user) -> None:
        if user.role != Role.owner:
            raise Forbidden("Only the owner can change the time settings.")
        row = checks.time_settings(session)
        self.week_start_day, self.overtime_hours = forms.form_values(row)
        self.settings_open = True
        self.settings_key += 1

    @rx.event
    def close_settings(self):
        self._clear()  # type: ignore[attr-defined]
        self.settings_open = False

    @rx.event
    def save_settings(self, form: dict[str, Any]):
        return self._run(self._save_settings, form)  # type: ignore[attr-defined]

    def _save_settings(self, session, user, form: dict[str, Any]) -> None:
        self.week_start_day = str(form.get("week_start_day", self.week_start_day))
        self.overtime_hours = str(form.get("overtime_hours", ""))
        row = timesheets.update_settings(session, data=forms.parse_settings(form), actor=user)
        self.settings_open = False
        week = sheets.week_first(session, self.week)  # type: ignore[attr-defined]
        self.week = week.isoformat()  # the week holding the one shown, from its new first day
        self._refresh(session, user)  # type: ignore[attr-defined]
        self.notice = forms.saved_sentence(row)  # type: ignore[attr-defined]
