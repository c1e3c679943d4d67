"""/change-orders : change orders by what they wait for (to price, signed, sent to the customer,
approved, all), newest first; paged."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.pager import pager
from khs_crm.components.ui import card, empty_state
from khs_crm.i18n import N_
from khs_crm.pages.office.estimates import doc_status
from khs_crm.state.office.change_orders import ChangeOrdersState

S = ChangeOrdersState
HEADS = [N_("Number"), N_("Job"), N_("Customer"), N_("What"), N_("Total"), N_("Status")]


def mismatch_flag(row: rx.Var) -> rx.Component:
    """The integrity warning: what is stored no longer matches what the customer signed."""
    return rx.cond(
        row.mismatch,
        rx.el.span(
            rx.el.span("⚠ ", aria_hidden="true"),
            N_("Changed after signing"),
            class_name="pill chg-mismatch",
        ),
    )


def status_cell(row: rx.Var) -> rx.Component:
    return rx.el.td(
        rx.el.div(doc_status(row.status, row.status_label)),
        rx.cond(row.note != "", rx.el.div(row.note, class_name="small muted")),
        mismatch_flag(row),
        class_name="chg-status",
    )


def _tab(tab: rx.Var) -> rx.Component:
    current = tab.view == S.view
    return rx.el.button(
        tab.label,
        " ",
        rx.el.span(tab.count, class_name="tab-count"),
        type="button",
        on_click=S.filter(tab.view),
        aria_pressed=rx.cond(current, "true", "false"),
        class_name=rx.cond(current, "tab tab-current", "tab"),
    )


def _tabs() -> rx.Component:
    return rx.el.div(
        rx.foreach(S.tabs, _tab),
        role="group",
        aria_label=N_("Show change orders"),
        class_name="tabs chg-tabs",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            link(row.number, href="/change-orders/" + row.id, class_name="link strong"),
            class_name="nowrap",
        ),
        rx.el.td(link(row.job, href="/jobs/" + row.job_id)),
        rx.el.td(row.customer),
        rx.el.td(rx.el.span(row.description, class_name="chg-desc")),
        rx.el.td(
            row.total,
            class_name=rx.cond(row.priced, "num", "num muted"),
        ),
        status_cell(row),
        key=row.id,
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Change orders"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col", class_name="num" if h == "Total" else "")
                        for h in HEADS
                    ]
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table chg-list",
        ),
        class_name="table-wrap",
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.div(_tabs(), class_name="toolbar"),
        messages(S),
        card(
            rx.cond(S.rows.length() > 0, _table(), empty_state(S.empty)),
            pager(S.page, S.pages, S.go, label=N_("change orders"), total=S.total),
        ),
    )


def change_orders() -> rx.Component:
    return office_shell(N_("Change orders"), rx.cond(S.loaded, _content(), loading()))
