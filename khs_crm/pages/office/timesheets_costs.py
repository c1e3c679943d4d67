"""/people's hourly cost column and its dialog (the owner only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import form_actions, form_error, input_field
from khs_crm.components.ui import button, dialog


def cost_header(S: Any) -> rx.Component:
    return rx.cond(S.show_costs, rx.el.th("Hourly cost", scope="col", class_name="num"))


def cost_cell(S: Any, u: Any) -> rx.Component:
    cost = S.costs.to(dict[str, str]).get(u.id, "")
    return rx.cond(
        S.show_costs,
        rx.el.td(
            button(
                rx.cond(cost != "", "$" + cost, "Set"),
                variant="link",
                on_click=S.ask_cost(u.id, u.name),
                aria_label="Hourly cost of " + u.name,
            ),
            class_name="num",
        ),
    )


def cost_dialog(S: Any) -> rx.Component:
    return dialog(
        "Hourly cost",
        rx.el.form(
            rx.el.p(
                "What an hour of ",
                rx.el.strong(S.cost_name),
                "'s work costs the company: wages and burden. Only owners see it; it "
                "gives each job its labor cost.",
            ),
            form_error(S),
            input_field(
                "Cost per hour ($)",
                "hourly_cost",
                S.field_errors,
                input_mode="decimal",
                auto_focus=True,
                default_value=S.costs.to(dict[str, str]).get(S.cost_id, ""),
                hint="Leave empty for no cost.",
            ),
            form_actions("Save cost", S.close_cost),
            on_submit=S.save_cost,
            key=S.cost_key,
            aria_label="Hourly cost",
            class_name="form",
        ),
        open=S.cost_open,
        on_close=S.close_cost,
        dialog_id="people-cost",
    )
