"""The estimate page's buttons: save, send, the customer link, PDF, revise, delete."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm
from khs_crm.components.links import download
from khs_crm.components.ui import button, card
from khs_crm.i18n import N_
from khs_crm.state.office.estimates_editor import EstimateState

S = EstimateState


def actions() -> rx.Component:
    e = S.estimate
    revisable = (e.status == "sent") | (e.status == "declined") | (e.status == "expired")
    return rx.el.div(
        rx.cond(
            S.dirty,
            rx.el.span(N_("Unsaved changes"), class_name="muted small unsaved", role="status"),
        ),
        rx.cond(e.editable, button(N_("Save draft"), variant="secondary", on_click=S.save)),
        rx.cond(
            e.sendable,
            button(rx.cond(e.status == "sent", N_("Send again"), N_("Send")), on_click=S.send),
        ),
        download(N_("Download PDF"), e.pdf_href),
        rx.cond(
            e.link_active,
            button(N_("Revoke link"), variant="danger-outline", on_click=S.revoke),
        ),
        rx.cond(revisable, button(N_("Revise"), variant="secondary", on_click=S.revise)),
        rx.cond(
            e.editable, button(N_("Delete draft"), variant="danger-outline", on_click=S.ask_delete)
        ),
        class_name="actions",
    )


def link_box(state: type[rx.State] = S) -> rx.Component:
    """The customer link, once, after sending: to copy and send to the customer."""
    return rx.cond(
        state.link != "",
        card(
            rx.el.label(
                rx.el.span(N_("Customer link"), class_name="field-label"),
                rx.el.div(
                    rx.el.input(
                        value=state.link,
                        read_only=True,
                        id="customer-link",
                        class_name="input link-input",
                    ),
                    button(
                        N_("Copy link"),
                        variant="secondary",
                        # copied in the browser: a script sent by the server would need
                        # eval, which the security policy refuses
                        on_click=[rx.set_clipboard(state.link), state.link_copied],
                    ),
                    class_name="link-row",
                ),
                class_name="field",
            ),
            rx.el.p(
                N_(
                    "Text or e-mail it to the customer: they open it without signing in. "
                    "It is shown only now; sending again makes a new link."
                ),
                class_name="muted small",
            ),
            class_name="link-card",
        ),
    )


def delete_confirm() -> rx.Component:
    return confirm(
        N_("Delete this draft?"),
        N_("The draft leaves every list; its number stays used, so numbering has no gap."),
        open=S.confirming_delete,
        confirm_text=N_("Delete draft"),
        on_confirm=S.delete,
        on_cancel=S.cancel_delete,
    )
