"""/field/jobs : every open job of mine, by day: Today, Tomorrow, This week, Later,
Unscheduled (and those from earlier days still open, first)."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import job_card


def _group(group: Var) -> rx.Component:
    return rx.el.section(
        rx.el.h2(group["title"], class_name="group-title"),
        rx.foreach(group["items"].to(list[dict]), job_card),
        aria_label=group["title"],
        class_name="job-group",
    )


def jobs() -> rx.Component:
    groups = items("jobs", "groups")
    return local_shell(
        t("Jobs"),
        rx.el.div(
            once_bound(
                "jobs",
                rx.cond(
                    groups.length() > 0,
                    rx.foreach(groups, _group),
                    empty_state(t("No open jobs.")),
                ),
            ),
            on_mount=bind("jobs"),
        ),
        active="jobs",
    )
