"""/conflicts : changes from phones that met a newer change in the office; pick one."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.pager import pager
from khs_crm.components.status import pill
from khs_crm.components.ui import button, card, checkbox, empty_state
from khs_crm.i18n import N_
from khs_crm.state.office.review import ConflictsState

S = ConflictsState


def _side(
    c: rx.Var, *, title: str, value: rx.Var, who: rx.Var, at: rx.Var, current: rx.Var, keep: str
):
    return rx.el.div(
        rx.el.h3(title, " ", rx.cond(current, pill(N_("In use now"), "pill-ok"))),
        rx.el.p(value, class_name="value"),
        rx.el.p(N_("Written by "), who, ", ", at, class_name="small muted"),
        rx.cond(
            c.resolved == "",
            button(
                N_("Keep ") + title.lower(),  # the name (with the value) starts with these words
                variant="secondary",
                on_click=S.keep(c.id, keep),
                aria_label=N_("Keep ") + title.lower() + ": " + value,
            ),
        ),
        class_name="side",
    )


def _refused(c: rx.Var) -> rx.Component:
    """Work a phone did that was not applied (its row deleted, or a move refused)."""
    return rx.el.div(
        rx.el.p(c.message, class_name="value"),
        rx.el.p(N_("The crew tried: "), c.tried, class_name="small"),
        rx.el.p(N_("By "), c.client_by, ", ", c.client_when, class_name="small muted"),
        rx.cond(
            c.resolved == "",
            rx.el.div(
                button(
                    c.keep_client_text,
                    variant="secondary",
                    on_click=S.keep(c.id, "client"),
                    aria_label=c.keep_client_text + ": " + c.title,
                ),
                button(
                    N_("Dismiss"),
                    variant="secondary",
                    on_click=S.keep(c.id, "server"),
                    aria_label=N_("Dismiss: ") + c.title,
                ),
                class_name="row-actions",
            ),
        ),
        class_name="refused",
    )


def _sides(c: rx.Var) -> rx.Component:
    return rx.el.div(
        _side(
            c,
            title=N_("Office value"),
            value=c.server_value,
            who=c.server_by,
            at=c.server_when,
            current=c.server_current,
            keep="server",
        ),
        _side(
            c,
            title=N_("Phone value"),
            value=c.client_value,
            who=c.client_by,
            at=c.client_when,
            current=~c.server_current,
            keep="client",
        ),
        class_name="sides",
    )


def _conflict(c: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.cond(
                c.href != "",
                link(c.title, href=c.href, class_name="link strong"),
                rx.el.strong(c.title),
            ),
            rx.cond(c.field != "", rx.el.span(" · ", c.field, class_name="muted")),
            class_name="conflict-head",
        ),
        rx.cond(c.kind == "field", _sides(c), _refused(c)),
        rx.cond(c.resolved != "", rx.el.p(c.resolved, class_name="small muted")),
        class_name="conflict",
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.p(
            N_(
                "When a phone sends a change to something the office changed after the phone last "
                "synced, both values are kept here. Pick the one to keep; the other is dropped. "
                "Work a phone did on something the office had deleted, or a move the office's "
                "rules refused, is here too: restore or apply it, or dismiss it."
            ),
            class_name="muted",
        ),
        rx.el.div(
            checkbox(
                N_("Show settled ones too"),
                checked=S.show_all,
                on_change=S.toggle_all,
                id="show-settled",
            ),
            rx.el.p(
                S.total, rx.cond(S.show_all, N_(" in all"), N_(" to settle")), class_name="muted"
            ),
            class_name="toolbar",
        ),
        messages(S),
        card(
            rx.cond(
                S.rows.length() > 0,
                rx.el.ul(rx.foreach(S.rows, _conflict), class_name="conflicts"),
                empty_state(N_("No conflicts to settle. Every phone agrees with the office.")),
            ),
            pager(S.page, S.pages, S.go, label=N_("conflicts"), total=S.total),
        ),
    )


def conflicts() -> rx.Component:
    return office_shell(N_("Sync conflicts"), rx.cond(S.loaded, _content(), loading()))
