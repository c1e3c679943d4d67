"""/schedule : the week, a row per worker, a column per day, double bookings flagged, the
jobs waiting for a date beside it; jobs move by drag and drop or "Move to…"; calendar links."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.pager import pager
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.pages.office.calendar_link import link_buttons, link_dialogs
from khs_crm.pages.office.schedule_moves import drop_form, move_dialog, waiting_list, week_card
from khs_crm.state.office.schedule import ScheduleState

S = ScheduleState


def _cell(cell: rx.Var) -> rx.Component:
    return rx.el.td(
        rx.cond(
            cell.cards.length() > 0,
            rx.el.ul(rx.foreach(cell.cards, week_card), class_name="slots"),
            rx.el.span("—", class_name="muted free", aria_label=N_("Free")),
        ),
        data_drop_day=cell.day,
        data_drop_worker=cell.worker_id,
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.div(row.worker, class_name="strong"),
            rx.cond(
                row.clash != "",
                rx.el.p(rx.el.span("⚠ ", aria_hidden="true"), row.clash, class_name="clash small"),
            ),
            rx.cond(
                row.worker_id != "",
                link_buttons(S, row.worker_id, row.worker, row.has_feed),
            ),
            scope="row",
            class_name=rx.cond(row.clash != "", "worker-cell worker-clash", "worker-cell"),
        ),
        rx.foreach(row.days, _cell),
        key=row.worker_id,
    )


def _header(day: rx.Var) -> rx.Component:
    return rx.el.th(
        day.label,
        rx.cond(day.today, rx.el.span(N_("Today"), class_name="today-tag")),
        scope="col",
        class_name=rx.cond(day.today, "today", "") + rx.cond(day.weekend, " weekend", ""),
        aria_current=rx.cond(day.today, "date", "false"),
    )


def _grid() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Jobs by worker and day, week of "), S.title, class_name="sr-only"),
            rx.el.colgroup(rx.el.col(class_name="worker-col"), *[rx.el.col() for _ in range(7)]),
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
        rx.el.p(
            N_(
                "Drag a job to another day or person, or use its “Move to…” button. "
                "⚠ marks a person on two jobs at the same time."
            ),
            class_name="muted small",
        ),
        rx.el.div(
            card(
                rx.cond(
                    S.rows.length() > 0,
                    _grid(),
                    empty_state(N_("No active workers yet. Add people on the People screen.")),
                ),
                pager(S.page, S.pages, S.go, label=N_("workers")),
                class_name="card-flush",
            ),
            waiting_list(),
            class_name="week-board",
        ),
        rx.el.p(
            N_(
                "Each worker can follow their jobs in their own calendar app: make a calendar link "
                "and send it to them."
            ),
            class_name="muted small",
        ),
        link_dialogs(S),
        move_dialog(),
        drop_form(),
    )


def schedule() -> rx.Component:
    return office_shell(N_("Schedule"), rx.cond(S.loaded, _content(), loading()))
