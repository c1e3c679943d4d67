"""State behind /timesheets: one company week, a row per person, approvals, office entries
and edits (each with its reason)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office import timesheets as sheets
from khs_crm.office import timesheets_forms as forms
from khs_crm.office.schedule import DayHeader
from khs_crm.office.timesheets import EntryRow, PersonWeek
from khs_crm.office.views import Option, parse_id
from khs_crm.services.time import checks, rules, timesheets
from khs_crm.services.time import entries as time_entries
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback
from khs_crm.state.office.timesheets_settings import TimeSettingsForm

BLANK = EntryRow(
    id="", user_id="", person="", job_id="", job="", day="", date="", start="", end="",
    breaks="0", hours="", flags=[], note="", version=0,
)  # fmt: skip


class TimesheetsState(TimeSettingsForm, Feedback, AuthState):
    week: str = ""
    last: str = ""
    title: str = ""
    rules_text: str = ""
    days: list[DayHeader] = []
    rows: list[PersonWeek] = []
    entries: list[EntryRow] = []
    total: str = ""
    overtime: str = ""
    loaded: bool = False
    dialog: str = ""  # "" | "unapprove" | "edit" | "add"
    target_id: str = ""
    target_name: str = ""
    editing: EntryRow = BLANK
    form_key: int = 0
    people: list[Option] = []
    jobs: list[Option] = []

    @rx.var
    def is_owner(self) -> bool:
        return self.user_role == "owner"

    @rx.var
    def export_href(self) -> str:
        return f"/api/timesheets/export.csv?from={self.week}&to={self.last}"

    @rx.event
    def load(self):
        self.dialog, self.editing = "", BLANK
        wanted = self.router.url.query_parameters.get("week", "")
        return self._run(self._load, wanted)

    def _load(self, session, user, wanted: str) -> None:
        self.week = sheets.week_first(session, wanted).isoformat()
        self._refresh(session, user)

    def _refresh(self, session, user) -> None:
        sheet = sheets.week_sheet(session, first=date.fromisoformat(self.week), actor=user)
        self.last, self.title, self.rules_text = sheet.last, sheet.title, sheet.rules_text
        self.days, self.rows, self.entries = sheet.days, sheet.rows, sheet.entries
        self.total, self.overtime = sheet.total, sheet.overtime
        self.loaded = True

    @rx.event
    def shift(self, weeks: int):
        day = date.fromisoformat(self.week or sheets.company_today().isoformat())
        return self._run(self._load, (day + timedelta(weeks=int(weeks))).isoformat())

    @rx.event
    def this_week(self):
        return self._run(self._load, "")

    @rx.event
    def approve(self, user_id: str, name: str):
        return self._run(self._approve, user_id, name)

    def _approve(self, session, user, user_id: str, name: str) -> None:
        timesheets.approve_week(
            session, user_id=parse_id(user_id, "person"), week_start=self._first(), reason="",
            actor=user,
        )  # fmt: skip
        self._refresh(session, user)
        self.notice = N_("{name}'s week is approved; their phone can no longer change it.").format(
            name=name
        )

    @rx.event
    def ask_unapprove(self, user_id: str, name: str):
        self._clear()
        self.dialog, self.target_id, self.target_name = "unapprove", user_id, name
        self.form_key += 1

    @rx.event
    def close_dialog(self):
        self._clear()
        self.dialog, self.editing = "", BLANK

    @rx.event
    def unapprove(self, form: dict[str, Any]):
        return self._run(self._unapprove, form)

    def _unapprove(self, session, user, form: dict[str, Any]) -> None:
        reason = forms.unapprove_reason(form)
        timesheets.unapprove_week(
            session, user_id=parse_id(self.target_id, "person"), week_start=self._first(),
            reason=reason, actor=user,
        )  # fmt: skip
        self.dialog = ""
        self._refresh(session, user)
        self.notice = N_("{name}'s week is open again.").format(name=self.target_name)

    @rx.event
    def open_add(self):
        return self._run(self._open, "add", "")

    @rx.event
    def open_edit(self, entry_id: str):
        return self._run(self._open, "edit", entry_id)

    def _open(self, session, _user, dialog: str, entry_id: str) -> None:
        self.people, self.jobs = forms.people_options(session), forms.job_options(session)
        self.editing = next((e for e in self.entries if e.id == entry_id), BLANK)
        self.dialog = dialog if dialog == "add" or self.editing.id else ""
        self.form_key += 1

    @rx.event
    def add(self, form: dict[str, Any]):
        return self._run(self._add, form)

    def _add(self, session, user, form: dict[str, Any]) -> None:
        data = forms.new_entry(form, checks.timezone())
        time_entries.create_entry(session, data=data, actor=user, by_device=False)
        self.dialog = ""
        self._refresh(session, user)
        self.notice = N_("Time added.")

    @rx.event
    def save_edit(self, form: dict[str, Any]):
        return self._run(self._save_edit, form)

    def _save_edit(self, session, user, form: dict[str, Any]) -> None:
        if not self.editing.id:
            return
        entry_id = parse_id(self.editing.id, "time entry")
        found = time_entries.get_entry(session, entry_id=entry_id, user=user)
        data = forms.entry_edit(form, checks.timezone(), rules.breaks_of(found.breaks or []))
        time_entries.office_edit(
            session, entry_id=entry_id, data=data, actor=user,
            expected_version=self.editing.version,
        )  # fmt: skip
        self.dialog, self.editing = "", BLANK
        self._refresh(session, user)
        self.notice = N_("Time changed; the reason is kept with it.")

    def _first(self) -> date:
        return date.fromisoformat(self.week)
