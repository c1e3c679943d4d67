"""The job page's change-orders card: the job's latest change orders, each linked to its page."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.links import link
from khs_crm.components.ui import card, empty_state
from khs_crm.i18n import N_
from khs_crm.pages.office.change_orders import mismatch_flag
from khs_crm.pages.office.estimates import doc_status
from khs_crm.state.office.job_change_orders import JobChangeOrdersState

C = JobChangeOrdersState


def _item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        link(row.number, href="/change-orders/" + row.id, class_name="link strong"),
        rx.el.span(row.description, class_name="chg-desc"),
        rx.el.span(row.total, class_name=rx.cond(row.priced, "num", "num muted")),
        doc_status(row.status, row.status_label),
        rx.cond(row.note != "", rx.el.span(row.note, class_name="small muted chg-note")),
        mismatch_flag(row),
        key=row.id,
        class_name="chg-item",
    )


def change_orders_card() -> rx.Component:
    return card(
        rx.cond(
            C.rows.length() > 0,
            rx.el.ul(rx.foreach(C.rows, _item), class_name="chg-items"),
            empty_state(N_("No change orders on this job. Crews write them up on site.")),
        ),
        rx.cond(
            C.total > C.rows.length(),
            rx.el.p(
                N_("The latest "),
                C.rows.length(),
                N_(" of "),
                C.total,
                ".",
                class_name="small muted",
            ),
        ),
        title=N_("Change orders"),
        aria_label=N_("Change orders"),
    )
