"""/timesheets' "Time settings" dialog (the owner only): the week's first day and the hours
a week after which time counts as overtime."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import form_actions, form_error, input_field, select_field
from khs_crm.components.ui import button, dialog
from khs_crm.i18n import N_
from khs_crm.office.timesheets_settings import DAY_CHOICES


def settings_button(S: Any) -> rx.Component:
    return rx.cond(
        S.is_owner,
        button(N_("Time settings"), variant="secondary", on_click=S.open_settings),
    )


def settings_dialog(S: Any) -> rx.Component:
    return dialog(
        N_("Time settings"),
        rx.el.form(
            rx.el.p(
                N_(
                    "How every timesheet counts a week. Saving recomputes the weeks and their "
                    "overtime; approved weeks keep their approval."
                ),
                class_name="muted",
            ),
            form_error(S),
            select_field(
                N_("Weeks start on"),
                "week_start_day",
                DAY_CHOICES,
                default_value=S.week_start_day,
                auto_focus=True,
            ),
            input_field(
                N_("Overtime after (hours a week)"),
                "overtime_hours",
                S.field_errors,
                input_mode="numeric",
                default_value=S.overtime_hours,
                hint=N_("A whole number from 0 to 168, e.g. 40."),
            ),
            form_actions(N_("Save settings"), S.close_settings),
            on_submit=S.save_settings,
            key=S.settings_key,
            aria_label=N_("Time settings"),
            class_name="form",
        ),
        open=S.settings_open,
        on_close=S.close_settings,
        dialog_id="sheet-settings",
    )
