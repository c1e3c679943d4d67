"""/schedule : the week, a row per worker, a column per day; calendar links per worker."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.pager import pager
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.pages.office.calendar_link import link_buttons, link_dialogs
from khs_crm.state.office.schedule import ScheduleState

S = ScheduleState


def _item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        link(item.title, href="/jobs/" + item.job_id, class_name="link strong"),
        rx.el.div(item.customer, class_name="small"),
        rx.el.div(item.time, class_name="small muted"),
        class_name="slot",
    )


def _cell(cell: rx.Var) -> rx.Component:
    return rx.el.td(
        rx.cond(
            cell.slots.length() > 0,
            rx.el.ul(rx.foreach(cell.slots, _item), class_name="slots"),
            rx.el.span("—", class_name="muted", aria_label=N_("Free")),
        )
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.div(row.worker, class_name="strong"),
            rx.cond(
                row.worker_id != "",
                link_buttons(S, row.worker_id, row.worker, row.has_feed),
            ),
            scope="row",
            class_name="worker-cell",
        ),
        rx.foreach(row.days, _cell),
        key=row.worker_id,
    )


def _header(day: rx.Var) -> rx.Component:
    return rx.el.th(
        day.label,
        scope="col",
        class_name=rx.cond(day.today, "today", ""),
        aria_current=rx.cond(day.today, "date", "false"),
    )


def _grid() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Jobs by worker and day, week of "), S.title, class_name="sr-only"),
            rx.el.thead(rx.el.tr(rx.el.th(N_("Worker"), scope="col"), rx.foreach(S.days, _header))),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table week",
        ),
        class_name="table-wrap",
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            button(N_("← Previous week"), variant="secondary", on_click=S.shift(-1)),
            button(N_("This week"), variant="secondary", on_click=S.this_week),
            button(N_("Next week →"), variant="secondary", on_click=S.shift(1)),
            rx.el.h2(S.title, class_name="week-title", aria_live="polite"),
            class_name="toolbar",
        ),
        messages(S),
        card(
            rx.cond(
                S.rows.length() > 0,
                _grid(),
                empty_state(N_("No active workers yet. Add people on the People screen.")),
            ),
            pager(S.page, S.pages, S.go, label=N_("workers")),
            class_name="card-flush",
        ),
        rx.el.p(
            N_(
                "Each worker can follow their jobs in their own calendar app: make a calendar link "
                "and send it to them."
            ),
            class_name="muted small",
        ),
        link_dialogs(S),
    )


def schedule() -> rx.Component:
    return office_shell(N_("Schedule"), rx.cond(S.loaded, _content(), loading()))
