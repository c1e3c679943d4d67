"""State behind /settings/company: the company's settings and its logo; only the owner
changes them."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.money_company import CompanyView, company_update, company_view
from khs_crm.services.core.errors import ServiceError
from khs_crm.services.money import company as service
from khs_crm.services.money import logo
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback, UploadWatch

LOGO_REFUSED = N_("That file can't be used: choose one PNG or JPEG image of at most {size} MB.")


class CompanyState(UploadWatch, Feedback, AuthState):
    company: CompanyView = CompanyView()
    logo_url: str = ""  # the current logo's address (its version in it), "" without one
    logo_error: str = ""  # why the chosen file was refused, said in the logo's card
    loaded: bool = False
    saved: int = 0  # a new form (its key) once saved

    @rx.var
    def can_edit(self) -> bool:
        return self.user_role == "owner"

    @rx.event
    def load(self):
        self.sending = False  # a page opened afresh has no file of its own on the way
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        company = service.get_company(session)
        self.company = company_view(company)
        self.logo_url = f"/api/company/logo?v={company.version}" if logo.has_logo() else ""
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

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        # one byte past the limit is enough for the service to say the file is too large
        data = await files[0].read(logo.MAX_LOGO_BYTES + 1) if files else b""
        try:
            return self._run(self._upload_logo, data)
        finally:
            self.sending = False  # the picker takes another file

    def _before_upload(self) -> None:
        self.logo_error = ""

    def _upload_lost(self) -> None:
        self.logo_error = self._lost_message()  # said beside the picker, as its refusals are

    def _upload_logo(self, session, user, data: bytes) -> None:
        self.logo_error = ""
        try:
            logo.save_logo(session, data=data, actor=user)
        except ServiceError as exc:  # said beside the picker, not as the settings form's error
            self.logo_error = exc.message
            return
        self._fetch(session, user)
        self.notice = N_("Logo saved. Estimates and invoices now show it.")

    @rx.event
    def logo_rejected(self, _files: list[dict[str, Any]]):
        self._clear()
        self.logo_error = LOGO_REFUSED.format(size=logo.MAX_LOGO_BYTES // logo.MB)

    @rx.event
    def remove_logo(self):
        return self._run(self._remove_logo)

    def _remove_logo(self, session, user) -> None:
        self.logo_error = ""
        logo.remove_logo(session, actor=user)
        self._fetch(session, user)
        self.notice = N_("Logo removed.")
