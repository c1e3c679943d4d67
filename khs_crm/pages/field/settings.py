"""/field/settings : the crew member's own settings, changed on the phone (works offline):
the language of the app's words and whether clock-ins carry where they are, saved on the
phone at once and sent to the office as a sync operation (``user``/``update`` ``{language}``
or ``{shareLocation}``) like any other change."""

from __future__ import annotations

import reflex as rx

from khs_crm.offline.shell import account, local_shell, once_bound
from khs_crm.offline.views import bind, field, khs_call
from khs_crm.offline.words import t

# Each language is named in its own words, so a person finds theirs whatever the screen says.
LANGUAGE_CHOICES = (("en", "English"), ("es", "Español"))


def _choice(code: str, name: str) -> rx.Component:
    chosen = field("settings", "language") == code
    return rx.el.button(
        name,
        type="button",
        lang=code,
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=khs_call("setLanguage", code),
        class_name=rx.cond(chosen, "btn btn-primary btn-block", "btn btn-secondary btn-block"),
    )


def _share(share: bool, words: str) -> rx.Component:
    chosen = field("settings", "shareLocation").to(bool) == share
    return rx.el.button(
        words,
        type="button",
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=khs_call("setShareLocation", share),
        class_name=rx.cond(chosen, "btn btn-primary btn-block", "btn btn-secondary btn-block"),
    )


def _location() -> rx.Component:
    """Whether clock-ins and clock-outs carry where the person is (off unless they say so)."""
    return rx.fragment(
        rx.el.h2(t("Location at clock-in"), id="location-heading"),
        rx.el.div(
            _share(True, t("On")),
            _share(False, t("Off")),
            role="group",
            aria_labelledby="location-heading",
            class_name="language-choices",
        ),
        rx.el.p(
            t(
                "When on, clocking in and out adds where you are, to about 100 m, if the phone "
                "finds it within a few seconds. Only you and the office see it."
            ),
            class_name="hint",
        ),
    )


def settings() -> rx.Component:
    return local_shell(
        t("Settings"),
        account(),
        rx.el.section(
            once_bound(
                "settings",
                rx.el.h2(t("Language"), id="language-heading"),
                rx.el.div(
                    *[_choice(code, name) for code, name in LANGUAGE_CHOICES],
                    role="group",
                    aria_labelledby="language-heading",
                    class_name="language-choices",
                ),
                rx.el.p(
                    t("Saved on this phone at once; the office gets it with your other changes."),
                    class_name="hint",
                ),
            ),
            class_name="card",
            aria_label=t("Settings"),
            on_mount=bind("settings"),
        ),
        rx.el.section(
            once_bound("settings", _location()),
            class_name="card",
            aria_label=t("Location at clock-in"),
        ),
        back=True,
    )
