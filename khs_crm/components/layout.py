"""Page templates: the office shell (sidebar) and the bare centred layout."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import nav_link, offline_banner

OFFICE_NAV = [
    ("Dashboard", "/"),
    ("Customers", "/customers"),
    ("Jobs", "/jobs"),
    ("Schedule", "/schedule"),
    ("People", "/people"),
    ("Conflicts", "/conflicts"),
    ("Activity", "/activity"),
]


def office_shell(title: str, *children: rx.Component) -> rx.Component:
    return rx.el.div(
        rx.el.nav(
            rx.el.div("KHS CRM", class_name="brand"),
            *[nav_link(text, href) for text, href in OFFICE_NAV],
            class_name="sidebar",
            aria_label="Main",
        ),
        rx.el.main(
            rx.el.div(rx.el.h1(title), class_name="topbar"),
            *children,
            class_name="main",
        ),
        offline_banner(),
        class_name="shell",
    )


def centred(*children: rx.Component) -> rx.Component:
    return rx.el.main(*children, offline_banner(), class_name="auth-wrap")
