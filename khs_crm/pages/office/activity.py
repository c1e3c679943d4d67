"""/activity : the activity log, newest first, one page at a time."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.pager import pager
from khs_crm.components.ui import card, empty_state
from khs_crm.i18n import N_
from khs_crm.state.office.review import ActivityState

KINDS = [
    ("", N_("Everything")),
    ("customer", N_("Customers")),
    ("job", N_("Jobs")),
    ("material", N_("Materials")),
    ("note", N_("Notes")),
    ("photo", N_("Photos")),
    ("user", N_("People")),
]


def activity_item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row.who),
            " ",
            rx.cond(
                row.href != "",
                link(row.summary, href=row.href, class_name="link plain"),
                rx.el.span(row.summary),
            ),
        ),
        rx.el.time(row.when, class_name="muted small"),
        class_name="activity-item",
    )


def activity_list(rows: rx.Var, empty: str = N_("Nothing has happened yet.")) -> rx.Component:
    """A timeline of activity rows (the dashboard, customer and job pages use it too)."""
    return rx.cond(
        rows.length() > 0,
        rx.el.ol(rx.foreach(rows, activity_item), class_name="activity"),
        empty_state(empty),
    )


def _content() -> rx.Component:
    s = ActivityState
    return rx.fragment(
        messages(s),
        rx.el.div(
            rx.el.div(
                rx.el.label(N_("Show"), html_for="activity-kind"),
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in KINDS],
                    value=s.entity,
                    on_change=ActivityState.filter,
                    id="activity-kind",
                    class_name="input",
                ),
                class_name="inline-field",
            ),
            rx.el.p(s.total, N_(" entries"), class_name="muted"),
            class_name="toolbar",
        ),
        card(
            activity_list(s.rows, N_("No activity of this kind yet.")),
            pager(s.page, s.pages, ActivityState.go, label=N_("activity"), total=s.total),
        ),
    )


def activity() -> rx.Component:
    return office_shell(N_("Activity"), rx.cond(ActivityState.loaded, _content(), loading()))
