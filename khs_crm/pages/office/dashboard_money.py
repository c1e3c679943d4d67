"""The dashboard's money section: open estimates, approved this month, what is owed (by age)
and overdue, and invoiced vs collected per month as a small inline SVG (no chart library)."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.links import link
from khs_crm.components.ui import card
from khs_crm.i18n import N_
from khs_crm.office.money_dashboard import BASE, HEIGHT, WIDTH
from khs_crm.state.office.money_dashboard import DashboardMoneyState

D = DashboardMoneyState
BAR = 16


def _stat(label: str, count: rx.Var, value: rx.Var, href: str) -> rx.Component:
    return card(
        rx.el.div(value, class_name="stat"),
        rx.el.div(link(label, href=href), " · ", count, class_name="stat-label"),
    )


def _bucket(b: rx.Var) -> rx.Component:
    return rx.el.div(rx.el.dt(b.label), rx.el.dd(b.amount), class_name="money-figure")


def _bars(m: rx.Var) -> rx.Component:
    svg = rx.el.svg
    return svg.g(
        svg.rect(x=m.x, y=m.invoiced_y, width=BAR, height=m.invoiced_h, class_name="bar-in"),
        svg.rect(
            x=m.x + BAR + 2, y=m.collected_y, width=BAR, height=m.collected_h, class_name="bar-out"
        ),
        svg.text(
            m.month, x=m.label_x, y=HEIGHT - 4, text_anchor="middle", class_name="chart-label"
        ),
    )


def _data_row(m: rx.Var) -> rx.Component:
    return rx.el.tr(rx.el.th(m.month, scope="row"), rx.el.td(m.invoiced), rx.el.td(m.collected))


def _chart() -> rx.Component:
    f = D.figures
    return card(
        rx.el.svg(
            rx.el.svg.line(x1=0, y1=BASE, x2=WIDTH, y2=BASE, class_name="chart-axis"),
            rx.foreach(f.chart, _bars),
            view_box=f"0 0 {WIDTH} {HEIGHT}",
            role="img",
            aria_label=f.chart_summary,
            class_name="money-chart",
        ),
        rx.el.p(
            rx.el.span(class_name="key key-in"),
            N_(" Invoiced "),
            rx.el.span(class_name="key key-out"),
            N_(" Collected"),
            class_name="chart-key small",
            aria_hidden="true",
        ),
        rx.el.table(
            rx.el.caption(N_("Invoiced and collected per month")),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col")
                        for h in (N_("Month"), N_("Invoiced"), N_("Collected"))
                    ]
                )
            ),
            rx.el.tbody(rx.foreach(f.chart, _data_row)),
            class_name="sr-only",
        ),
        title=N_("Invoiced vs collected, last 12 months"),
    )


def _section() -> rx.Component:
    f = D.figures
    return rx.el.section(
        rx.el.h2(N_("Money"), class_name="section-title"),
        rx.el.div(
            _stat(N_("Open estimates"), f.open_estimates, f.open_value, "/estimates"),
            _stat(
                N_("Approved this month"),
                f.approved_this_month,
                f.approved_value,
                "/estimates?status=approved",
            ),
            _stat(N_("Outstanding invoices"), f.outstanding, f.outstanding_value, "/invoices"),
            _stat(N_("Overdue invoices"), f.overdue, f.overdue_value, "/invoices?overdue=1"),
            class_name="grid",
        ),
        rx.el.div(
            card(
                rx.el.dl(rx.foreach(f.aging, _bucket), class_name="money-figures"),
                rx.el.p(
                    N_("Balances owed, by days since the invoice was sent."),
                    class_name="muted small",
                ),
                title=N_("Owed by age"),
            ),
            _chart(),
            class_name="two-col",
        ),
        aria_label=N_("Money"),
        class_name="money-section",
    )


def money_section() -> rx.Component:
    return rx.cond(D.loaded, _section())
