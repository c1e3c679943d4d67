"""/settings/company : what the company's estimates and invoices say about it (its logo
included), and their defaults. The owner changes them; an admin reads them."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import (
    form_error,
    input_field,
    labelled_upload,
    messages,
    sending_status,
)
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.ui import button, card
from khs_crm.i18n import N_
from khs_crm.services.money.logo import MAX_LOGO_BYTES, MB
from khs_crm.state.office.company import CompanyState

S = CompanyState
LOGO_UPLOAD = "company-logo"
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


def _logo_picker() -> rx.Component:
    """A real button inside the drop zone: its click (or Enter) opens the file picker; the
    chosen file is sent at once."""
    return labelled_upload(
        rx.upload.root(
            rx.el.button(
                rx.cond(
                    S.sending,
                    N_("Uploading…"),
                    rx.cond(S.logo_url != "", N_("Replace logo…"), N_("Upload logo…")),
                ),
                type="button",
                class_name="btn btn-secondary",
                disabled=S.sending,
            ),
            id=LOGO_UPLOAD,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            multiple=False,
            max_files=1,
            max_size=MAX_LOGO_BYTES,
            no_keyboard=True,
            disabled=S.sending,
            on_drop=[
                S.begin_upload,
                S.upload_logo(
                    rx.upload_files(upload_id=LOGO_UPLOAD, on_upload_progress=S.upload_progress)
                ),
            ],
            on_drop_rejected=S.logo_rejected,
            class_name="upload",
        ),
        N_("Logo image file"),
    )


def _logo() -> rx.Component:
    return card(
        rx.cond(
            S.logo_url != "",
            rx.el.img(src=S.logo_url, alt=N_("The company's logo"), class_name="company-logo"),
            rx.el.p(N_("No logo yet."), class_name="muted"),
        ),
        rx.el.p(
            N_(
                "Printed at the top of estimates and invoices and shown on the customer's "
                "pages. PNG or JPEG, at most {size} MB."
            ).format(size=MAX_LOGO_BYTES // MB),
            class_name="muted small",
        ),
        rx.el.p(S.logo_error, role="alert", class_name="field-error", id="logo-error"),
        rx.cond(
            S.can_edit,
            rx.el.div(
                _logo_picker(),
                rx.cond(
                    S.logo_url != "",
                    button(N_("Remove logo"), variant="danger-outline", on_click=S.remove_logo),
                ),
                sending_status(S, N_("Sending the logo: ")),
                class_name="actions",
            ),
        ),
        title=N_("Logo"),
        aria_label=N_("Logo"),
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
        _logo(),
    )


def company() -> rx.Component:
    return office_shell(N_("Company settings"), rx.cond(S.loaded, _content(), loading()))
