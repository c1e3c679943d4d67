"""/jobs/list : every job, filtered by status, crew member and scheduled day; paged."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.pager import pager
from khs_crm.components.status import status_tag
from khs_crm.components.ui import button, card, empty_state, field
from khs_crm.i18n import N_
from khs_crm.models import JobStatus
from khs_crm.office.views import status_label
from khs_crm.pages.office.job_form import job_form
from khs_crm.pages.office.jobs import view_switch
from khs_crm.state.office.job_form import JobFormState
from khs_crm.state.office.jobs import JobListState

S = JobListState
STATUS_OPTIONS = [("", N_("Any status"))] + [(s.value, status_label(s)) for s in JobStatus]


def _filters() -> rx.Component:
    return rx.el.form(
        field(
            N_("Status"),
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in STATUS_OPTIONS],
                id="filter-status",
                value=S.status,
                on_change=S.filter_status,
                class_name="input",
            ),
        ),
        field(
            N_("Crew member"),
            rx.el.select(
                rx.el.option(N_("Anyone"), value=""),
                rx.foreach(S.workers, lambda w: rx.el.option(w.label, value=w.value)),
                id="filter-worker",
                value=S.worker,
                on_change=S.filter_worker,
                class_name="input",
            ),
        ),
        field(
            N_("Starts from"),
            rx.el.input(
                type="date",
                id="filter-from",
                value=S.start_from,
                on_change=S.filter_from,
                class_name="input",
            ),
        ),
        field(
            N_("Starts until"),
            rx.el.input(
                type="date",
                id="filter-to",
                value=S.start_to,
                on_change=S.filter_to,
                class_name="input",
            ),
        ),
        rx.el.div(
            button(N_("Clear filters"), variant="secondary", on_click=S.clear_filters),
            class_name="filter-clear",
        ),
        class_name="filters",
        aria_label=N_("Filter jobs"),
        on_submit=rx.prevent_default,
    )


def _row(j: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(link(j.title, href="/jobs/" + j.id, class_name="link strong")),
        rx.el.td(j.customer),
        rx.el.td(status_tag(j.status, j.status_label)),
        rx.el.td(j.schedule, class_name="nowrap"),
        rx.el.td(rx.cond(j.crew != "", j.crew, rx.el.span(N_("No crew yet"), class_name="muted"))),
        key=j.id,
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Jobs"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col")
                        for h in (
                            N_("Job"),
                            N_("Customer"),
                            N_("Status"),
                            N_("Scheduled"),
                            N_("Crew"),
                        )
                    ]
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table",
        ),
        class_name="table-wrap",
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            view_switch("list"),
            button(N_("New job"), on_click=JobFormState.open_new),
            download(N_("Export CSV"), href=S.export_href),
            class_name="toolbar",
        ),
        messages(S),
        _filters(),
        rx.el.p(N_("Jobs: "), S.total, class_name="muted", role="status", aria_live="polite"),
        card(
            rx.cond(
                S.rows.length() > 0,
                rx.fragment(
                    _table(), pager(S.page, S.pages, S.go, label=N_("jobs"), total=S.total)
                ),
                empty_state(N_("No jobs match these filters.")),
            ),
            class_name="card-flush",
        ),
        job_form(),
    )


def jobs_list() -> rx.Component:
    return office_shell(N_("Jobs"), rx.cond(S.loaded, _content(), loading()))
