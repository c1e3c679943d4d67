"""/field : the crew's Today screen, rendered from the phone's own data."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import job_card


def today() -> rx.Component:
    jobs = items("today")
    return local_shell(
        t("Today"),
        rx.el.section(
            once_bound(
                "today",
                rx.cond(
                    jobs.length() > 0,
                    rx.foreach(jobs, job_card),
                    empty_state(t("No jobs scheduled for you today.")),
                ),
            ),
            rx.el.a(
                t("My week on the clock"), href="/field/time", class_name="btn btn-link week-link"
            ),
            aria_label=t("Today's jobs"),
            on_mount=bind("today"),
        ),
        active="today",
    )
