"""The field app's page frame, rendered from the device's data (works with no connection).

Unlike ``components.layout.field_shell`` it reads nothing from server state: the user's
name, the offline banner and the "new version" notice come from the ``status`` view.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.layout import sign_out
from khs_crm.offline.pwa import FIELD_MODULES
from khs_crm.offline.views import bind, field, khs_call
from khs_crm.offline.words import t

# Inline SVG paths (24×24, stroked) for the bottom navigation: no icon font to download.
ICONS = {
    "today": (
        "M8 2v4M16 2v4M3 9h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6"
        "a2 2 0 0 1 2-2Z"
    ),
    "jobs": "M9 4h6v3H9zM7 5H5v16h14V5h-2M8 12h8M8 16h5",
    "supply": (
        "M3 4h2l2.4 11h11.2L21 8H6.2M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
        "M18 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
    ),
    "sync": "M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9M18 3v4h-4M6 21v-4h4",
    "back": "M15 5l-7 7 7 7",
    "offline": "M2 2l20 20M6 8a6 6 0 0 0 0 12h11M10.5 5.2A6 6 0 0 1 18 10a4 4 0 0 1 3 6.6",
    "alert": "M12 3l10 18H2L12 3ZM12 10v5M12 18h.01",
    "settings": (
        "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8"
        "l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1"
        "-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0"
        "-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8"
        "-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5"
        " 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0"
        " 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z"
    ),
}
# The bottom navigation: (key, words, route).
FIELD_NAV = (
    ("today", t("Today"), "/field"),
    ("jobs", t("Jobs"), "/field/jobs"),
    ("supply", t("Supply run"), "/field/supply"),
    ("sync", t("Sync"), "/field/sync"),
)


def icon(name: str) -> rx.Component:
    return rx.el.svg(
        rx.el.path(d=ICONS[name]),
        view_box="0 0 24 24",
        width="24",
        height="24",
        fill="none",
        stroke="currentColor",
        stroke_width="2",
        stroke_linecap="round",
        stroke_linejoin="round",
        aria_hidden="true",
        class_name="icon",
    )


def _tab(key: str, text: Var, href: str, active: str) -> rx.Component:
    """A bottom-navigation tab; the screen's own tab is marked (colour and aria-current)."""
    current = {"aria_current": "page"} if key == active else {}
    return rx.el.a(icon(key), rx.el.span(text), href=href, class_name="nav-link", **current)


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


def _settings_link() -> rx.Component:
    """The way to Settings (language, who is signed in, sign out): an icon, so the screen's
    name keeps the header."""
    return rx.el.a(
        icon("settings"),
        href="/field/settings",
        aria_label=t("Settings"),
        class_name="btn btn-icon",
    )


def account() -> rx.Component:
    """Who is signed in on this phone, and the way out (Settings)."""
    return rx.el.section(
        rx.el.h2(t("Signed in as"), " ", field("status", "userName")),
        sign_out(t("Sign out")),
        class_name="card",
        aria_label=t("Account"),
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


def _strip() -> rx.Component:
    """The state of the phone's work, in the page's flow under the header (it never covers
    anything): amber while offline or the office cannot be reached, red when something needs
    the person, with the way to the Sync screen. Its counts are the Sync screen's."""
    kind = field("status", "bannerKind")
    return rx.cond(
        field("status", "showBanner"),
        rx.el.div(
            rx.cond(kind == "attention", icon("alert"), icon("offline")),
            rx.el.span(field("status", "bannerText")),
            rx.cond(
                field("status", "bannerLink"),
                rx.el.a(t("Open Sync"), href="/field/sync", class_name="strip-link"),
            ),
            class_name=rx.cond(kind == "attention", "field-strip strip-attention", "field-strip"),
            role="status",
        ),
    )


def _clock() -> rx.Component:
    """While clocked in, on every screen: the job, the time worked (counting), Break / Back
    to work and Clock out; what a switch of jobs did, once."""
    running = field("clock", "running")
    return rx.fragment(
        rx.cond(
            field("clock", "notice") != "",
            rx.el.p(field("clock", "notice"), class_name="clock-notice", role="status"),
        ),
        rx.cond(
            running,
            rx.el.div(
                rx.el.a(
                    rx.el.span(field("clock", "text"), class_name="clock-text"),
                    rx.el.span(field("clock", "since"), class_name="clock-since"),
                    href=field("clock", "jobHref").to(str),
                    class_name="clock-job",
                ),
                rx.el.div(
                    rx.el.button(
                        field("clock", "breakLabel"),
                        type="button",
                        on_click=khs_call("toggleBreak"),
                        class_name="btn btn-secondary",
                    ),
                    rx.el.button(
                        t("Clock out"),
                        type="button",
                        on_click=khs_call("clockOut"),
                        class_name="btn btn-primary",
                    ),
                    class_name="clock-actions",
                ),
                class_name=rx.cond(
                    field("clock", "onBreak"), "clock-strip on-break", "clock-strip"
                ),
                role="region",
                aria_label=t("Time clock"),
            ),
        ),
        rx.cond(field("clock", "askLocation"), _ask_location()),
    )


def _ask_location() -> rx.Component:
    """Asked once, right after the person's first clock-in (assets/khs_clock.js): the punch
    is already saved, so the answer never holds it up."""
    answer = "btn btn-secondary"
    return rx.el.div(
        rx.el.p(
            t("Add your location to clock-ins? You can change this in Settings."),
            id="ask-location-text",
        ),
        rx.el.div(
            rx.el.button(
                t("Yes"),
                type="button",
                on_click=khs_call("setShareLocation", True),
                class_name=answer,
            ),
            rx.el.button(
                t("No"),
                type="button",
                on_click=khs_call("setShareLocation", False),
                class_name=answer,
            ),
            class_name="clock-actions",
        ),
        role="group",
        aria_labelledby="ask-location-text",
        class_name="clock-ask",
    )


def _back() -> rx.Component:
    return rx.el.button(
        icon("back"),
        type="button",
        aria_label=t("Back"),
        on_click=khs_call("back"),
        class_name="btn btn-icon back-button",
    )


def local_shell(
    title: Var, *children: rx.Component, active: str = "", back: bool = False
) -> rx.Component:
    """Header (a back arrow on inner screens), the state strip, content (once the device
    data is loaded), bottom navigation with ``active``'s tab marked."""
    return rx.el.div(
        rx.el.header(
            rx.el.div(
                _back() if back else rx.fragment(),
                rx.el.h1(title),
                class_name="header-title",
            ),
            rx.cond(field("status", "signedIn"), _settings_link()),
            class_name="field-header",
        ),
        _update_notice(),
        _strip(),
        _clock(),
        rx.el.main(
            rx.cond(
                field("status", "ready"),
                rx.cond(field("status", "signedIn"), rx.fragment(*children), signed_out_notice()),
                loading(),
            ),
            class_name="field-main",
        ),
        rx.el.nav(
            *[_tab(key, text, href, active) for key, text, href in FIELD_NAV],
            class_name="bottom-nav",
            aria_label=t("Field"),
        ),
        # React puts these in <head>; the prerendered page has them there for the browser.
        *[rx.el.link(rel="modulepreload", href=module) for module in FIELD_MODULES],
        class_name="field-shell",
        on_mount=bind("words", "status", "clock"),
    )
