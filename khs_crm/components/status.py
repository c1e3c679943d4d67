"""Small labels: a job's status, a role, a count."""

from __future__ import annotations

from typing import Any

import reflex as rx


def status_tag(status: Any, label: Any) -> rx.Component:
    """The job's status as a coloured pill (colour is never the only signal: it has text)."""
    return rx.el.span(label, class_name="pill pill-" + status)


def pill(text: Any, kind: str = "") -> rx.Component:
    return rx.el.span(text, class_name=f"pill {kind}".strip())
