"""/field/sync : what is waiting on this phone, when it last synced, what needs attention."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, field, items, khs_call
from khs_crm.offline.words import t


def _op(op: Var) -> rx.Component:
    return rx.el.li(rx.el.span(op["text"]), " ", rx.el.span(op["when"], class_name="muted"))


def _issue(issue: Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(issue["kind"]),
        rx.el.p(issue["text"]),
        rx.el.button(
            t("Dismiss"),
            type="button",
            aria_label=issue["dismissLabel"],
            on_click=khs_call("dismiss", issue["id"]),
            class_name="btn btn-secondary",
        ),
        class_name="issue",
    )


def _summary() -> rx.Component:
    return rx.el.section(
        rx.el.p(rx.el.strong(field("sync", "stateText")), role="status", class_name="sync-state"),
        rx.cond(
            field("sync", "detail") != "", rx.el.p(field("sync", "detail"), class_name="muted")
        ),
        rx.el.p(field("sync", "lastSyncText")),
        rx.el.p(field("sync", "pendingText")),
        rx.el.button(
            t("Sync now"), type="button", on_click=khs_call("syncNow"), class_name="btn btn-primary"
        ),
        class_name="card",
        aria_label=t("Sync status"),
    )


def _list_card(title: Var, rows: Var, items: rx.Component, empty: Var) -> rx.Component:
    """A titled card with its list, or a line saying there is nothing in it."""
    return rx.el.section(
        rx.el.h2(title),
        rx.cond(rows.length() > 0, items, empty_state(empty)),
        class_name="card",
        aria_label=title,
    )


def _lists(ops: Var, issues: Var) -> rx.Component:
    return rx.fragment(
        _list_card(
            t("Needs your attention"),
            issues,
            rx.el.ul(rx.foreach(issues, _issue), class_name="issues"),
            t("No rejected changes or conflicts."),
        ),
        _list_card(
            t("Waiting to be sent"),
            ops,
            rx.el.ol(rx.foreach(ops, _op), class_name="ops"),
            t("Every change has reached the office."),
        ),
    )


def sync() -> rx.Component:
    ops = items("sync", "ops")
    issues = items("sync", "issues")
    return local_shell(
        t("Sync"),
        rx.el.div(
            once_bound("sync", _summary(), _lists(ops, issues)),
            on_mount=bind("sync"),
        ),
        active="sync",
    )
