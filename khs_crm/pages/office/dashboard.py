"""/ : the office dashboard."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.layout import office_shell
from khs_crm.components.ui import card
from khs_crm.state.dashboard import DashboardState


def _stat(label: str, value: rx.Var) -> rx.Component:
    return card(
        rx.el.div(value, class_name="stat"),
        rx.el.div(label, class_name="stat-label"),
    )


def _status_row(item: rx.Var) -> rx.Component:
    return rx.el.li(rx.el.span(item.status), " — ", rx.el.strong(item.count))


def dashboard() -> rx.Component:
    return office_shell(
        "Dashboard",
        rx.el.div(
            _stat("Customers", DashboardState.customers),
            _stat("Open jobs", DashboardState.open_jobs),
            _stat("Materials to buy", DashboardState.materials_to_buy),
            class_name="grid",
        ),
        card(
            rx.el.ul(rx.foreach(DashboardState.jobs_by_status, _status_row)),
            title="Jobs by status",
        ),
    )
