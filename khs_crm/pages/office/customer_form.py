"""The customer form, for adding (on /customers) and editing (on a customer's page)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import (
    form_actions,
    form_error,
    input_field,
    modal,
    textarea_field,
)
from khs_crm.i18n import N_
from khs_crm.office.limits import max_length
from khs_crm.services.customers.schemas import CustomerCreate


def customer_form(
    *,
    title: str,
    open: Any,
    on_submit: Any,
    on_cancel: Any,
    state: Any,
    values: Any = None,
    submit: Any = N_("Save customer"),
    warning: rx.Component | None = None,
) -> rx.Component:
    """Name, phone, email, address and notes; each field shows the rule it broke."""

    def value(name: str) -> Any:
        return getattr(values, name) if values is not None else ""

    return modal(
        title,
        rx.el.form(
            form_error(state),
            warning if warning is not None else rx.fragment(),
            input_field(
                N_("Name"),
                "name",
                state.field_errors,
                default_value=value("name"),
                auto_focus=True,
                auto_complete="off",
                max_length=max_length(CustomerCreate, "name"),
            ),
            rx.el.div(
                input_field(
                    N_("Phone"),
                    "phone",
                    state.field_errors,
                    type="tel",
                    default_value=value("phone"),
                    hint=N_("Any format, e.g. (512) 555-0101"),
                ),
                input_field(
                    N_("Email"),
                    "email",
                    state.field_errors,
                    type="text",
                    default_value=value("email"),
                ),
                class_name="form-row",
            ),
            input_field(
                N_("Address"), "address", state.field_errors, default_value=value("address")
            ),
            textarea_field(
                N_("Notes"),
                "notes",
                state.field_errors,
                rows=3,
                default_value=value("notes"),
                limit=max_length(CustomerCreate, "notes"),
            ),
            form_actions(submit, on_cancel),
            on_submit=on_submit,
            aria_label=title,
            class_name="form",
        ),
        open=open,
        on_close=on_cancel,
    )
