"""The job page's materials checklist: quick adds, inline edits, ticks and bulk marking."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.forms import material_change, material_create, materials_from_lines
from khs_crm.office.job_page import MaterialRow, job_materials
from khs_crm.office.material_costs import unit_cost_of
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound, ValidationFailed
from khs_crm.services.jobs import materials
from khs_crm.services.jobs.materials import MaterialChanges, get_visible_material
from khs_crm.services.money.units import set_unit_cost
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, Paged
from khs_crm.state.office.job_activity import JobActivityState, job_id_of
from khs_crm.state.office.money_job import JobMoneyState

PAGE = 40


class JobMaterialsState(Paged, Feedback, AuthState):
    items: list[MaterialRow] = []
    selected: list[str] = []
    page: int = 1
    pages: int = 0
    total: int = 0
    to_buy: int = 0
    removing_id: str = ""
    removing_name: str = ""
    cost_problems: dict[str, str] = {}  # material id → why its typed unit cost was refused

    @rx.var
    def page_to_buy(self) -> int:
        return sum(1 for item in self.items if not item.purchased)

    @rx.event
    def load(self):
        self.items, self.selected, self.removing_id, self.page = [], [], "", 1
        self.cost_problems = {}
        return self._run(self._fetch)

    def _fetch(self, session, user) -> None:
        try:
            self.items, info, self.to_buy = job_materials(
                session, user=user, job_id=job_id_of(self), page=self.page, page_size=PAGE
            )
        except NotFound:
            self.items, self.to_buy = [], 0
            return
        self.page, self.pages, self.total = info.page, info.pages, info.total
        live = {item.id for item in self.items if not item.purchased}
        self.selected = [i for i in self.selected if i in live]

    def _changed(self, session, user, notice: str):
        """Show the saved list; the timeline and the money card (costs) follow."""
        self._fetch(session, user)
        self.notice = notice
        return [JobActivityState.refresh, JobMoneyState.load]

    def _job(self):
        return parse_id(job_id_of(self), "job")

    @rx.event
    def add(self, form: dict[str, Any]):
        return self._run(self._add, [form])

    @rx.event
    def add_lines(self, form: dict[str, Any]):
        return self._run(self._add, str(form.get("lines", "")))

    def _add(self, session, user, source: list[dict[str, Any]] | str):
        items = (
            materials_from_lines(source)
            if isinstance(source, str)
            else [material_create(source[0])]
        )
        materials.add_materials(session, job_id=self._job(), items=items, actor=user)
        count = len(items)
        return self._changed(session, user, f"Added {count} material{'s' if count > 1 else ''}.")

    @rx.event
    def edit(self, material_id: str, field: str, value: str):
        """Save one cell typed into the checklist (on leaving the cell)."""
        current = next((m for m in self.items if m.id == material_id), None)
        if current is not None and getattr(current, field, None) == value.strip():
            return None
        return self._run(self._edit, material_id, field, value)

    def _edit(self, session, user, material_id: str, field: str, value: str):
        materials.update_material(
            session,
            material_id=parse_id(material_id, "material"),
            data=material_change(field, value),
            actor=user,
        )
        return self._changed(session, user, N_("Saved."))

    @rx.event
    def set_cost(self, material_id: str, value: str):
        """Save the unit cost typed in a row (on leaving the cell); blank: unknown."""
        current = next((m for m in self.items if m.id == material_id), None)
        if current is not None and current.unit_cost == value.strip():
            return None
        return self._run(self._set_cost, material_id, value)

    def _set_cost(self, session, user, material_id: str, value: str):
        problems = {k: v for k, v in self.cost_problems.items() if k != material_id}
        self.cost_problems = problems
        try:
            cost = unit_cost_of(value)
        except ValidationFailed as exc:
            self.cost_problems = {**problems, material_id: exc.message}
            return None
        material = get_visible_material(
            session, material_id=parse_id(material_id, "material"), user=user
        )
        set_unit_cost(session, material=material, unit_cost=cost, actor=user)
        return self._changed(session, user, N_("Unit cost saved."))

    @rx.event
    def set_purchased(self, material_id: str, purchased: bool):
        return self._run(self._set_purchased, [material_id], purchased)

    @rx.event
    def mark_selected(self):
        return self._run(self._set_purchased, list(self.selected), True)

    def _set_purchased(self, session, user, ids: list[str], purchased: bool):
        if not ids:
            self.error = N_("Tick the materials to mark first.")
            return None
        materials.bulk_update_materials(
            session,
            ids=[parse_id(i, "material") for i in ids],
            data=MaterialChanges(purchased=purchased),
            actor=user,
        )
        self.selected = []
        word = "purchased" if purchased else "still to buy"
        return self._changed(session, user, f"Marked {len(ids)} as {word}.")

    @rx.event
    def select(self, material_id: str, chosen: bool):
        rest = [i for i in self.selected if i != material_id]
        self.selected = [*rest, material_id] if chosen else rest

    @rx.event
    def select_all(self, chosen: bool):
        self.selected = [m.id for m in self.items if not m.purchased] if chosen else []

    @rx.event
    def ask_remove(self, material_id: str, name: str):
        self._clear()
        self.removing_id, self.removing_name = material_id, name

    @rx.event
    def cancel_remove(self):
        self.removing_id = ""

    @rx.event
    def remove(self):
        return self._run(self._remove)

    def _remove(self, session, user):
        materials.delete_material(
            session, material_id=parse_id(self.removing_id, "material"), actor=user
        )
        name, self.removing_id = self.removing_name, ""
        return self._changed(session, user, N_("Removed “{name}”.").format(name=name))
