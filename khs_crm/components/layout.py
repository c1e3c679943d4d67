"""Page templates: the office shell (sidebar), the field shell and the bare centred layout."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.links import nav_item
from khs_crm.components.native_form import native_form
from khs_crm.components.ui import nav_link, offline_banner
from khs_crm.state.auth import AuthState

OFFICE_NAV = [
    ("Dashboard", "/"),
    ("Customers", "/customers"),
    ("Jobs", "/jobs"),
    ("Schedule", "/schedule"),
    ("Timesheets", "/timesheets"),
    ("Estimates", "/estimates"),
    ("Invoices", "/invoices"),
    ("People", "/people"),
    ("Conflicts", "/conflicts"),
    ("Activity", "/activity"),
    ("Company", "/settings/company"),
]
FIELD_NAV = [
    ("Today", "/field"),
    ("Jobs", "/field/jobs"),
    ("Supply run", "/field/supply"),
    ("Sync", "/field/sync"),
]


def sign_out(label: str | Var = "Sign out") -> rx.Component:
    return native_form(
        rx.el.button(label, type="submit", class_name="btn btn-link"),
        action="/api/auth/signout",
        method="post",
        class_name="signout",
    )


def _user_box() -> rx.Component:
    return rx.el.div(
        rx.el.span(AuthState.user_name, class_name="user-name"),
        sign_out(),
        class_name="user-box",
    )


def loading() -> rx.Component:
    return rx.el.p("Loading…", class_name="empty", role="status")


def office_shell(title: str, *children: rx.Component) -> rx.Component:
    """Sidebar navigation for owners and admins; content only once the user is known."""
    return rx.el.div(
        rx.el.nav(
            rx.el.div("KHS CRM", class_name="brand"),
            rx.cond(
                AuthState.is_office,
                rx.fragment(*[nav_item(text, href) for text, href in OFFICE_NAV]),
            ),
            class_name="sidebar",
            aria_label="Main",
        ),
        rx.el.main(
            rx.el.div(
                rx.el.h1(title),
                rx.cond(AuthState.user_name != "", _user_box()),
                class_name="topbar",
            ),
            rx.cond(AuthState.is_office, rx.fragment(*children), loading()),
            class_name="main",
        ),
        offline_banner(),
        class_name="shell",
    )


def field_shell(title: str, *children: rx.Component) -> rx.Component:
    """Phone layout: header, content, bottom navigation within thumb reach."""
    return rx.el.div(
        rx.el.header(
            rx.el.h1(title),
            rx.cond(AuthState.user_name != "", _user_box()),
            class_name="field-header",
        ),
        rx.el.main(
            rx.cond(AuthState.user_role != "", rx.fragment(*children), loading()),
            class_name="field-main",
        ),
        rx.el.nav(
            *[nav_link(text, href) for text, href in FIELD_NAV],
            class_name="bottom-nav",
            aria_label="Field",
        ),
        offline_banner(),
        class_name="field-shell",
    )


def centred(*children: rx.Component) -> rx.Component:
    return rx.el.main(*children, offline_banner(), class_name="auth-wrap")
