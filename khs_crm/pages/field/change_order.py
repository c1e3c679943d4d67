"""/field/change-order?id=… : extra work agreed on site, written on the phone and signed by the
customer on it, with no signal if need be. The customer reads it in large text, types their
name and signs in the box; from then on it is frozen (a correction is a new change order)."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state, field
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items, khs_call
from khs_crm.offline.views import field as view
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import tag
from khs_crm.pages.field.change_order_lines import line_fields


def _line(line: Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(line["text"], class_name="co-line-text"),
        rx.el.span(line["price"], class_name="muted"),
        class_name="co-line",
    )


def _photo(photo: Var) -> rx.Component:
    return rx.el.li(photo["name"])


def _choose_photo(photo: Var) -> rx.Component:
    return rx.el.li(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=photo["chosen"].to(bool),
                on_change=khs_call(
                    "toggleChangeOrderPhoto", view("changeOrder", "id"), photo["id"]
                ),
                class_name="checkbox",
            ),
            rx.el.span(photo["name"]),
            class_name="check material-row",
        )
    )


def _what() -> rx.Component:
    """What the customer reads and signs, large."""
    return rx.el.section(
        rx.el.p(
            view("changeOrder", "jobTitle"),
            " · ",
            view("changeOrder", "status"),
            class_name="muted",
        ),
        rx.el.p(view("changeOrder", "description"), class_name="co-description"),
        rx.el.ul(rx.foreach(items("changeOrder", "lines"), _line), class_name="co-lines"),
        rx.cond(
            view("changeOrder", "total") != "",
            rx.el.p(view("changeOrder", "total"), class_name="co-total"),
            rx.el.p(view("changeOrder", "priceNote"), class_name="co-price-note"),
        ),
        rx.cond(
            items("changeOrder", "photos").length() > 0,
            rx.el.div(
                rx.el.h3(t("Photos")),
                rx.el.ul(
                    rx.foreach(items("changeOrder", "photos"), _photo), class_name="co-photos"
                ),
            ),
        ),
        rx.cond(
            view("changeOrder", "integrity") != "",
            rx.el.p(view("changeOrder", "integrity"), class_name="field-error", role="alert"),
        ),
        rx.cond(view("changeOrder", "pending"), tag(t("Not sent yet"), "tag-pending")),
        class_name="card co-card",
        aria_label=t("Change order"),
    )


def _edit() -> rx.Component:
    """While a draft: more lines, which job photos go with it."""
    return rx.el.section(
        rx.el.h2(t("Before the customer signs")),
        rx.el.form(
            *line_fields(),
            rx.el.button(t("Add line"), type="submit", class_name="btn btn-secondary btn-block"),
            on_submit=khs_call(
                "addChangeOrderLine", view("changeOrder", "id"), Var("values"), params=("values",)
            ),
            reset_on_submit=True,
            aria_label=t("Add a line"),
            class_name="field-form",
        ),
        rx.cond(
            items("changeOrder", "jobPhotos").length() > 0,
            rx.el.div(
                rx.el.h3(t("Photos of this job")),
                rx.el.ul(
                    rx.foreach(items("changeOrder", "jobPhotos"), _choose_photo),
                    class_name="checklist",
                ),
            ),
        ),
        class_name="card",
        aria_label=t("Before the customer signs"),
    )


def _sign() -> rx.Component:
    """The customer types their name and signs in the box (finger, pen or mouse)."""
    return rx.el.section(
        rx.el.h2(t("Customer signature")),
        rx.el.form(
            field(
                t("Customer's name"), rx.el.input(name="signer", id="co-signer", class_name="input")
            ),
            rx.el.canvas(
                id="signature-pad",
                role="img",
                aria_label=t("Signature box: sign here with a finger"),
                class_name="signature-pad",
                on_mount=khs_call("padReady"),
            ),
            rx.el.div(
                rx.el.button(
                    t("Clear"),
                    type="button",
                    on_click=khs_call("padClear"),
                    class_name="btn btn-secondary",
                ),
                rx.el.button(t("Sign"), type="submit", class_name="btn btn-primary"),
                class_name="moves",
            ),
            rx.cond(
                view("changeOrder", "signError") != "",
                rx.el.p(view("changeOrder", "signError"), class_name="field-error", role="alert"),
            ),
            on_submit=khs_call(
                "signChangeOrder", view("changeOrder", "id"), Var("values"), params=("values",)
            ),
            reset_on_submit=False,
            aria_label=t("Customer signature"),
            class_name="field-form",
        ),
        class_name="card",
        aria_label=t("Customer signature"),
    )


def _signed() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("Signed")),
        rx.el.p(view("changeOrder", "signedText")),
        rx.el.svg(
            rx.el.path(
                d=view("changeOrder", "svgPath").to(str),
                fill="none",
                stroke="currentColor",
                stroke_width="2.5",
                stroke_linecap="round",
                stroke_linejoin="round",
            ),
            role="img",
            aria_label=t("The customer's signature"),
            view_box="0 0 340 160",
            class_name="signature-drawn",
        ),
        tag(t("Frozen: a correction is a new change order")),
        class_name="card",
        aria_label=t("Signed"),
    )


def change_order() -> rx.Component:
    return local_shell(
        rx.cond(
            view("changeOrder", "found"), view("changeOrder", "number").to(str), t("Change order")
        ),
        rx.el.div(
            once_bound(
                "changeOrder",
                rx.cond(
                    view("changeOrder", "found"),
                    rx.fragment(
                        _what(),
                        rx.cond(
                            view("changeOrder", "draft"),
                            rx.fragment(_edit(), _sign()),
                            rx.fragment(),
                        ),
                        rx.cond(view("changeOrder", "signed"), _signed()),
                        rx.el.a(
                            t("Back to the job"),
                            href=view("changeOrder", "jobHref").to(str),
                            class_name="btn btn-link",
                        ),
                    ),
                    empty_state(t("This change order is not on this phone.")),
                ),
            ),
            on_mount=bind("changeOrder"),
        ),
        back=True,
    )
