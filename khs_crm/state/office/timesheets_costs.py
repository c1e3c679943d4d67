"""Each person's hourly cost on /people: the owner sees and sets it; for anyone else the
state never holds it (so it never reaches their browser)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.models import Role
from khs_crm.office import timesheets_forms as forms
from khs_crm.office.views import parse_id
from khs_crm.services.time import timesheets


class HourlyCosts(rx.State, mixin=True):
    """Mixed into the People state (with Feedback): ``costs`` by person id, "28.50"."""

    costs: dict[str, str] = {}
    show_costs: bool = False
    cost_open: bool = False
    cost_id: str = ""
    cost_name: str = ""
    cost_key: int = 0

    def _load_costs(self, session, user, ids: list[str]) -> None:
        self.show_costs = user.role == Role.owner
        self.costs = forms.hourly_costs(session, user, ids)

    @rx.event
    def ask_cost(self, user_id: str, name: str):
        self._clear()  # type: ignore[attr-defined]
        self.cost_open, self.cost_id, self.cost_name = True, user_id, name
        self.cost_key += 1

    @rx.event
    def close_cost(self):
        self._clear()  # type: ignore[attr-defined]
        self.cost_open = False

    @rx.event
    def save_cost(self, form: dict[str, Any]):
        return self._run(self._save_cost, form)  # type: ignore[attr-defined]

    def _save_cost(self, session, user, form: dict[str, Any]) -> None:
        cost = forms.parse_cost(form)
        person = parse_id(self.cost_id, "person")
        timesheets.set_hourly_cost(session, user_id=person, cost=cost, actor=user)
        self._load_costs(session, user, [*self.costs, self.cost_id])
        self.cost_open = False
        said = f"${cost:.2f} an hour" if cost is not None else "no hourly cost"
        self.notice = f"{self.cost_name}: {said}."  # type: ignore[attr-defined]
