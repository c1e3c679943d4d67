"""The small component kit every screen builds on.

Plain ``rx.el`` elements styled by ``assets/khs.css``: Radix Themes' global CSS alone would
cost ~84 KB gzip on every page, more than half the field app's budget.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var
from reflex_components_core.core.banner import has_connection_errors


def button(*children: Any, variant: str = "primary", **props: Any) -> rx.Component:
    props.setdefault("type", "button")
    return rx.el.button(*children, class_name=f"btn btn-{variant}", **props)


def link_button(text: str, href: str, variant: str = "secondary", **props: Any) -> rx.Component:
    return rx.el.a(text, href=href, class_name=f"btn btn-{variant}", **props)


def field(
    label: str | Var, control: rx.Component, *, error: Any = "", hint: str = ""
) -> rx.Component:
    """A label wrapping its control, so the control's accessible name is the label."""
    return rx.el.label(
        rx.el.span(label, class_name="field-label"),
        control,
        rx.cond(error != "", rx.el.span(error, class_name="field-error", role="alert")),
        rx.el.span(hint, class_name="field-hint") if hint else rx.fragment(),
        class_name="field",
    )


def text_input(name: str, **props: Any) -> rx.Component:
    props.setdefault("type", "text")
    return rx.el.input(name=name, id=props.pop("id", name), class_name="input", **props)


def select(name: str, options: list[tuple[str, str | Var]], **props: Any) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(label, value=value) for value, label in options],
        name=name,
        class_name="input",
        **props,
    )


def checkbox(label: str, **props: Any) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", class_name="checkbox", **props),
        rx.el.span(label),
        class_name="check",
    )


def card(*children: Any, title: str = "", **props: Any) -> rx.Component:
    heading = [rx.el.h2(title, class_name="card-title")] if title else []
    extra = props.pop("class_name", "")
    return rx.el.section(*heading, *children, class_name=f"card {extra}".strip(), **props)


def banner(message: Any, kind: str = "info", **props: Any) -> rx.Component:
    role = "alert" if kind == "error" else "status"
    return rx.el.div(message, class_name=f"banner banner-{kind}", role=role, **props)


def table(headers: list[str], body: rx.Component, caption: str = "") -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(caption, class_name="sr-only") if caption else rx.fragment(),
            rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col") for h in headers])),
            rx.el.tbody(body),
            class_name="table",
        ),
        class_name="table-wrap",
    )


def dialog(title: str, *children: Any, open: Any, **props: Any) -> rx.Component:
    """A modal dialog shown while ``open`` is true."""
    return rx.cond(
        open,
        rx.el.div(
            rx.el.div(
                rx.el.h2(title, class_name="card-title", id="dialog-title"),
                *children,
                class_name="dialog",
                role="dialog",
                aria_modal="true",
                aria_labelledby="dialog-title",
                **props,
            ),
            class_name="dialog-backdrop",
        ),
    )


def nav_link(text: str | Var, href: str, icon: str = "", **props: Any) -> rx.Component:
    return rx.el.a(
        rx.el.span(icon, class_name="nav-icon", aria_hidden="true") if icon else rx.fragment(),
        rx.el.span(text),
        href=href,
        class_name="nav-link",
        **props,
    )


def offline_banner() -> rx.Component:
    """Replaces Reflex's "Cannot connect to server" overlay with a calm notice."""
    return rx.cond(
        has_connection_errors,
        rx.el.div(
            "Offline — your changes are kept on this device and sync when you are back online.",
            class_name="offline-banner",
            role="status",
        ),
    )


def empty_state(message: str | Var) -> rx.Component:
    return rx.el.p(message, class_name="empty")
