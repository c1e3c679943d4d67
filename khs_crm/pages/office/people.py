"""/people : everyone who signs in: add, change role, deactivate, reset password."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import (
    confirm,
    form_actions,
    form_error,
    input_field,
    messages,
    modal,
)
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.pager import pager
from khs_crm.components.status import pill
from khs_crm.components.ui import button, card, field
from khs_crm.i18n import N_
from khs_crm.pages.office.calendar_link import link_buttons, link_dialogs
from khs_crm.pages.office.people_pricers import pricer_switch
from khs_crm.pages.office.timesheets_costs import cost_cell, cost_dialog, cost_header
from khs_crm.state.office.people import PeopleState

S = PeopleState


def _picker(options: rx.Var, value: rx.Var, on_change, label: rx.Var) -> rx.Component:
    return rx.el.select(
        rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value)),
        value=value,
        on_change=on_change,
        aria_label=label,
        class_name="input input-small",
    )


def _role(u: rx.Var) -> rx.Component:
    """A role picker, or the plain role where the rules leave this user nothing to choose;
    under a worker's, whether they may price change orders (the owner decides)."""
    return rx.fragment(
        rx.cond(
            u.manageable & ~u.is_self & (S.roles.length() > 1),
            _picker(
                S.roles, u.role, lambda role: S.change_role(u.id, role), N_("Role of ") + u.name
            ),
            pill(u.role, "pill-role"),
        ),
        pricer_switch(S, u),
    )


def _language(u: rx.Var) -> rx.Component:
    """The language the person reads the app in; a picker where the actor may manage them."""
    return rx.cond(
        u.manageable,
        _picker(
            S.languages,
            u.language,
            lambda language: S.change_language(u.id, language),
            N_("Language of ") + u.name,
        ),
        rx.el.span(u.language_name, class_name="small"),
    )


def _actions(u: rx.Var) -> rx.Component:
    return rx.cond(
        u.manageable,
        rx.el.div(
            rx.cond(
                u.active,
                rx.cond(
                    ~u.is_self,
                    button(
                        N_("Deactivate"),
                        variant="link",
                        on_click=S.ask("deactivate", u.id, u.name),
                        aria_label=N_("Deactivate ") + u.name,
                    ),
                ),
                button(
                    N_("Reactivate"),
                    variant="link",
                    on_click=S.reactivate(u.id),
                    aria_label=N_("Reactivate ") + u.name,
                ),
            ),
            button(
                N_("Reset password"),
                variant="link",
                on_click=S.ask("password", u.id, u.name),
                aria_label=N_("Reset password of ") + u.name,
            ),
            rx.cond(u.active, link_buttons(S, u.id, u.name, u.has_feed)),
            class_name="row-actions",
        ),
        rx.el.span(N_("Only an owner can change an admin or an owner."), class_name="small muted"),
    )


def _row(u: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.el.div(
                u.name,
                rx.cond(u.is_self, rx.el.span(N_(" (you)"), class_name="you")),
                class_name="strong",
            ),
            rx.el.div(u.email, class_name="small"),
        ),
        rx.el.td(_role(u)),
        rx.el.td(_language(u)),
        rx.el.td(
            rx.cond(u.active, pill(N_("Active"), "pill-ok"), pill(N_("Deactivated"), "pill-off"))
        ),
        cost_cell(S, u),
        rx.el.td(_actions(u)),
        key=u.id,
        class_name=rx.cond(u.active, "", "inactive"),
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("People"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col")
                        for h in (N_("Person"), N_("Role"), N_("Language"), N_("Sign-in"))
                    ],
                    cost_header(S),
                    rx.el.th(rx.el.span(N_("Actions"), class_name="sr-only"), scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table",
        ),
        class_name="table-wrap",
    )


def _add_form() -> rx.Component:
    return modal(
        N_("Add a person"),
        rx.el.form(
            form_error(S),
            input_field(N_("Name"), "name", S.field_errors, auto_focus=True),
            input_field(N_("Email"), "email", S.field_errors, auto_complete="off"),
            field(
                N_("Role"),
                rx.el.select(
                    rx.foreach(S.roles, lambda r: rx.el.option(r.label, value=r.value)),
                    name="role",
                    id="f-role",
                    class_name="input",
                ),
            ),
            input_field(
                N_("First password"),
                "password",
                S.field_errors,
                type="password",
                auto_complete="new-password",
                hint=N_("Tell them in person; they can keep it or ask you for a new one."),
            ),
            form_actions(N_("Add person"), S.close_add),
            on_submit=S.add,
            aria_label=N_("Add a person"),
            class_name="form",
        ),
        open=S.adding,
        on_close=S.close_add,
    )


def _password_form() -> rx.Component:
    return modal(
        N_("Reset password"),
        rx.el.form(
            rx.el.p(
                N_("Set a new password for "),
                rx.el.strong(S.target_name),
                N_(". They are signed out on every device."),
            ),
            form_error(S),
            input_field(
                N_("New password"),
                "password",
                S.field_errors,
                type="password",
                auto_complete="new-password",
                auto_focus=True,
                id="f-new-password",
            ),
            form_actions(N_("Set password"), S.close_dialog),
            on_submit=S.reset_password,
            aria_label=N_("Reset password"),
            class_name="form",
        ),
        open=S.dialog == "password",
        on_close=S.close_dialog,
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            button(N_("Add a person"), on_click=S.open_add),
            rx.el.p(S.total, N_(" people"), class_name="muted"),
            class_name="toolbar",
        ),
        messages(S, unless=S.adding | (S.dialog == "password") | S.cost_open),
        card(_table(), pager(S.page, S.pages, S.go, label=N_("people")), class_name="card-flush"),
        _add_form(),
        _password_form(),
        confirm(
            N_("Deactivate this person?"),
            S.target_name
            + N_(
                " is signed out everywhere at once and cannot sign in until "
                "reactivated. Their jobs and history stay."
            ),
            open=S.dialog == "deactivate",
            confirm_text=N_("Deactivate"),
            on_confirm=S.deactivate,
            on_cancel=S.close_dialog,
        ),
        confirm(
            N_("Make this person an owner?"),
            N_(
                "An owner can do everything: delete customers and jobs, see every price, and "
                "add, change or deactivate anyone, other owners included. Make "
            )
            + S.target_name
            + N_(" an owner?"),
            open=S.dialog == "owner",
            confirm_text=N_("Make owner"),
            on_confirm=S.change_role(S.target_id, "owner"),
            on_cancel=S.close_dialog,
        ),
        link_dialogs(S),
        cost_dialog(S),
    )


def people() -> rx.Component:
    return office_shell(N_("People"), rx.cond(S.loaded, _content(), loading()))
