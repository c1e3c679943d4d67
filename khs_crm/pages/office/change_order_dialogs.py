"""The change order page's dialogs: Price (a unit price for each signed line, the tax rate
and the running totals) and Reject (with a reason)."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import form_actions, form_error, modal, textarea_field
from khs_crm.components.ui import field
from khs_crm.i18n import N_
from khs_crm.state.office.change_order import REASON_LIMIT, ChangeOrderState

S = ChangeOrderState


def _price_cell(line: rx.Var, index: rx.Var) -> rx.Component:
    number = line.number.to_string()
    error = S.field_errors.to(dict[str, str]).get("price_" + number, "")
    live = S.priced_lines[index].problem
    said = rx.cond(error != "", error, live)
    return rx.el.td(
        rx.el.input(
            name="price_" + number,
            default_value=S.prices.to(dict[str, str]).get(number, ""),
            on_blur=lambda value: S.set_price(number, value),
            input_mode="decimal",
            placeholder="0.00",
            aria_label=N_("Unit price, line ") + number,
            aria_invalid=rx.cond(said != "", "true", "false"),
            class_name="input input-cell",
        ),
        rx.cond(said != "", rx.el.span(said, class_name="field-error", role="alert")),
        class_name="num",
    )


def _price_row(line: rx.Var, index: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(line.description, rx.el.div(line.kind_label, class_name="small muted")),
        rx.el.td(line.quantity, " ", line.unit, class_name="num"),
        _price_cell(line, index),
        rx.el.td(S.priced_lines[index].amount, class_name="num"),
    )


def _price_totals() -> rx.Component:
    t = S.totals
    return rx.el.div(
        field(
            N_("Tax rate (%)"),
            rx.el.input(
                name="tax_rate",
                default_value=S.rate,
                on_blur=S.set_rate,
                input_mode="decimal",
                id="co-tax-rate",
                class_name="input input-pct",
            ),
            error=S.field_errors.to(dict[str, str]).get("tax_rate", ""),
        ),
        rx.el.div(
            rx.el.dl(
                rx.el.dt(N_("Subtotal")),
                rx.el.dd(t.subtotal),
                rx.el.dt(N_("Tax")),
                rx.el.dd(t.tax),
                rx.el.dt(N_("Total"), class_name="strong"),
                rx.el.dd(t.total, class_name="strong", id="co-price-total"),
                class_name="money-totals",
            ),
            role="status",
            aria_label=N_("Totals"),
        ),
        class_name="money-foot",
    )


def price_dialog() -> rx.Component:
    return modal(
        N_("Price this change order"),
        rx.el.form(
            rx.el.p(
                N_(
                    "The customer signed for this work at a price the office confirms. Enter a "
                    "unit price for each line: a priced copy gets its own number and a link "
                    "for the customer to approve."
                ),
                class_name="small",
            ),
            form_error(S),
            rx.el.div(
                rx.el.table(
                    rx.el.caption(N_("Prices"), class_name="sr-only"),
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th(N_("Work or material"), scope="col"),
                            rx.el.th(N_("Qty"), scope="col", class_name="num"),
                            rx.el.th(N_("Unit price ($)"), scope="col", class_name="num"),
                            rx.el.th(N_("Amount"), scope="col", class_name="num"),
                        )
                    ),
                    rx.el.tbody(rx.foreach(S.lines, _price_row)),
                    class_name="table table-compact chg-price-lines",
                ),
                class_name="table-wrap",
            ),
            _price_totals(),
            form_actions(N_("Price and make the link"), S.close_price),
            on_submit=S.price,
            aria_label=N_("Price this change order"),
            class_name="form",
        ),
        open=S.pricing,
        on_close=S.close_price,
        wide=True,
    )


def reject_dialog() -> rx.Component:
    return modal(
        N_("Reject this change order?"),
        rx.el.form(
            rx.el.p(
                N_(
                    "It does not add to the job's value, and a customer link stops working. "
                    "A correction is a new change order."
                )
            ),
            form_error(S),
            textarea_field(
                N_("Reason (optional)"), "reason", S.field_errors, rows=3, limit=REASON_LIMIT
            ),
            form_actions(N_("Reject"), S.close_reject, danger=True),
            on_submit=S.reject,
            aria_label=N_("Reject this change order"),
            class_name="form",
        ),
        open=S.rejecting,
        on_close=S.close_reject,
    )
