"""The owner's operations card on the dashboard: backups and the crews' real-user speed."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import banner, card
from khs_crm.state.office.ops import DashboardOpsState, VitalRow

S = DashboardOpsState


def _vital(row: VitalRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row.page),
        rx.el.td(row.name),
        rx.el.td(
            rx.el.span(
                rx.el.span(
                    class_name=rx.cond(row.good, "vital-bar good", "vital-bar slow"),
                    style={"width": row.bar.to_string() + "%"},
                ),
                class_name="vital-track",
                aria_hidden="true",
            ),
            rx.el.span(row.value),
        ),
        rx.el.td(row.count),
    )


def ops_section() -> rx.Component:
    """Shown to the owner only."""
    return rx.el.div(
        rx.cond(
            S.is_owner,
            card(
                rx.cond(S.backup_warning != "", banner(S.backup_warning, kind="error")),
                rx.cond(S.backup_text != "", rx.el.p(S.backup_text, class_name="muted")),
                rx.el.h3("Speed on the crews' phones (75th percentile, this week)"),
                rx.cond(
                    S.vitals.length() > 0,
                    rx.el.div(
                        rx.el.table(
                            rx.el.thead(
                                rx.el.tr(
                                    rx.el.th("Page", scope="col"),
                                    rx.el.th("Measure", scope="col"),
                                    rx.el.th("p75", scope="col"),
                                    rx.el.th("Visits", scope="col"),
                                )
                            ),
                            rx.el.tbody(rx.foreach(S.vitals, _vital)),
                            class_name="table",
                        ),
                        class_name="table-wrap",
                    ),
                    rx.el.p("No measurements from the phones yet this week.", class_name="muted"),
                ),
                title="Backups and app speed",
            ),
        ),
        on_mount=S.load,
    )
