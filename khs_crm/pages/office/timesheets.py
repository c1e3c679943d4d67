"""/timesheets : the company week, a row per person (hours and jobs each day), flags,
approval per person-week, the office's entries and edits, the payroll CSV."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download
from khs_crm.components.status import pill
from khs_crm.components.ui import button, card, empty_state, scroll_box
from khs_crm.i18n import N_
from khs_crm.pages.office.timesheets_dialogs import dialogs
from khs_crm.pages.office.timesheets_settings import settings_button, settings_dialog
from khs_crm.state.office.timesheets import TimesheetsState

S = TimesheetsState


def _flags(words: rx.Var) -> rx.Component:
    return rx.el.ul(
        rx.foreach(words, lambda w: rx.el.li(w, class_name="pill pill-flag")),
        class_name="flag-list",
        aria_label=N_("Flags"),
    )


def _job(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.a(item.title, href="/jobs/" + item.job_id, class_name="link"),
        " ",
        rx.el.span(item.hours, class_name="muted nowrap"),
    )


def _cell(cell: rx.Var) -> rx.Component:
    return rx.el.td(
        rx.cond(
            (cell.hours != "") | cell.open,
            rx.el.div(
                rx.cond(cell.hours != "", rx.el.div(cell.hours, class_name="strong nowrap")),
                rx.cond(cell.open, pill(N_("Clocked in"), "pill-ok")),
                rx.cond(cell.flagged, rx.el.span(N_("Flagged"), class_name="sheet-flagged")),
                rx.el.ul(rx.foreach(cell.jobs, _job), class_name="sheet-jobs small"),
            ),
            rx.el.span("—", class_name="muted", aria_label=N_("No time")),
        ),
        class_name=rx.cond(cell.flagged, "sheet-day flagged", "sheet-day"),
    )


def _decision(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.approved,
        rx.el.div(
            pill(N_("Approved"), "pill-ok"),
            rx.cond(
                S.is_owner,
                button(
                    N_("Unapprove"),
                    variant="link",
                    on_click=S.ask_unapprove(row.user_id, row.name),
                    aria_label=N_("Unapprove the week of ") + row.name,
                ),
            ),
            class_name="row-actions",
        ),
        rx.cond(
            row.has_time,
            button(
                N_("Approve"),
                variant="secondary",
                on_click=S.approve(row.user_id, row.name),
                aria_label=N_("Approve the week of ") + row.name,
            ),
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.div(row.name, class_name="strong"),
            _flags(row.flags),
            scope="row",
            class_name="worker-cell",
        ),
        rx.foreach(row.days, _cell),
        rx.el.td(
            rx.el.div(row.total, class_name="strong nowrap"),
            rx.cond(
                row.overtime != "",
                rx.el.div(row.overtime, N_(" overtime"), class_name="overtime nowrap"),
            ),
            _decision(row),
            class_name="sheet-week",
        ),
        key=row.user_id,
    )


def _header(day: rx.Var) -> rx.Component:
    return rx.el.th(
        day.label,
        scope="col",
        class_name=rx.cond(day.today, "today", ""),
        aria_current=rx.cond(day.today, "date", "false"),
    )


def _grid() -> rx.Component:
    # on a phone the week is wider than the screen: its box scrolls, and takes the keyboard
    return scroll_box(
        rx.el.table(
            rx.el.caption(N_("Hours by person and day, week of "), S.title, class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(N_("Person"), scope="col"),
                    rx.foreach(S.days, _header),
                    rx.el.th(N_("Week"), scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            rx.el.tfoot(
                rx.el.tr(
                    rx.el.th(
                        N_("Everyone"), scope="row", col_span=8, class_name="sheet-total-label"
                    ),
                    rx.el.td(
                        rx.el.div(S.total, class_name="strong nowrap"),
                        rx.el.div(S.overtime, N_(" overtime"), class_name="small muted"),
                    ),
                )
            ),
            class_name="table sheet",
        ),
        N_("Hours by person and day"),
    )


def _map(href: rx.Var, said: str, where: rx.Var) -> rx.Component:
    # The name starts with the words shown (WCAG label-in-name).
    return rx.el.a(
        said,
        href=href,
        target="_blank",
        rel="noopener noreferrer",
        aria_label=where,
        class_name="link",
    )


def _maps(e: rx.Var) -> rx.Component:
    """Where the person clocked in and out (rounded to ~100 m), when they share it."""
    return rx.cond(
        (e.in_map != "") | (e.out_map != ""),
        rx.el.div(
            N_("map: "),
            rx.cond(
                e.in_map != "",
                _map(
                    e.in_map, N_("in"), N_("in, where ") + e.person + N_(" clocked in on ") + e.day
                ),
            ),
            rx.cond((e.in_map != "") & (e.out_map != ""), " · ", ""),
            rx.cond(
                e.out_map != "",
                _map(
                    e.out_map,
                    N_("out"),
                    N_("out, where ") + e.person + N_(" clocked out on ") + e.day,
                ),
            ),
            class_name="small muted sheet-map",
        ),
    )


def _entry(e: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(e.person, class_name="strong"),
        rx.el.td(e.day, class_name="nowrap"),
        rx.el.td(e.job),
        rx.el.td(
            rx.el.div(e.start, " – ", rx.cond(e.end != "", e.end, "…"), class_name="nowrap"),
            _maps(e),
        ),
        rx.el.td(e.breaks, N_(" min"), class_name="num"),
        rx.el.td(e.hours, class_name="num"),
        rx.el.td(
            _flags(e.flags), rx.cond(e.note != "", rx.el.div(e.note, class_name="small muted"))
        ),
        rx.el.td(
            button(
                N_("Edit"),
                variant="link",
                on_click=S.open_edit(e.id),
                aria_label=N_("Edit the time of ") + e.person + N_(" on ") + e.day,
            )
        ),
        key=e.id,
    )


def _entries() -> rx.Component:
    heads = [
        (N_("Person"), ""),
        (N_("Day"), ""),
        (N_("Job"), ""),
        (N_("Time"), ""),
        (N_("Break"), "num"),
    ]
    heads += [(N_("Hours"), "num"), (N_("Flags and notes"), ""), ("", "")]
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Time entries, week of "), S.title, class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col", class_name=c) for h, c in heads])),
            rx.el.tbody(rx.foreach(S.entries, _entry)),
            class_name="table sheet-entries",
        ),
        class_name="table-wrap",
    )


def _toolbar() -> rx.Component:
    return rx.el.div(
        button(N_("← Previous week"), variant="secondary", on_click=S.shift(-1)),
        button(N_("This week"), variant="secondary", on_click=S.this_week),
        button(N_("Next week →"), variant="secondary", on_click=S.shift(1)),
        rx.el.h2(S.title, class_name="week-title", aria_live="polite"),
        rx.el.div(
            button(N_("Add time"), on_click=S.open_add),
            download(N_("Download CSV for payroll"), href=S.export_href),
            settings_button(S),
            class_name="toolbar-end",
        ),
        class_name="toolbar",
    )


def _content() -> rx.Component:
    return rx.fragment(
        _toolbar(),
        rx.el.p(S.rules_text, class_name="muted small sheet-rules"),
        messages(S, unless=(S.dialog != "") | S.settings_open),
        card(
            rx.cond(
                S.rows.length() > 0,
                _grid(),
                empty_state(N_("No one has time this week, and there are no active workers.")),
            ),
            class_name="card-flush",
        ),
        card(
            rx.cond(
                S.entries.length() > 0,
                _entries(),
                empty_state(N_("No time entered this week.")),
            ),
            title=N_("Entries this week"),
            class_name="card-flush sheet-card",
        ),
        dialogs(S),
        settings_dialog(S),
    )


def timesheets() -> rx.Component:
    return office_shell(N_("Timesheets"), rx.cond(S.loaded, _content(), loading()))
