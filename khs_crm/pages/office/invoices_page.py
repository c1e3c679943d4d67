"""/invoices/[invoice_id] : one invoice: its lines and totals, payments, Record payment, send,
the customer link, PDF and void."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm, form_actions, form_error, input_field, messages, modal
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.ui import button, card, empty_state, field
from khs_crm.office.money import METHODS
from khs_crm.pages.office.estimates import doc_status
from khs_crm.pages.office.estimates_actions import link_box
from khs_crm.state.office.invoices_page import InvoiceState

S = InvoiceState


def _actions() -> rx.Component:
    i = S.invoice
    return rx.el.div(
        rx.cond(i.open, button("Record payment", on_click=S.open_payment)),
        rx.cond(
            (i.status == "draft") | (i.status == "sent") | (i.status == "partially_paid"),
            button(
                rx.cond(i.status == "draft", "Send", "Send again"),
                variant="secondary",
                on_click=S.send,
            ),
        ),
        download("Download PDF", i.pdf_href),
        rx.cond(i.link_active, button("Revoke link", variant="danger-outline", on_click=S.revoke)),
        rx.cond(i.voidable, button("Void", variant="danger-outline", on_click=S.ask_void)),
        class_name="actions",
    )


def _line(line: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            line.description,
            rx.cond(line.taxable, "", rx.el.span(" (not taxed)", class_name="muted")),
        ),
        rx.el.td(line.quantity, " ", line.unit, class_name="num"),
        rx.el.td(line.unit_price, class_name="num"),
        rx.el.td(line.amount, class_name="num"),
    )


def _lines() -> rx.Component:
    i = S.invoice
    return card(
        rx.el.h2(i.kind, " invoice", class_name="card-title"),
        rx.el.div(
            rx.el.table(
                rx.el.caption("Invoice lines", class_name="sr-only"),
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th("Description", scope="col"),
                        rx.el.th("Qty", scope="col", class_name="num"),
                        rx.el.th("Unit price", scope="col", class_name="num"),
                        rx.el.th("Amount", scope="col", class_name="num"),
                    )
                ),
                rx.el.tbody(rx.foreach(S.lines, _line)),
                class_name="table table-compact",
            ),
            class_name="table-wrap",
        ),
        rx.el.dl(
            rx.el.dt("Subtotal"),
            rx.el.dd(i.subtotal),
            rx.el.dt("Tax (", i.tax_rate, "%)"),
            rx.el.dd(i.tax),
            rx.el.dt("Total", class_name="strong"),
            rx.el.dd(i.total, class_name="strong"),
            rx.el.dt("Paid"),
            rx.el.dd(i.paid, id="invoice-paid"),
            rx.el.dt("Balance", class_name="strong"),
            rx.el.dd(i.balance, id="invoice-balance", class_name="strong"),
            class_name="money-totals",
        ),
    )


def _payment(p: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(p.when),
        rx.el.td(rx.cond(p.refund, "Refund · ", ""), p.method),
        rx.el.td(p.reference),
        rx.el.td(p.amount, class_name="num"),
    )


def _payments() -> rx.Component:
    return card(
        rx.cond(
            S.payments.length() > 0,
            rx.el.div(
                rx.el.table(
                    rx.el.caption("Payments", class_name="sr-only"),
                    rx.el.thead(
                        rx.el.tr(
                            *[
                                rx.el.th(h, scope="col")
                                for h in ("Received", "Method", "Reference")
                            ],
                            rx.el.th("Amount", scope="col", class_name="num"),
                        )
                    ),
                    rx.el.tbody(rx.foreach(S.payments, _payment)),
                    class_name="table table-compact",
                ),
                class_name="table-wrap",
            ),
            empty_state("No payments yet."),
        ),
        title="Payments",
    )


def _facts() -> rx.Component:
    i = S.invoice
    return card(
        rx.el.dl(
            rx.el.dt("Customer"),
            rx.el.dd(link(i.customer, href="/customers/" + i.customer_id)),
            rx.el.dt("Job"),
            rx.el.dd(link(i.job, href="/jobs/" + i.job_id)),
            rx.el.dt("Due"),
            rx.el.dd(i.due, rx.cond(i.overdue, rx.el.strong(" (overdue)", class_name="overdue"))),
            rx.cond(i.estimate_id != "", rx.el.dt("Estimate")),
            rx.cond(
                i.estimate_id != "",
                rx.el.dd(link("Open the estimate", href="/estimates/" + i.estimate_id)),
            ),
            class_name="facts",
        ),
        rx.cond(i.notes != "", rx.el.p(i.notes, class_name="note-body")),
        title="Invoice",
    )


def _record() -> rx.Component:
    return modal(
        "Record payment",
        rx.el.form(
            form_error(S),
            input_field("Amount", "amount", S.field_errors, input_mode="decimal", auto_focus=True),
            rx.cond(
                S.is_owner,
                rx.el.p("A refund is a negative amount, such as -50.00.", class_name="field-hint"),
            ),
            field(
                "Method",
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in METHODS.items()],
                    name="method",
                    id="f-method",
                    class_name="input",
                ),
            ),
            input_field("Received on", "received_on", S.field_errors, type="date"),
            input_field("Reference", "reference", S.field_errors, hint="Check number, card slip…"),
            form_actions("Record payment", S.close_payment),
            on_submit=S.record_payment,
            aria_label="Record payment",
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
                rx.el.span(" Balance ", i.balance, class_name="muted"),
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
            "Void this invoice?",
            "It stops being owed and its customer link stops working. This cannot be undone.",
            open=S.confirming_void,
            confirm_text="Void invoice",
            on_confirm=S.void,
            on_cancel=S.cancel_void,
        ),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p("This invoice does not exist or was deleted."),
        link("Back to invoices", href="/invoices"),
    )


def invoice_page() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, "Invoice " + S.invoice.number, "Invoice"),
        rx.el.p(link("← Invoices", href="/invoices"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
