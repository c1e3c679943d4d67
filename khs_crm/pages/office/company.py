"""/settings/company : what the company's estimates and invoices say about it, and their
defaults. The owner changes them; an admin reads them."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import form_error, input_field, messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.ui import card
from khs_crm.i18n import N_
from khs_crm.state.office.company import CompanyState

S = CompanyState
GROUPS = (
    (
        N_("Company"),
        (
            (N_("Company name"), "name", ""),
            (N_("Address"), "address", ""),
            (N_("Phone"), "phone", ""),
        ),
    ),
    (
        N_("Defaults"),
        (
            (N_("Default tax rate (%)"), "default_tax_rate", N_("Such as 8.25")),
            (N_("Estimates valid for (days)"), "estimate_valid_days", ""),
            (
                N_("Payment terms (days)"),
                "payment_terms_days",
                N_("An invoice is due this many days after it is made"),
            ),
            (N_("Deposit (% of the estimate)"), "deposit_percent", ""),
        ),
    ),
    (
        N_("Numbering"),
        (
            (N_("Estimate prefix"), "estimate_prefix", N_("E- gives E-0001")),
            (N_("Invoice prefix"), "invoice_prefix", N_("INV- gives INV-0001")),
        ),
    ),
)


def _group(title: str, fields: tuple[tuple[str, str, str], ...]) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(title, class_name="card-title"),
        *[
            input_field(
                label,
                name,
                S.field_errors,
                hint=hint,
                default_value=getattr(S.company, name),
                read_only=~S.can_edit,
            )
            for label, name, hint in fields
        ],
        class_name="form-group",
    )


def _content() -> rx.Component:
    return rx.fragment(
        messages(S),
        rx.cond(
            ~S.can_edit,
            rx.el.p(
                N_("Only the owner can change these settings."), class_name="banner banner-info"
            ),
        ),
        card(
            rx.el.form(
                form_error(S),
                *[_group(title, fields) for title, fields in GROUPS],
                rx.cond(
                    S.can_edit,
                    rx.el.div(
                        rx.el.button(
                            N_("Save settings"), type="submit", class_name="btn btn-primary"
                        ),
                        class_name="form-actions",
                    ),
                ),
                on_submit=S.save,
                key=S.saved,
                aria_label=N_("Company settings"),
                class_name="form company-form",
            ),
        ),
    )


def company() -> rx.Component:
    return office_shell(N_("Company settings"), rx.cond(S.loaded, _content(), loading()))
