"""The dashboard's "Approved, waiting for a date": jobs the customer approved that nobody has
scheduled yet, newest approval first, each with its estimate and the approved value."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.links import link
from khs_crm.components.ui import card, empty_state
from khs_crm.i18n import N_
from khs_crm.state.office.dashboard import DashboardState

S = DashboardState


def _job(job: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            link(job.title, href="/jobs/" + job.job_id, class_name="link strong"),
            rx.el.span(" · ", job.customer, class_name="muted"),
        ),
        rx.el.div(
            link(job.number, href="/estimates/" + job.estimate_id, class_name="link"),
            rx.el.span(N_(" approved "), job.approved, class_name="muted"),
            rx.el.strong(job.value, class_name="approved-value"),
            class_name="line-meta",
        ),
        class_name="line",
        key=job.estimate_id,
    )


def approved_waiting_card() -> rx.Component:
    return card(
        rx.cond(
            S.approved_waiting.length() > 0,
            rx.el.ul(rx.foreach(S.approved_waiting, _job), class_name="lines"),
            empty_state(N_("No approved job is waiting for a date.")),
        ),
        link(N_("Pick dates on the schedule →"), href="/schedule"),
        title=N_("Approved, waiting for a date"),
        aria_label=N_("Approved, waiting for a date"),
        class_name="approved-waiting",
    )
