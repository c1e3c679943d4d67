"""/invoices : every invoice, newest first, filtered by status and overdue; paged."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.pager import pager
from khs_crm.components.ui import card, empty_state, field
from khs_crm.i18n import N_
from khs_crm.office.money import INVOICE_STATUSES
from khs_crm.pages.office.estimates import doc_status
from khs_crm.state.office.invoices import InvoicesState

S = InvoicesState
STATUS_OPTIONS = [("", N_("Any status")), *INVOICE_STATUSES.items()]
HEADS = [
    N_("Number"),
    N_("Customer"),
    N_("Job"),
    N_("Kind"),
    N_("Total"),
    N_("Balance"),
    N_("Due"),
    N_("Status"),
]
HEAD_CLASS = {"Kind": "wide-only", "Total": "num", "Balance": "num"}


def _filters() -> rx.Component:
    return rx.el.form(
        field(
            N_("Status"),
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in STATUS_OPTIONS],
                id="filter-status",
                value=S.status,
                on_change=S.filter_status,
                class_name="input",
            ),
        ),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=S.overdue,
                on_change=S.filter_overdue,
                class_name="checkbox",
            ),
            rx.el.span(N_("Overdue only")),
            class_name="check filter-check",
        ),
        class_name="filters",
        aria_label=N_("Filter invoices"),
        on_submit=rx.prevent_default,
    )


def _row(i: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            link(i.number, href="/invoices/" + i.id, class_name="link strong"), class_name="nowrap"
        ),
        rx.el.td(i.customer),
        rx.el.td(link(i.job, href="/jobs/" + i.job_id)),
        rx.el.td(i.kind, class_name="wide-only"),
        rx.el.td(i.total, class_name="num"),
        rx.el.td(i.balance, class_name="num"),
        rx.el.td(i.due, class_name="nowrap"),
        rx.el.td(
            doc_status(rx.cond(i.overdue, "overdue", i.status), i.status_label), class_name="nowrap"
        ),
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Invoices"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[rx.el.th(h, scope="col", class_name=HEAD_CLASS.get(h, "")) for h in HEADS]
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table money-list",
        ),
        class_name="table-wrap",
    )


def _exports() -> rx.Component:
    """The accountant's files: every invoice, every payment and refund (CSV)."""
    return rx.el.div(
        download(N_("Export invoices (CSV)"), href="/api/invoices/export.csv"),
        download(N_("Export payments (CSV)"), href="/api/payments/export.csv"),
        class_name="toolbar",
        role="group",
        aria_label=N_("For the accountant"),
    )


def _content() -> rx.Component:
    return rx.fragment(
        _exports(),
        messages(S),
        card(
            _filters(),
            rx.cond(
                S.rows.length() > 0,
                _table(),
                empty_state(
                    rx.cond(
                        S.overdue,
                        N_("Nothing is overdue."),
                        N_("No invoices here yet. Make one from a job's approved estimate."),
                    )
                ),
            ),
            pager(S.page, S.pages, S.go, label=N_("invoices"), total=S.total),
        ),
    )


def invoices() -> rx.Component:
    return office_shell(N_("Invoices"), rx.cond(S.loaded, _content(), loading()))
