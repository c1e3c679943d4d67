"""/people's hourly cost column and its dialog (the owner only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import form_actions, form_error, input_field
from khs_crm.components.ui import button, dialog
from khs_crm.i18n import N_


def cost_header(S: Any) -> rx.Component:
    return rx.cond(S.show_costs, rx.el.th(N_("Hourly cost"), scope="col", class_name="num"))


def cost_cell(S: Any, u: Any) -> rx.Component:
    cost = S.costs.to(dict[str, str]).get(u.id, "")
    return rx.cond(
        S.show_costs,
        rx.el.td(
            button(
                rx.cond(cost != "", "$" + cost, N_("Set")),
                variant="link",
                on_click=S.ask_cost(u.id, u.name),
                # The name starts with the words shown (WCAG label-in-name).
                aria_label=rx.cond(
                    cost != "",
                    "$" + cost + N_(", hourly cost of ") + u.name,
                    N_("Set hourly cost of ") + u.name,
                ),
            ),
            class_name="num",
        ),
    )


def cost_dialog(S: Any) -> rx.Component:
    return dialog(
        N_("Hourly cost"),
        rx.el.form(
            rx.el.p(
                N_("What an hour of "),
                rx.el.strong(S.cost_name),
                N_(
                    "'s work costs the company: wages and burden. Only owners see it; it "
                    "gives each job its labor cost."
                ),
            ),
            form_error(S),
            input_field(
                N_("Cost per hour ($)"),
                "hourly_cost",
                S.field_errors,
                input_mode="decimal",
                auto_focus=True,
                default_value=S.costs.to(dict[str, str]).get(S.cost_id, ""),
                hint=N_("Leave empty for no cost."),
            ),
            form_actions(N_("Save cost"), S.close_cost),
            on_submit=S.save_cost,
            key=S.cost_key,
            aria_label=N_("Hourly cost"),
            class_name="form",
        ),
        open=S.cost_open,
        on_close=S.close_cost,
        dialog_id="people-cost",
    )
