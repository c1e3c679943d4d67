"""/invoices/[invoice_id] : one invoice: its lines and totals, payments, Record payment, send,
the customer link, PDF and void."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm, form_actions, form_error, input_field, messages, modal
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.ui import button, card, empty_state, field, lines_table, scroll_box
from khs_crm.i18n import N_
from khs_crm.office.money import METHODS
from khs_crm.pages.office.estimates import doc_status
from khs_crm.pages.office.estimates_actions import link_box
from khs_crm.state.office.invoices_page import InvoiceState

S = InvoiceState


def _actions() -> rx.Component:
    i = S.invoice
    return rx.el.div(
        rx.cond(i.open, button(N_("Record payment"), on_click=S.open_payment)),
        rx.cond(
            (i.status == "draft") | (i.status == "sent") | (i.status == "partially_paid"),
            button(
                rx.cond(i.status == "draft", N_("Send"), N_("Send again")),
                variant="secondary",
                on_click=S.send,
            ),
        ),
        download(N_("Download PDF"), i.pdf_href),
        rx.cond(
            i.link_active, button(N_("Revoke link"), variant="danger-outline", on_click=S.revoke)
        ),
        rx.cond(i.voidable, button(N_("Void"), variant="danger-outline", on_click=S.ask_void)),
        class_name="actions",
    )


def _line(line: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            line.description,
            rx.cond(line.taxable, "", rx.el.span(N_(" (not taxed)"), class_name="muted")),
        ),
        rx.el.td(line.quantity, " ", line.unit, class_name="num"),
        rx.el.td(line.unit_price, class_name="num"),
        rx.el.td(line.amount, class_name="num"),
    )


def _lines() -> rx.Component:
    i = S.invoice
    return card(
        rx.el.h2(i.kind, N_(" invoice"), class_name="card-title"),
        lines_table(N_("Invoice lines"), N_("Description"), rx.foreach(S.lines, _line)),
        rx.el.dl(
            rx.el.dt(N_("Subtotal")),
            rx.el.dd(i.subtotal),
            rx.el.dt(N_("Tax ("), i.tax_rate, "%)"),
            rx.el.dd(i.tax),
            rx.el.dt(N_("Total"), class_name="strong"),
            rx.el.dd(i.total, class_name="strong"),
            rx.el.dt(N_("Paid")),
            rx.el.dd(i.paid, id="invoice-paid"),
            rx.el.dt(N_("Balance"), class_name="strong"),
            rx.el.dd(i.balance, id="invoice-balance", class_name="strong"),
            class_name="money-totals",
        ),
    )


def _payment(p: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(p.when),
        rx.el.td(rx.cond(p.refund, N_("Refund · "), ""), p.method),
        rx.el.td(p.reference),
        rx.el.td(p.amount, class_name="num"),
    )


def _payments() -> rx.Component:
    return card(
        rx.cond(
            S.payments.length() > 0,
            scroll_box(
                rx.el.table(
                    rx.el.caption(N_("Payments"), class_name="sr-only"),
                    rx.el.thead(
                        rx.el.tr(
                            *[
                                rx.el.th(h, scope="col")
                                for h in (N_("Received"), N_("Method"), N_("Reference"))
                            ],
                            rx.el.th(N_("Amount"), scope="col", class_name="num"),
                        )
                    ),
                    rx.el.tbody(rx.foreach(S.payments, _payment)),
                    class_name="table table-compact",
                ),
                N_("Payments"),
            ),
            empty_state(N_("No payments yet.")),
        ),
        title=N_("Payments"),
    )


def _facts() -> rx.Component:
    i = S.invoice
    return card(
        rx.el.dl(
            rx.el.dt(N_("Customer")),
            rx.el.dd(link(i.customer, href="/customers/" + i.customer_id)),
            rx.el.dt(N_("Job")),
            rx.el.dd(link(i.job, href="/jobs/" + i.job_id)),
            rx.el.dt(N_("Due")),
            rx.el.dd(
                i.due, rx.cond(i.overdue, rx.el.strong(N_(" (overdue)"), class_name="overdue"))
            ),
            rx.cond(i.estimate_id != "", rx.el.dt(N_("Estimate"))),
            rx.cond(
                i.estimate_id != "",
                rx.el.dd(link(N_("Open the estimate"), href="/estimates/" + i.estimate_id)),
            ),
            class_name="facts",
        ),
        rx.cond(i.notes != "", rx.el.p(i.notes, class_name="note-body")),
        title=N_("Invoice"),
    )


def _record() -> rx.Component:
    return modal(
        N_("Record payment"),
        rx.el.form(
            form_error(S),
            input_field(
                N_("Amount"), "amount", S.field_errors, input_mode="decimal", auto_focus=True
            ),
            rx.cond(
                S.is_owner,
                rx.el.p(
                    N_("A refund is a negative amount, such as -50.00."), class_name="field-hint"
                ),
            ),
            field(
                N_("Method"),
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in METHODS.items()],
                    name="method",
                    id="f-method",
                    class_name="input",
                ),
            ),
            input_field(N_("Received on"), "received_on", S.field_errors, type="date"),
            input_field(
                N_("Reference"), "reference", S.field_errors, hint=N_("Check number, card slip…")
            ),
            form_actions(N_("Record payment"), S.close_payment),
            on_submit=S.record_payment,
            aria_label=N_("Record payment"),
            class_name="form",
        ),
        open=S.recording,
        on_close=S.close_payment,
    )


def _found() -> rx.Component:
    i = S.invoice
    return rx.fragment(
        rx.el.div(
            rx.el.p(
                doc_status(rx.cond(i.overdue, "overdue", i.status), i.status_label),
                rx.el.span(N_(" Balance "), i.balance, class_name="muted"),
                class_name="page-subtitle",
            ),
            _actions(),
            class_name="page-head",
        ),
        messages(S, unless=S.recording),
        link_box(S),
        rx.el.div(_facts(), _lines(), _payments(), class_name="money-stack"),
        _record(),
        confirm(
            N_("Void this invoice?"),
            N_("It stops being owed and its customer link stops working. This cannot be undone."),
            open=S.confirming_void,
            confirm_text=N_("Void invoice"),
            on_confirm=S.void,
            on_cancel=S.cancel_void,
        ),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p(N_("This invoice does not exist or was deleted.")),
        link(N_("Back to invoices"), href="/invoices"),
    )


def invoice_page() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, N_("Invoice ") + S.invoice.number, N_("Invoice")),
        rx.el.p(link(N_("← Invoices"), href="/invoices"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
