"""/estimates : every estimate, newest first, filtered by status; paged. "Show deleted drafts"
adds the deleted ones, marked Deleted, their numbers kept and nothing to open or do."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.pager import pager
from khs_crm.components.status import pill
from khs_crm.components.ui import card, empty_state, field
from khs_crm.i18n import N_
from khs_crm.office.money import ESTIMATE_STATUSES
from khs_crm.state.office.estimates import EstimatesState

S = EstimatesState
STATUS_OPTIONS = [("", N_("Any status")), *ESTIMATE_STATUSES.items()]


def doc_status(status: rx.Var, label: rx.Var) -> rx.Component:
    """An estimate's or an invoice's status as a pill (its words say it; colour helps)."""
    return pill(label, "money-" + status)


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
                checked=S.deleted,
                on_change=S.show_deleted,
                class_name="checkbox",
            ),
            rx.el.span(N_("Show deleted drafts")),
            class_name="check filter-check",
        ),
        class_name="filters",
        aria_label=N_("Filter estimates"),
        on_submit=rx.prevent_default,
    )


def _row(e: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.cond(
                e.deleted,
                rx.el.s(e.number, class_name="strong"),
                link(e.number, href="/estimates/" + e.id, class_name="link strong"),
            ),
            class_name="nowrap",
        ),
        rx.el.td(e.customer),
        rx.el.td(link(e.job, href="/jobs/" + e.job_id)),
        rx.el.td(e.total, class_name="num"),
        rx.el.td(doc_status(e.status, e.status_label), class_name="nowrap"),
        rx.el.td(e.valid_until, class_name="nowrap"),
        class_name=rx.cond(e.deleted, "deleted-row", ""),
    )


def _table() -> rx.Component:
    heads = [N_("Number"), N_("Customer"), N_("Job"), N_("Total"), N_("Status"), N_("Valid until")]
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Estimates"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col", class_name="num" if h == "Total" else "")
                        for h in heads
                    ]
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table money-list",
        ),
        class_name="table-wrap",
    )


def _content() -> rx.Component:
    return rx.fragment(
        messages(S),
        card(
            _filters(),
            rx.cond(
                S.rows.length() > 0,
                _table(),
                empty_state(
                    N_("No estimates here yet. Start one from a job's page: New estimate.")
                ),
            ),
            pager(S.page, S.pages, S.go, label=N_("estimates"), total=S.total),
        ),
    )


def estimates() -> rx.Component:
    return office_shell(N_("Estimates"), rx.cond(S.loaded, _content(), loading()))
