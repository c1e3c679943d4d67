"""/field : the crew's Today screen."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.layout import field_shell
from khs_crm.components.ui import empty_state
from khs_crm.state.field import TodayState


def _job(job: rx.Var) -> rx.Component:
    return rx.el.article(
        rx.el.h2(job.title),
        rx.el.div(job.customer_name, " · ", job.starts, " · ", job.status),
        rx.el.div(
            rx.el.a(
                "Call ",
                job.customer_name,
                href="tel:" + job.customer_phone.to(str),
                aria_label="Call " + job.customer_name.to(str),
            ),
            rx.el.a(
                job.site_address,
                href="https://maps.google.com/?q=" + job.site_address.to(str),
                target="_blank",
                rel="noopener",
            ),
            class_name="job-meta",
        ),
        class_name="job-item",
    )


def today() -> rx.Component:
    return field_shell(
        "Today",
        rx.cond(
            TodayState.jobs.length() > 0,
            rx.foreach(TodayState.jobs, _job),
            empty_state("No jobs scheduled for you today."),
        ),
    )
