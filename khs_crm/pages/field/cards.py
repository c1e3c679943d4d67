"""Pieces the field screens share: a job card and small tags."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.offline.words import t


def tag(text: Var | str, kind: str = "") -> rx.Component:
    return rx.el.span(text, class_name=f"tag {kind}".strip())


def pending_tag(item: Var) -> rx.Component:
    return rx.cond(item["pending"], tag(t("Not sent yet"), "tag-pending"))


def contact_links(job: Var) -> rx.Component:
    """Tap-to-call and the site address as a map link (both 48 px targets)."""
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


def job_card(job: Var) -> rx.Component:
    return rx.el.article(
        rx.el.h2(rx.el.a(job["title"], href=job["href"], class_name="job-link")),
        rx.el.div(
            job["customerName"], " · ", job["when"], " · ", job["statusLabel"], class_name="job-sub"
        ),
        contact_links(job),
        rx.el.div(
            rx.cond(job["toBuy"] != "", tag(job["toBuy"])),
            pending_tag(job),
            class_name="tags",
        ),
        class_name="job-item",
    )
