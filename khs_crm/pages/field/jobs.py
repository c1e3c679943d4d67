"""/field/jobs : every open job of mine, soonest first."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import job_card


def jobs() -> rx.Component:
    rows = items("jobs")
    return local_shell(
        t("Jobs"),
        rx.el.section(
            once_bound(
                "jobs",
                rx.cond(
                    rows.length() > 0,
                    rx.foreach(rows, job_card),
                    empty_state(t("No open jobs.")),
                ),
            ),
            aria_label=t("My jobs"),
            on_mount=bind("jobs"),
        ),
    )
