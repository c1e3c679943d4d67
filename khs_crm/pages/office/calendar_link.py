"""Calendar link controls and dialogs, shared by the People and Schedule screens."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import confirm, modal
from khs_crm.components.ui import button
from khs_crm.i18n import N_


def link_buttons(state: Any, user_id: rx.Var, name: rx.Var, has_feed: rx.Var) -> rx.Component:
    """ "Calendar link" (new or replacement) and "Turn off" when one is live."""
    return rx.el.span(
        button(
            rx.cond(has_feed, N_("New calendar link"), N_("Calendar link")),
            variant="link",
            on_click=state.issue_link(user_id, name),
            aria_label=rx.cond(has_feed, N_("New calendar link for "), N_("Calendar link for "))
            + name,
        ),
        rx.cond(
            has_feed,
            button(
                N_("Turn off"),
                variant="link",
                on_click=state.ask_revoke(user_id, name),
                aria_label=N_("Turn off the calendar link of ") + name,
            ),
        ),
        class_name="link-buttons",
    )


def link_dialogs(state: Any) -> rx.Component:
    return rx.fragment(
        modal(
            N_("Calendar link"),
            rx.el.p(
                N_(
                    "Subscribe to this address in a calendar app (Google Calendar: “From URL”; "
                    "Apple Calendar: “New Calendar Subscription”) to see "
                ),
                state.link_for,
                N_("'s jobs. Anyone with the link can read the schedule, so share it only with "),
                state.link_for,
                N_(
                    ". It is shown once; if it leaks, make a new one and the old one stops working."
                ),
            ),
            rx.el.label(
                rx.el.span(N_("Feed address"), class_name="field-label"),
                rx.el.input(
                    value=state.link_url,
                    read_only=True,
                    id="calendar-url",
                    class_name="input mono",
                    auto_focus=True,
                ),
                class_name="field",
            ),
            rx.el.div(button(N_("Done"), on_click=state.close_link), class_name="dialog-actions"),
            open=state.link_url != "",
            on_close=state.close_link,
        ),
        confirm(
            N_("Turn off this calendar link?"),
            N_("Calendars subscribed with ")
            + state.revoking_name
            + N_("'s link stop getting jobs. You can make a new link at any time."),
            open=state.revoking_id != "",
            confirm_text=N_("Turn off"),
            on_confirm=state.revoke_link,
            on_cancel=state.cancel_revoke,
        ),
    )
