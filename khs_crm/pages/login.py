"""/login: sign in with email and password (a plain form: works before JS loads)."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.layout import centred
from khs_crm.components.native_form import native_form
from khs_crm.components.ui import banner, card, field, text_input
from khs_crm.state.login import LoginState


def login() -> rx.Component:
    return centred(
        card(
            rx.el.h1("Sign in to KHS CRM"),
            rx.cond(LoginState.error != "", banner(LoginState.error, kind="error")),
            native_form(
                rx.el.input(type="hidden", name="next", value=LoginState.next_path),
                field(
                    "Email",
                    text_input("email", type="email", auto_complete="username", required=True),
                ),
                field(
                    "Password",
                    text_input(
                        "password", type="password", auto_complete="current-password", required=True
                    ),
                ),
                rx.el.button("Sign in", type="submit", class_name="btn btn-primary btn-block"),
                action="/api/auth/session/form",
                method="post",
            ),
            class_name="auth-card",
        )
    )
