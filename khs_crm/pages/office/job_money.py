"""The job page's money card: approved value, invoiced, paid, balance, materials cost and
margin; the job's estimates and invoices; New estimate; invoices from the approved one."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.links import link
from khs_crm.components.ui import button, card
from khs_crm.i18n import N_
from khs_crm.state.office.money_job import JobMoneyState

M = JobMoneyState


def _figure(label: str, value: rx.Var, extra: str = "") -> rx.Component:
    return rx.el.div(rx.el.dt(label), rx.el.dd(value, class_name=extra), class_name="money-figure")


def _approved() -> rx.Component:
    """The approved value, and once change orders add to it, its two parts."""
    m = M.money
    return rx.el.div(
        rx.el.dt(N_("Approved value")),
        rx.el.dd(m.approved_value),
        rx.cond(
            m.has_change_orders,
            rx.el.dd(
                N_("approved estimate "),
                m.approved_estimate,
                N_(" + change orders "),
                m.change_orders,
                class_name="money-parts",
            ),
        ),
        class_name="money-figure",
    )


def _doc(d: rx.Var) -> rx.Component:
    return rx.el.li(
        link(d.number, href=d.href, class_name="link strong"),
        rx.el.span(" ", d.what, " · ", d.status_label, " · ", d.total, class_name="muted"),
    )


def _bill() -> rx.Component:
    m = M.money
    return rx.el.div(
        rx.el.p(N_("Bill the approved estimate "), m.approved_number, ":", class_name="small"),
        rx.el.div(
            button(
                N_("Deposit invoice ("),
                m.deposit_percent,
                "%)",
                variant="secondary",
                on_click=M.new_invoice("deposit"),
            ),
            rx.el.label(
                rx.el.span(N_("Progress share (%)"), class_name="sr-only"),
                rx.el.input(
                    on_blur=M.set_percent,
                    input_mode="decimal",
                    placeholder="%",
                    class_name="input input-pct",
                    id="invoice-percent",
                ),
            ),
            button(N_("Progress invoice"), variant="secondary", on_click=M.new_invoice("progress")),
            button(N_("Final invoice"), variant="secondary", on_click=M.new_invoice("final")),
            class_name="actions",
        ),
        role="group",
        aria_label=N_("New invoice"),
        class_name="money-bill",
    )


def money_card() -> rx.Component:
    m = M.money
    return card(
        messages(M),
        rx.el.dl(
            _approved(),
            _figure(N_("Invoiced"), m.invoiced),
            _figure(N_("Paid"), m.paid),
            _figure(N_("Balance"), m.balance),
            _figure(N_("Materials cost"), m.materials_cost),
            _figure(N_("Margin"), m.margin, rx.cond(m.negative_margin, "negative", "")),
            class_name="money-figures",
        ),
        rx.el.div(
            button(N_("New estimate"), variant="secondary", on_click=M.new_estimate(False)),
            button(
                N_("New estimate from materials"),
                variant="secondary",
                on_click=M.new_estimate(True),
            ),
            class_name="actions",
        ),
        rx.cond(m.approved_estimate_id != "", _bill()),
        rx.cond(
            (M.estimates.length() > 0) | (M.invoices.length() > 0),
            rx.el.ul(
                rx.foreach(M.estimates, _doc), rx.foreach(M.invoices, _doc), class_name="money-docs"
            ),
        ),
        title=N_("Money"),
        aria_label=N_("Money"),
    )
