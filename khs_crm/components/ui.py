"""The small component kit every screen builds on.

Plain ``rx.el`` elements styled by ``assets/khs.css``: Radix Themes' global CSS alone would
cost ~84 KB gzip on every page, more than half the field app's budget.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventChain, EventHandler
from reflex_base.vars.base import Var
from reflex_base.vars.function import ArgsFunctionOperation
from reflex_components_core.core.banner import has_connection_errors

from khs_crm.i18n import N_


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


def scroll_box(table: rx.Component, label: Any) -> rx.Component:
    """A table of text only that may be wider than a phone, in a box that scrolls sideways.
    The box takes the keyboard's focus (Tab, then the arrow keys scroll it) and is named
    after its table; a table with links or fields in it can be reached without this."""
    return rx.el.div(table, class_name="table-wrap", tab_index=0, role="region", aria_label=label)


def lines_table(caption: str, first: str, body: rx.Component) -> rx.Component:
    """A document's priced lines (an invoice's, a change order's): what, then Qty, Unit price
    and Amount right-aligned."""
    numbers = [N_("Qty"), N_("Unit price"), N_("Amount")]
    return scroll_box(
        rx.el.table(
            rx.el.caption(caption, class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(first, scope="col"),
                    *[rx.el.th(h, scope="col", class_name="num") for h in numbers],
                )
            ),
            rx.el.tbody(body),
            class_name="table table-compact",
        ),
        caption,
    )


# What Tab may land on inside a dialog (hidden controls, such as an upload's input, skipped).
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)
# Keys inside a modal dialog: Escape closes it; Tab and Shift+Tab go round its own controls.
_KEYS = """(e.key === 'Escape' ? (e.stopPropagation(), (CLOSE)()) : e.key === 'Tab' ? (() => {
  const box = e.currentTarget;
  const items = [...box.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length);
  if (!items.length) { e.preventDefault(); box.focus(); return; }
  const first = items[0], last = items[items.length - 1], now = document.activeElement;
  if (e.shiftKey && (now === first || now === box)) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && now === last) { e.preventDefault(); first.focus(); }
})() : undefined)"""
# On opening: focus moves into the dialog (unless a control there took it with autofocus).
_FOCUS_IN = """(() => { const box = document.getElementById(ID);
  if (box && !box.contains(document.activeElement)) box.focus(); })()"""


def _run_events(event: Any) -> Var:
    spec = event() if isinstance(event, EventHandler) else event
    return Var.create(EventChain(events=[spec], args_spec=lambda: ()))


def dialog_keys(on_close: Any = None) -> Var:
    """A keydown handler for a modal: Escape runs ``on_close``; Tab stays inside."""
    chain = _run_events(on_close) if on_close is not None else Var("(() => undefined)")
    body = _KEYS.replace("CLOSE", str(chain)).replace("FOCUSABLE", repr(FOCUSABLE))
    return ArgsFunctionOperation.create(("e",), Var(body, _var_data=chain._get_all_var_data()))


def dialog(
    title: Any,
    *children: Any,
    open: Any,
    on_close: Any = None,
    dialog_id: str = "dialog",
    **props: Any,
) -> rx.Component:
    """A modal dialog shown while ``open`` is true: focus moves into it and stays there
    (Tab goes round its controls), and Escape runs ``on_close`` (its Cancel)."""
    extra = props.pop("class_name", "")
    focus_in = ArgsFunctionOperation.create((), Var(_FOCUS_IN.replace("ID", repr(dialog_id))))
    return rx.cond(
        open,
        rx.el.div(
            rx.el.div(
                rx.el.h2(title, class_name="card-title", id=f"{dialog_id}-title"),
                *children,
                id=dialog_id,
                class_name=f"dialog {extra}".strip(),
                role="dialog",
                aria_modal="true",
                aria_labelledby=f"{dialog_id}-title",
                tab_index=-1,
                on_mount=focus_in,
                custom_attrs={"onKeyDown": dialog_keys(on_close)},
                **props,
            ),
            class_name="dialog-backdrop",
            # a press on the dim backdrop leaves the focus inside the dialog
            on_mouse_down=ArgsFunctionOperation.create(
                ("e",), Var("(e.target === e.currentTarget ? e.preventDefault() : undefined)")
            ),
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
