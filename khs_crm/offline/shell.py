"""The field app's page frame, rendered from the device's data (works with no connection).

Unlike ``components.layout.field_shell`` it reads nothing from server state: the user's
name, the offline banner and the "new version" notice come from the ``status`` view.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.layout import sign_out
from khs_crm.components.ui import nav_link
from khs_crm.offline.views import bind, field, khs_call
from khs_crm.offline.words import t

# The bottom navigation: (words, route).
FIELD_NAV = (
    (t("Today"), "/field"),
    (t("Jobs"), "/field/jobs"),
    (t("Supply run"), "/field/supply"),
    (t("Sync"), "/field/sync"),
)


def loading() -> rx.Component:
    return rx.el.p(field("status", "loadingText"), class_name="empty", role="status")


def once_bound(view: str, *children: rx.Component) -> rx.Component:
    """The screen's content once the store has filled ``view``; "Loading…" until then."""
    return rx.cond(field(view, "bound"), rx.fragment(*children), loading())


def signed_out_notice() -> rx.Component:
    return rx.el.div(
        rx.el.p(t("Nothing is saved on this phone yet.")),
        rx.el.p(t("Sign in while you have a connection to download your jobs.")),
        rx.el.a(t("Sign in"), href="/login?next=/field", class_name="btn btn-primary"),
        class_name="empty",
        role="status",
    )


def _user_box() -> rx.Component:
    return rx.el.div(
        rx.el.span(field("status", "userName"), class_name="user-name"),
        rx.el.a(t("Settings"), href="/field/settings", class_name="btn btn-link"),
        sign_out(t("Sign out")),
        class_name="user-box",
    )


def _update_notice() -> rx.Component:
    return rx.cond(
        field("status", "updateReady"),
        rx.el.div(
            rx.el.span(t("A new version of the app is ready.")),
            rx.el.button(
                t("Reload"),
                type="button",
                class_name="btn btn-primary",
                on_click=khs_call("applyUpdate"),
            ),
            class_name="update-banner",
            role="status",
        ),
    )


def _banner() -> rx.Component:
    return rx.cond(
        field("status", "showBanner"),
        rx.el.div(
            field("status", "bannerText"),
            class_name="offline-banner field-banner",
            role="status",
        ),
    )


def local_shell(title: Var, *children: rx.Component) -> rx.Component:
    """Header, content (once the device data is loaded), banner, bottom navigation."""
    return rx.el.div(
        rx.el.header(
            rx.el.h1(title),
            rx.cond(field("status", "signedIn"), _user_box()),
            class_name="field-header",
        ),
        _update_notice(),
        rx.el.main(
            rx.cond(
                field("status", "ready"),
                rx.cond(field("status", "signedIn"), rx.fragment(*children), signed_out_notice()),
                loading(),
            ),
            class_name="field-main",
        ),
        _banner(),
        rx.el.nav(
            *[nav_link(text, href) for text, href in FIELD_NAV],
            class_name="bottom-nav",
            aria_label=t("Field"),
        ),
        class_name="field-shell",
        on_mount=bind("words", "status"),
    )
