"""State behind /estimates/[estimate_id]: the lines table with its running totals (worked out
in Python by the money rules as each cell is left), save, send, the customer link, revise
and delete."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.office.limits import max_length
from khs_crm.office.money_docs import EstimateView, LineRow, estimate_view, line_row
from khs_crm.office.money_lines import (
    FIELDS,
    LineDraft,
    TotalsView,
    blank_line,
    draft_of_item,
    estimate_input,
    is_blank,
    with_amounts,
)
from khs_crm.office.views import parse_id
from khs_crm.services.core.errors import NotFound
from khs_crm.services.money import estimates as service
from khs_crm.services.money.schemas import EstimateIn
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import ConfirmDelete, CustomerLink, Feedback, path_id

NOTES = max_length(EstimateIn, "notes")  # the notes' limit, from the one source


def link_address(state: rx.State, token: str) -> str:
    """The customer's full address for a link token, on the origin the office is using."""
    origin = state.router.headers.origin or ""
    return f"{origin.rstrip('/')}/e/{token}"


class EstimateState(CustomerLink, ConfirmDelete, Feedback, AuthState):
    estimate: EstimateView = EstimateView()
    lines: list[LineDraft] = []
    rows: list[LineRow] = []  # the lines as read once the estimate is no longer a draft
    totals: TotalsView = TotalsView()
    tax_rate: str = ""
    valid_until: str = ""
    notes: str = ""
    focus_key: str = ""  # the line just added (its first cell takes the focus)
    dirty: bool = False
    missing: bool = False
    loaded: bool = False

    @rx.event
    def load(self):
        self.loaded = self.missing = self.dirty = self.confirming_delete = False
        self.link = self.focus_key = ""
        return self._run(self._fetch)

    def _fetch(self, session, _user) -> None:
        try:
            doc = service.get_estimate(session, estimate_id=parse_id(path_id(self), "estimate"))
        except NotFound:
            self.missing = self.loaded = True
            return
        self.estimate, lines = estimate_view(session, doc)
        self.tax_rate, self.valid_until = self.estimate.tax_rate, self.estimate.valid_until
        self.notes, self.dirty = self.estimate.notes, False
        self._recount(lines)
        self.rows = [] if self.estimate.editable else [line_row(x) for x in self.lines]
        self.loaded = True

    def _recount(self, lines: list[LineDraft]) -> None:
        """Amounts and totals again; a draft always ends with a blank line to type into
        (Enter moves there at once, in the browser, with no wait for the server)."""
        if self.estimate.editable and (not lines or not is_blank(lines[-1])):
            lines = [*lines, blank_line()]
        self.lines, self.totals = with_amounts(lines, self.tax_rate)

    @rx.event
    def set_cell(self, key: str, field: str, value: str | bool):
        if field not in FIELDS or not self.estimate.editable:
            return
        update = {field: bool(value) if field == "taxable" else str(value)[:500]}
        lines = [line.model_copy(update=update) if line.key == key else line for line in self.lines]
        self.dirty = self.dirty or lines != self.lines
        self._recount(lines)

    @rx.event
    def set_rate(self, value: str):
        self.dirty = self.dirty or str(value)[:10] != self.tax_rate
        self.tax_rate = str(value)[:10]
        self._recount(self.lines)

    @rx.event
    def set_valid_until(self, value: str):
        self.dirty = self.dirty or str(value)[:10] != self.valid_until
        self.valid_until = str(value)[:10]

    @rx.event
    def set_notes(self, value: str):
        self.dirty = self.dirty or str(value)[:NOTES] != self.notes
        self.notes = str(value)[:NOTES]

    @rx.event
    def add_line(self, after_key: str = ""):
        if not self.estimate.editable:
            return
        at = next((i + 1 for i, x in enumerate(self.lines) if x.key == after_key), len(self.lines))
        if at < len(self.lines) and is_blank(self.lines[at]):
            return  # the browser has moved there (on_enter in the page)
        new = blank_line()
        self.focus_key = new.key
        # autoFocus takes it when the row is drawn; the page's on_enter does it if not
        self._recount([*self.lines[:at], new, *self.lines[at:]])

    @rx.event
    def add_materials(self):
        """The job's materials as lines (their unit costs as prices), after those typed."""
        return self._run(self._add_materials)

    def _add_materials(self, session, _user) -> None:
        if not self.estimate.editable:
            return
        items = service.material_lines(session, parse_id(self.estimate.job_id, "job"))
        if not items:
            self.error = N_("This job has no materials yet: add them on the job's page.")
            return
        typed = [line for line in self.lines if not is_blank(line)]
        self.dirty = True
        self._recount([*typed, *(draft_of_item(item) for item in items)])
        self.notice = (
            N_("Added 1 line from the job's materials. Save to keep it.")
            if len(items) == 1
            else N_("Added {count} lines from the job's materials. Save to keep them.").format(
                count=len(items)
            )
        )

    @rx.event
    def remove_line(self, key: str):
        self.dirty = True
        self._recount([line for line in self.lines if line.key != key])

    def _save_lines(self, session, user) -> None:
        data = estimate_input(
            self.lines, rate_text=self.tax_rate, valid_until=self.valid_until, notes=self.notes
        )
        service.update_estimate(
            session,
            estimate_id=parse_id(self.estimate.id, "estimate"),
            data=data,
            actor=user,
            expected_version=self.estimate.version,
        )

    @rx.event
    def save(self):
        return self._run(self._save)

    def _save(self, session, user) -> None:
        self._save_lines(session, user)
        self._fetch(session, user)
        self.notice = N_("Draft saved.")

    @rx.event
    def send(self):
        return self._run(self._send)

    def _send(self, session, user) -> None:
        if self.estimate.editable and self.dirty:
            self._save_lines(session, user)
        _doc, token = service.send_estimate(
            session, estimate_id=parse_id(self.estimate.id, "estimate"), actor=user
        )
        self._fetch(session, user)
        self.link = link_address(self, token)
        self.notice = N_("Sent. Copy the link below and send it to the customer.")

    @rx.event
    def revoke(self):
        return self._run(self._revoke)

    def _revoke(self, session, user) -> None:
        service.revoke_link(session, estimate_id=parse_id(self.estimate.id, "estimate"), actor=user)
        self._fetch(session, user)
        self.link = ""
        self.notice = N_("The customer link no longer works. Send again to make a new one.")

    @rx.event
    def revise(self):
        return self._run(self._revise)

    def _revise(self, session, user):
        new = service.revise_estimate(
            session, estimate_id=parse_id(self.estimate.id, "estimate"), actor=user
        )
        return rx.redirect(f"/estimates/{new.id}")

    def _delete(self, session, user):
        service.delete_estimate(
            session,
            estimate_id=parse_id(self.estimate.id, "estimate"),
            actor=user,
            expected_version=self.estimate.version,
        )
        return rx.redirect(f"/jobs/{self.estimate.job_id}")
