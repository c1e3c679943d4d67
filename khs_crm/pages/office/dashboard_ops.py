"""The owner's operations card on the dashboard: backups and the crews' real-user speed
(this week's figures, and the last eight weeks as small inline SVG line charts, each with its
figures in a table and a sentence for screen readers)."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import banner, card, scroll_box
from khs_crm.i18n import N_
from khs_crm.office.vitals_chart import BASE, HEIGHT, LEFT, RIGHT, WIDTH
from khs_crm.state.office.ops import DashboardOpsState, VitalRow

S = DashboardOpsState
svg = rx.el.svg


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


def _this_week() -> rx.Component:
    return scroll_box(
        rx.el.table(
            rx.el.caption(N_("This week, 75th percentile per page")),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col")
                        for h in (N_("Page"), N_("Measure"), N_("p75"), N_("Visits"))
                    ]
                )
            ),
            rx.el.tbody(rx.foreach(S.vitals, _vital)),
            class_name="table",
        ),
        N_("This week, 75th percentile per page"),
    )


def _line(line: rx.Var) -> rx.Component:
    return svg.g(
        svg.polyline(points=line.points),
        rx.foreach(line.dots, lambda d: svg.circle(cx=d.x, cy=d.y, r=3)),
        class_name=line.series,
    )


def _tick(tick: rx.Var) -> rx.Component:
    return svg.text(
        tick.label, x=tick.x, y=HEIGHT - 8, text_anchor="middle", class_name="chart-label"
    )


def _figures(chart: rx.Var) -> rx.Component:
    return scroll_box(
        rx.el.table(
            rx.el.caption(chart.title),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(N_("Week of"), scope="col"),
                    rx.foreach(chart.pages, lambda p: rx.el.th(p, scope="col")),
                )
            ),
            rx.el.tbody(
                rx.foreach(
                    chart.rows,
                    lambda r: rx.el.tr(
                        rx.el.th(r.week, scope="row"),
                        rx.foreach(r.cells, lambda v: rx.el.td(v)),
                    ),
                )
            ),
            class_name="table",
        ),
        chart.title,
    )


def _chart(chart: rx.Var) -> rx.Component:
    return rx.el.figure(
        rx.el.figcaption(chart.title, class_name="vital-chart-title"),
        rx.el.svg(
            svg.line(x1=LEFT, y1=BASE, x2=WIDTH - RIGHT, y2=BASE, class_name="chart-axis"),
            svg.line(
                x1=LEFT, y1=chart.good_y, x2=WIDTH - RIGHT, y2=chart.good_y, class_name="good-line"
            ),
            rx.foreach(chart.lines, _line),
            rx.foreach(chart.ticks, _tick),
            svg.text(chart.good_label, x=LEFT, y=chart.good_y - 4, class_name="chart-label"),
            svg.text(chart.top_label, x=LEFT, y=12, class_name="chart-label"),
            view_box=f"0 0 {WIDTH} {HEIGHT}",
            role="img",
            aria_label=chart.summary,
            class_name="vital-chart",
        ),
        class_name="vital-figure",
    )


def _legend() -> rx.Component:
    return rx.el.ul(
        rx.foreach(
            S.charts[0].lines,
            lambda line: rx.el.li(
                rx.el.span(class_name="swatch " + line.series, aria_hidden="true"), line.page
            ),
        ),
        class_name="chart-legend small",
        aria_label=N_("Pages"),
    )


def _weeks() -> rx.Component:
    return rx.fragment(
        rx.el.h3(N_("The last 8 weeks (75th percentile per page)")),
        _legend(),
        rx.el.div(rx.foreach(S.charts, _chart), class_name="vital-charts"),
        rx.el.details(
            rx.el.summary(N_("The charts' figures, week by week")),
            rx.foreach(S.charts, _figures),
            class_name="vital-figures",
        ),
    )


def ops_section() -> rx.Component:
    """Shown to the owner only."""
    return rx.el.div(
        rx.cond(
            S.is_owner,
            card(
                rx.cond(S.backup_warning != "", banner(S.backup_warning, kind="error")),
                rx.cond(S.backup_text != "", rx.el.p(S.backup_text, class_name="muted")),
                rx.el.h3(N_("Speed on the crews' phones")),
                rx.cond(
                    S.vitals.length() > 0,
                    _this_week(),
                    rx.el.p(
                        N_("No measurements from the phones yet this week."), class_name="muted"
                    ),
                ),
                rx.cond(S.charts.length() > 0, _weeks()),
                title=N_("Backups and app speed"),
                aria_label=N_("Backups and app speed"),
                class_name="ops-card",
            ),
        ),
        on_mount=S.load,
    )
