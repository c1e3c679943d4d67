"""Previous / next paging for long lists: the page holds one page of rows, never more."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.ui import button
from khs_crm.i18n import N_


def pager(page: Any, pages: Any, on_go: Any, *, label: str, total: Any = None) -> rx.Component:
    """ "Page 2 of 40" between Previous and Next; hidden when everything fits on one page."""
    summary = (
        rx.el.span(
            N_("Page "),
            page,
            N_(" of "),
            pages,
            " · ",
            total,
            N_(" in all"),
            class_name="pager-text",
        )
        if total is not None
        else rx.el.span(N_("Page "), page, N_(" of "), pages, class_name="pager-text")
    )
    return rx.cond(
        pages > 1,
        rx.el.nav(
            button(
                N_("← Previous"),
                variant="secondary",
                on_click=on_go(page - 1),
                disabled=page <= 1,
                aria_label=N_("Previous page of {label}").format(label=label),
            ),
            summary,
            button(
                N_("Next →"),
                variant="secondary",
                on_click=on_go(page + 1),
                disabled=page >= pages,
                aria_label=N_("Next page of {label}").format(label=label),
            ),
            class_name="pager",
            aria_label=N_("Pages of {label}").format(label=label),
        ),
    )
