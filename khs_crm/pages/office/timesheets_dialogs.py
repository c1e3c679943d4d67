"""The timesheet screen's dialogs: unapprove a week (owner, with a reason), add time for
someone, change an entry (with a reason)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import (
    form_actions,
    form_error,
    input_field,
    select_field,
    textarea_field,
)
from khs_crm.components.ui import dialog
from khs_crm.i18n import N_


def _times(S: Any, entry: Any = None) -> rx.Component:
    value = (lambda name: {"default_value": entry[name]}) if entry is not None else (lambda _: {})
    return rx.el.div(
        input_field(N_("Day"), "date", S.field_errors, type="date", **value("date")),
        input_field(N_("Start"), "start", S.field_errors, type="time", **value("start")),
        input_field(
            N_("End"),
            "end",
            S.field_errors,
            type="time",
            hint=N_("Earlier than the start: the next day. Empty: still clocked in."),
            **value("end"),
        ),  # fmt: skip
        input_field(
            N_("Break (minutes)"), "breaks", S.field_errors, input_mode="numeric", **value("breaks")
        ),
        class_name="sheet-times",
    )


def _unapprove(S: Any) -> rx.Component:
    return dialog(
        N_("Open this week again?"),
        rx.el.form(
            rx.el.p(
                rx.el.strong(S.target_name),
                N_(
                    "'s phone can change this week again, and the office can edit it without "
                    "marking the change as after approval."
                ),
            ),
            form_error(S),
            textarea_field(N_("Why"), "reason", S.field_errors, auto_focus=True, id="f-unapprove"),
            form_actions(N_("Unapprove"), S.close_dialog, danger=True),
            on_submit=S.unapprove,
            key=S.form_key,
            aria_label=N_("Unapprove the week"),
            class_name="form",
        ),
        open=S.dialog == "unapprove",
        on_close=S.close_dialog,
        dialog_id="sheet-unapprove",
    )


def _add(S: Any) -> rx.Component:
    return dialog(
        N_("Add time"),
        rx.el.form(
            rx.el.p(
                N_("For a forgotten punch or time worked away from the phone."), class_name="muted"
            ),
            form_error(S),
            select_field(N_("Person"), "person", S.people),
            select_field(N_("Job"), "job", S.jobs),
            _times(S),
            input_field(N_("Note"), "note", S.field_errors),
            form_actions(N_("Add time"), S.close_dialog),
            on_submit=S.add,
            key=S.form_key,
            aria_label=N_("Add time"),
            class_name="form",
        ),
        open=S.dialog == "add",
        on_close=S.close_dialog,
        dialog_id="sheet-add",
        class_name="dialog-wide",
    )


def _edit(S: Any) -> rx.Component:
    e = S.editing
    return dialog(
        N_("Change time"),
        rx.el.form(
            rx.el.p(rx.el.strong(e.person), " · ", e.day, " · ", e.job, class_name="muted"),
            form_error(S),
            select_field(N_("Job"), "job", S.jobs, default_value=e.job_id, id="f-edit-job"),
            _times(S, e),
            input_field(N_("Note"), "note", S.field_errors, default_value=e.note),
            textarea_field(
                N_("Why is it changed?"),
                "reason",
                S.field_errors,
                hint=N_("Kept with the change, beside the old and new times."),
                id="f-edit-reason",
            ),
            form_actions(N_("Save change"), S.close_dialog),
            on_submit=S.save_edit,
            key=S.form_key,
            aria_label=N_("Change time"),
            class_name="form",
        ),
        open=S.dialog == "edit",
        on_close=S.close_dialog,
        dialog_id="sheet-edit",
        class_name="dialog-wide",
    )


def dialogs(S: Any) -> rx.Component:
    return rx.fragment(_unapprove(S), _add(S), _edit(S))
