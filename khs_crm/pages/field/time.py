"""/field/time : my week on the clock: hours per day and per job, from the phone's own
entries (works offline); a note can be added to an entry until its week is approved."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, field, items, khs_call
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import pending_tag, tag


def _note_form(entry: Var) -> rx.Component:
    return rx.el.form(
        rx.el.label(
            rx.el.span(t("Note"), class_name="field-label"),
            rx.el.input(
                name="note",
                default_value=entry["note"].to(str),
                aria_label=entry["noteLabel"],
                class_name="input",
            ),
            class_name="field",
        ),
        rx.el.button(t("Save note"), type="submit", class_name="btn btn-secondary"),
        on_submit=khs_call("saveTimeNote", entry["id"], Var("values"), params=("values",)),
        reset_on_submit=False,
        class_name="time-note",
    )


def _entry(entry: Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(entry["job"], class_name="material-name"),
            rx.el.span(entry["hours"], class_name="time-hours"),
            class_name="time-line",
        ),
        rx.el.span(entry["times"], class_name="muted"),
        rx.el.div(
            rx.cond(entry["approved"], tag(t("Approved"))),
            rx.cond(entry["open"], tag(t("On the clock"), "tag-pending")),
            pending_tag(entry),
            class_name="tags",
        ),
        rx.cond(
            entry["approved"],
            rx.cond(entry["note"] != "", rx.el.p(entry["note"], class_name="note-body")),
            _note_form(entry),
        ),
        class_name="time-entry",
    )


def _day(day: Var) -> rx.Component:
    return rx.el.section(
        rx.el.h2(day["title"], " · ", day["hours"]),
        rx.el.ul(rx.foreach(day["entries"].to(list[dict]), _entry), class_name="checklist"),
        class_name="card",
        aria_label=day["title"],
    )


def time_page() -> rx.Component:
    days = items("week", "days")
    return local_shell(
        t("My week"),
        rx.el.div(
            once_bound(
                "week",
                rx.el.p(rx.el.strong(field("week", "total")), class_name="week-total"),
                rx.cond(
                    days.length() > 0,
                    rx.foreach(days, _day),
                    empty_state(t("No time on the clock this week yet.")),
                ),
            ),
            on_mount=bind("week"),
        ),
        back=True,
    )
