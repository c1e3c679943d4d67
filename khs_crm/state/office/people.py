"""State behind /people: who signs in, their roles, passwords and calendar links."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.views import (
    Option,
    UserRow,
    language_options,
    parse_id,
    role_options,
    users_page,
)
from khs_crm.services.auth import users
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, clean_page
from khs_crm.state.office.calendar_links import CalendarLinks
from khs_crm.state.office.people_pricers import ChangeOrderPricers
from khs_crm.state.office.timesheets_costs import HourlyCosts

# A company's whole crew on one page (a person is found by eye, not by paging through).
PEOPLE_PER_PAGE = 200


class PeopleState(ChangeOrderPricers, HourlyCosts, CalendarLinks, Feedback, AuthState):
    rows: list[UserRow] = []
    roles: list[Option] = []
    languages: list[Option] = language_options()
    page: int = 1
    pages: int = 0
    total: int = 0
    loaded: bool = False
    adding: bool = False
    target_id: str = ""
    target_name: str = ""
    dialog: str = ""  # "" | "password" | "deactivate" | "owner"

    @rx.event
    def load(self):
        self.adding, self.dialog = False, ""
        return self._run(self._refresh)

    def _refresh(self, session, user) -> None:
        self.rows, info = users_page(session, actor=user, page=self.page, page_size=PEOPLE_PER_PAGE)
        self.page, self.pages, self.total = info.page, info.pages, info.total
        self.roles = role_options(user)
        self._load_costs(session, user, [row.id for row in self.rows])
        self._load_pricers(session, user, [row.id for row in self.rows])
        self.loaded = True

    @rx.event
    def go(self, page: int):
        self.page = clean_page(page)
        return self._run(self._refresh)

    @rx.event
    def open_add(self):
        self._clear()
        self.adding = True

    @rx.event
    def close_add(self):
        self._clear()
        self.adding = False

    @rx.event
    def add(self, form: dict[str, Any]):
        return self._run(self._add, form)

    def _add(self, session, user, form: dict[str, Any]) -> None:
        created = users.create_user(
            session,
            email=str(form.get("email", "")),
            name=str(form.get("name", "")),
            role=str(form.get("role", "")),
            password=str(form.get("password", "")),
            actor=user,
        )
        self.adding = False
        self._refresh(session, user)
        self.notice = N_("{name} can now sign in as {email}.").format(
            name=created.name, email=created.email
        )

    @rx.event
    def change_role(self, user_id: str, role: str):
        """Change a role. Making someone an owner (as strong as deleting) asks first: the
        confirmation sends the same change again while its question is open."""
        if role == "owner" and (self.dialog, self.target_id) != ("owner", user_id):
            return self._run(self._ask_owner, user_id)
        owner = N_("{name} is now an owner.").format(name=self.target_name)
        note = owner if role == "owner" else N_("Role changed.")
        return self._run(self._update, user_id, {"role": role}, note)

    def _ask_owner(self, _session, _user, user_id: str) -> None:
        names = {row.id: row.name for row in self.rows}
        self.dialog, self.target_id = "owner", user_id
        self.target_name = names.get(user_id, "this person")

    @rx.event
    def change_language(self, user_id: str, language: str):
        return self._run(self._update, user_id, {"language": language}, N_("Language changed."))

    @rx.event
    def reactivate(self, user_id: str):
        return self._run(self._update, user_id, {"active": True}, N_("Reactivated."))

    @rx.event
    def ask(self, dialog: str, user_id: str, name: str):
        self._clear()
        self.dialog, self.target_id, self.target_name = dialog, user_id, name

    @rx.event
    def close_dialog(self):
        self._clear()
        self.dialog = ""

    @rx.event
    def deactivate(self):
        note = N_("{name} is deactivated and signed out everywhere.").format(name=self.target_name)
        return self._run(self._update, self.target_id, {"active": False}, note)

    def _update(self, session, user, user_id: str, change: dict[str, Any], note: str) -> None:
        users.update_user(session, user_id=parse_id(user_id, "person"), actor=user, **change)
        self.dialog = ""
        self._refresh(session, user)
        self.notice = note

    @rx.event
    def reset_password(self, form: dict[str, Any]):
        return self._run(self._reset, str(form.get("password", "")))

    def _reset(self, session, user, password: str) -> None:
        users.reset_password(
            session, user_id=parse_id(self.target_id, "person"), password=password, actor=user
        )
        self.dialog = ""
        self.notice = N_("New password set; {name} is signed out everywhere.").format(
            name=self.target_name
        )
