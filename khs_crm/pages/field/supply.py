"""/field/supply : everything still to buy for my upcoming jobs, by supplier. Works offline."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items, khs_call
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import pending_tag, tag


def _item(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=item["purchased"].to(bool),
                on_change=khs_call("toggle", item["id"]),
                aria_label=item["checkLabel"],
                class_name="checkbox",
            ),
            rx.el.span(
                rx.el.span(item["label"], class_name="material-name"),
                rx.el.span(item["forWhat"], class_name="muted"),
                class_name="stack",
            ),
            pending_tag(item),
            class_name="check material-row",
        ),
    )


def _group(group: Var) -> rx.Component:
    return rx.el.section(
        rx.el.h2(group["supplier"], " ", tag(group["count"])),
        rx.el.ul(rx.foreach(group["items"].to(list[dict]), _item), class_name="checklist"),
        class_name="card",
        aria_label=group["supplier"],
    )


def supply() -> rx.Component:
    groups = items("supply", "groups")
    return local_shell(
        t("Supply run"),
        rx.el.div(
            once_bound(
                "supply",
                rx.cond(
                    groups.length() > 0,
                    rx.foreach(groups, _group),
                    empty_state(t("Nothing left to buy for your upcoming jobs.")),
                ),
            ),
            on_mount=bind("supply"),
        ),
        active="supply",
    )
