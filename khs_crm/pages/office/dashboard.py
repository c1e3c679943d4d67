"""/ : the office dashboard."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.status import status_tag
from khs_crm.components.ui import card, empty_state
from khs_crm.pages.office.activity import activity_list
from khs_crm.pages.office.dashboard_approved import approved_waiting_card
from khs_crm.pages.office.dashboard_money import money_section
from khs_crm.pages.office.dashboard_ops import ops_section
from khs_crm.pages.office.dashboard_schedule import double_bookings_card
from khs_crm.state.office.dashboard import DashboardState


def _stat(label: str, value: rx.Var, href: str = "") -> rx.Component:
    return card(
        rx.el.div(value, class_name="stat"),
        rx.el.div(link(label, href=href) if href else label, class_name="stat-label"),
    )


def _status_row(item: rx.Var) -> rx.Component:
    return rx.el.li(
        link(
            status_tag(item.status, item.status.replace("_", " ")),
            " ",
            rx.el.strong(item.count, class_name="count"),
            rx.el.span(" jobs", class_name="sr-only"),
            href="/jobs/list?status=" + item.status,
            class_name="status-count",
        )
    )


def _job_line(job: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            link(job.title, href="/jobs/" + job.id, class_name="link strong"),
            rx.el.span(" · ", job.customer, class_name="muted"),
        ),
        rx.el.div(
            rx.el.span(job.day, " ", job.time, class_name="muted"),
            rx.el.span("Crew: ", job.crew, class_name="crew"),
            class_name="line-meta",
        ),
        class_name="line",
    )


def _to_buy_line(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.strong(item.name), " ", rx.el.span(item.amount, class_name="muted")),
        rx.el.div(
            rx.cond(item.supplier != "", rx.el.span(item.supplier, " · ", class_name="muted")),
            link(item.job, href="/jobs/" + item.job_id),
            class_name="line-meta",
        ),
        class_name="line",
    )


def _jobs_card(title: str, jobs: rx.Var, empty: str) -> rx.Component:
    return card(
        rx.cond(
            jobs.length() > 0,
            rx.el.ul(rx.foreach(jobs, _job_line), class_name="lines"),
            empty_state(empty),
        ),
        title=title,
    )


def _content() -> rx.Component:
    s = DashboardState
    return rx.fragment(
        messages(s),
        rx.el.div(
            _stat("Customers", s.customers, "/customers"),
            _stat("Open jobs", s.open_jobs, "/jobs"),
            _stat("Materials to buy", s.materials_to_buy),
            _stat("Conflicts to review", s.open_conflicts, "/conflicts"),
            class_name="grid",
        ),
        double_bookings_card(),
        approved_waiting_card(),
        money_section(),
        ops_section(),
        card(
            rx.el.ul(rx.foreach(s.jobs_by_status, _status_row), class_name="status-counts"),
            title="Jobs by status",
        ),
        rx.el.div(
            _jobs_card("Today", s.today, "Nothing is scheduled for today."),
            _jobs_card("This week", s.week, "Nothing is scheduled this week."),
            class_name="two-col",
        ),
        rx.el.div(
            card(
                rx.cond(
                    s.to_buy.length() > 0,
                    rx.el.ul(rx.foreach(s.to_buy, _to_buy_line), class_name="lines"),
                    empty_state("Everything on open jobs is bought."),
                ),
                title="Still to buy",
            ),
            card(
                activity_list(s.recent),
                link("All activity →", href="/activity"),
                title="Recent activity",
            ),
            class_name="two-col",
        ),
    )


def dashboard() -> rx.Component:
    return office_shell("Dashboard", rx.cond(DashboardState.loaded, _content(), loading()))
