"""Pieces the field screens share: a job card and small tags."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.offline.views import khs_call
from khs_crm.offline.words import t


def tag(text: Var | str, kind: str = "") -> rx.Component:
    return rx.el.span(text, class_name=f"tag {kind}".strip())


def pending_tag(item: Var) -> rx.Component:
    return rx.cond(item["pending"], tag(t("Not sent yet"), "tag-pending"))


def contact_links(job: Var) -> rx.Component:
    """Tap-to-call and the site address as a map link, as their own buttons (48 px), above
    the card's link to the job."""
    return rx.el.div(
        rx.cond(
            job["telHref"] != "",
            rx.el.a(
                job["callText"],
                href=job["telHref"],
                aria_label=job["callLabel"],
                class_name="btn btn-secondary",
            ),
        ),
        rx.cond(
            job["mapHref"] != "",
            rx.el.a(
                job["address"],
                href=job["mapHref"],
                target="_blank",
                rel="noopener",
                aria_label=job["mapLabel"],
                class_name="map-link",
            ),
        ),
        class_name="job-meta",
    )


def clock_in(job: Var) -> rx.Component:
    """Clock in on this job (a big button; once in, it says so and does nothing)."""
    return rx.el.div(
        rx.el.button(
            job["clockLabel"],
            type="button",
            aria_label=job["clockAria"],
            aria_pressed=rx.cond(job["clockedIn"], "true", "false"),
            on_click=khs_call("clockIn", job["id"]),
            class_name=rx.cond(
                job["clockedIn"], "btn btn-secondary clock-in is-in", "btn btn-primary clock-in"
            ),
        ),
        class_name="job-clock",
    )


def job_card(job: Var) -> rx.Component:
    """A job: a tap anywhere on the card opens it (its title's link is stretched over the
    card), Call and Map are buttons of their own above that link; nothing is nested."""
    return rx.el.article(
        rx.el.h3(rx.el.a(job["title"], href=job["href"], class_name="job-link stretched")),
        rx.el.div(
            job["customerName"], " · ", job["when"], " · ", job["statusLabel"], class_name="job-sub"
        ),
        contact_links(job),
        clock_in(job),
        rx.el.div(
            rx.cond(job["toBuy"] != "", tag(job["toBuy"])),
            pending_tag(job),
            class_name="tags",
        ),
        class_name="job-item",
    )
