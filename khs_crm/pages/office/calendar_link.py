"""Calendar link controls and dialogs, shared by the People and Schedule screens."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import confirm, modal
from khs_crm.components.ui import button


def link_buttons(state: Any, user_id: rx.Var, name: rx.Var, has_feed: rx.Var) -> rx.Component:
    """ "Calendar link" (new or replacement) and "Turn off" when one is live."""
    return rx.el.span(
        button(
            rx.cond(has_feed, "New calendar link", "Calendar link"),
            variant="link",
            on_click=state.issue_link(user_id, name),
            aria_label=rx.cond(has_feed, "New calendar link for ", "Calendar link for ") + name,
        ),
        rx.cond(
            has_feed,
            button(
                "Turn off",
                variant="link",
                on_click=state.ask_revoke(user_id, name),
                aria_label="Turn off the calendar link of " + name,
            ),
        ),
        class_name="link-buttons",
    )


def link_dialogs(state: Any) -> rx.Component:
    return rx.fragment(
        modal(
            "Calendar link",
            rx.el.p(
                "Subscribe to this address in a calendar app (Google Calendar: “From URL”; "
                "Apple Calendar: “New Calendar Subscription”) to see ",
                state.link_for,
                "'s jobs. Anyone with the link can read the schedule, so share it only with ",
                state.link_for,
                ". It is shown once; if it leaks, make a new one and the old one stops working.",
            ),
            rx.el.label(
                rx.el.span("Feed address", class_name="field-label"),
                rx.el.input(
                    value=state.link_url,
                    read_only=True,
                    id="calendar-url",
                    class_name="input mono",
                    auto_focus=True,
                ),
                class_name="field",
            ),
            rx.el.div(button("Done", on_click=state.close_link), class_name="dialog-actions"),
            open=state.link_url != "",
            on_close=state.close_link,
        ),
        confirm(
            "Turn off this calendar link?",
            "Calendars subscribed with "
            + state.revoking_name
            + "'s link stop getting jobs. You can make a new link at any time.",
            open=state.revoking_id != "",
            confirm_text="Turn off",
            on_confirm=state.revoke_link,
            on_cancel=state.cancel_revoke,
        ),
    )
