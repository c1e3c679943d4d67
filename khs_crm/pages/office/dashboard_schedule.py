"""The dashboard's double bookings: "Casey has 3 jobs at 8:00 AM on Sunday, Dec 6", with
links to the jobs and to that week of the schedule. Shown only when there are some."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.links import link
from khs_crm.components.ui import card
from khs_crm.i18n import N_
from khs_crm.state.office.dashboard import DashboardState

S = DashboardState


def _job(job: rx.Var) -> rx.Component:
    return rx.el.li(
        link(job.title, href="/jobs/" + job.job_id, class_name="link"),
        rx.el.span(" · ", job.when, class_name="muted"),
    )


def _clash(clash: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.span("⚠ ", aria_hidden="true"), rx.el.strong(clash.sentence)),
        rx.el.ul(rx.foreach(clash.jobs, _job), class_name="clash-jobs small"),
        link(
            N_("See that week on the schedule"),
            href="/schedule?week=" + clash.week,
            class_name="link small",
        ),
        class_name="line",
        key=clash.key,
    )


def double_bookings_card() -> rx.Component:
    return rx.cond(
        S.double_total > 0,
        card(
            rx.el.p(
                N_("People on two or more jobs at the same time in the next two weeks: "),
                S.double_total,
                class_name="muted",
            ),
            rx.el.ul(rx.foreach(S.double_bookings, _clash), class_name="lines"),
            title=N_("Double bookings"),
            class_name="double-bookings",
        ),
    )
