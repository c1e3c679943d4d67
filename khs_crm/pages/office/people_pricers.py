"""/people's "May price change orders" switch, on each worker's row (the owner only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.i18n import N_


def pricer_switch(S: Any, u: Any) -> rx.Component:
    return rx.cond(
        S.show_pricers & (u.role == "worker"),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=S.pricers.contains(u.id),
                on_change=lambda checked: S.allow_pricing(u.id, checked),
                # The name starts with the words shown (WCAG label-in-name).
                aria_label=N_("May price change orders, ") + u.name,
                class_name="checkbox",
            ),
            rx.el.span(N_("May price change orders")),
            class_name="check small chg-pricer",
        ),
    )
