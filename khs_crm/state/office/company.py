"""State behind /settings/company: the company's settings; only the owner changes them."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.money_company import CompanyView, company_update, company_view
from khs_crm.services.money import company as service
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback


class CompanyState(Feedback, AuthState):
    company: CompanyView = CompanyView()
    loaded: bool = False
    saved: int = 0  # a new form (its key) once saved

    @rx.var
    def can_edit(self) -> bool:
        return self.user_role == "owner"

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        self.company = company_view(service.get_company(session))
        self.loaded = True

    @rx.event
    def save(self, form: dict[str, Any]):
        return self._run(self._save, form)

    def _save(self, session, user, form: dict[str, Any]) -> None:
        data = company_update(form)
        service.update_company(
            session, data=data, actor=user, expected_version=self.company.version
        )
        self._fetch(session, user)
        self.saved += 1
        self.notice = N_("Company settings saved.")
