"""Inline SVG icons (24×24, stroked in the text colour): no icon font to download, and each
one decorative (``aria-hidden``), so the link or button beside it keeps its words."""

from __future__ import annotations

import reflex as rx

# The office sidebar, by route: what the icon-only sidebar shows at laptop widths.
OFFICE_ICONS = {
    "/": "M3 12l9-8 9 8M5 10v10h5v-6h4v6h5V10",
    "/customers": (
        "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1"
        "M16 3.5a4 4 0 0 1 0 7M22 21v-1a6 6 0 0 0-4-5.7"
    ),
    "/jobs": "M9 4h6v3H9zM7 5H5v16h14V5h-2M8 12h8M8 16h5",
    "/schedule": (
        "M8 2v4M16 2v4M3 9h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6"
        "a2 2 0 0 1 2-2Z"
    ),
    "/timesheets": "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18ZM12 7v5l3 2",
    "/estimates": "M14 3H6v18h12V7l-4-4ZM14 3v4h4M9 13h6M9 17h4",
    "/invoices": "M6 3h12v18l-3-2-3 2-3-2-3 2V3ZM9 8h6M9 12h6M9 16h3",
    "/change-orders": "M4 20h4L19 9l-4-4L4 16v4ZM14 6l4 4",
    "/people": "M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4 21v-1a7 7 0 0 1 7-7h2a7 7 0 0 1 7 7v1",
    "/conflicts": "M12 3l10 18H2L12 3ZM12 10v5M12 18h.01",
    "/activity": "M3 12h4l3-8 4 16 3-8h4",
    "/settings/company": "M4 21V5l8-3 8 3v16M4 21h16M9 9h1M14 9h1M9 13h1M14 13h1M10 21v-4h4v4",
}
# A route without an icon of its own still gets a mark in the icon-only sidebar.
DOT = "M12 13a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"


def stroked_icon(path: str, size: int = 24) -> rx.Component:
    return rx.el.svg(
        rx.el.path(d=path),
        view_box="0 0 24 24",
        width=str(size),
        height=str(size),
        fill="none",
        stroke="currentColor",
        stroke_width="2",
        stroke_linecap="round",
        stroke_linejoin="round",
        aria_hidden="true",
        focusable="false",
        class_name="icon",
    )


def office_icon(href: str) -> rx.Component:
    return stroked_icon(OFFICE_ICONS.get(href, DOT), size=20)
