"""/jobs/[job_id] : one job: customer, site, schedule, workflow, crew, materials, notes,
photos and what happened to it."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import (
    confirm,
    form_actions,
    form_error,
    messages,
    modal,
    textarea_field,
)
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import call_link, external, link
from khs_crm.components.pager import pager
from khs_crm.components.status import status_tag
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.office.limits import max_length
from khs_crm.pages.office.activity import activity_list
from khs_crm.pages.office.job_change_orders import change_orders_card
from khs_crm.pages.office.job_crew import crew_card
from khs_crm.pages.office.job_form import job_fields
from khs_crm.pages.office.job_materials import materials_card
from khs_crm.pages.office.job_money import money_card
from khs_crm.pages.office.job_photos import photos_card
from khs_crm.services.jobs.notes import NoteCreate
from khs_crm.state.office.job import JobState
from khs_crm.state.office.job_activity import JobActivityState

S = JobState
A = JobActivityState


NOTE_LIMIT = max_length(NoteCreate, "body")


def _site() -> rx.Component:
    j = S.job
    return card(
        rx.el.dl(
            rx.el.dt(N_("Customer")),
            rx.el.dd(
                link(j.customer, href="/customers/" + j.customer_id, class_name="link strong")
            ),
            rx.el.dt(N_("Phone")),
            rx.el.dd(call_link(j.phone, j.phone_href, j.customer)),
            rx.el.dt(N_("Site")),
            rx.el.dd(
                rx.cond(
                    j.map_href != "",
                    external(j.site_address, j.map_href, aria_label=N_("Map of ") + j.site_address),
                    N_("No site address"),
                )
            ),
            rx.el.dt(N_("Schedule")),
            rx.el.dd(j.schedule),
            class_name="facts",
        ),
        rx.cond(j.description != "", rx.el.p(j.description, class_name="note-body")),
        title=N_("Job"),
    )


def _move_button(move: rx.Var) -> rx.Component:
    return rx.el.button(
        move.label,
        type="button",
        class_name=rx.cond(move.allowed, "btn btn-secondary", "btn btn-secondary btn-off"),
        disabled=~move.allowed,
        title=move.reason,
        on_click=S.move(move.status),
        aria_describedby="why-not",
    )


def _reason(move: rx.Var) -> rx.Component:
    return rx.cond(~move.allowed, rx.el.li(move.reason))


def _workflow() -> rx.Component:
    return card(
        rx.el.p(N_("Now: "), status_tag(S.job.status, S.job.status_label)),
        rx.el.div(rx.foreach(S.moves, _move_button), class_name="moves", aria_label=N_("Move to")),
        rx.el.details(
            rx.el.summary(N_("Why are some moves off?")),
            rx.el.ul(rx.foreach(S.moves, _reason), class_name="reasons"),
            id="why-not",
        ),
        title=N_("Status"),
    )


def _note(n: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(n.body, class_name="note-body"),
        rx.el.div(n.author, " · ", n.when, class_name="muted small"),
        class_name="note",
    )


def _notes() -> rx.Component:
    return card(
        rx.el.form(
            textarea_field(
                N_("New note"),
                "body",
                A.field_errors,
                id="note-body",
                rows=2,
                limit=NOTE_LIMIT,
                epoch=A.notes_added,
            ),
            rx.el.button(N_("Add note"), type="submit", class_name="btn btn-secondary"),
            on_submit=A.add_note,
            # emptied (a new form) once the note is added; a refused note stays as typed
            key=A.notes_added,
            class_name="stack-form",
            aria_label=N_("Add a note"),
        ),
        messages(A),
        rx.cond(
            A.notes.length() > 0,
            rx.el.ul(rx.foreach(A.notes, _note), class_name="notes"),
            empty_state(N_("No notes yet.")),
        ),
        pager(A.notes_page, A.notes_pages, A.go_notes, label=N_("notes")),
        title=N_("Notes"),
    )


def _edit() -> rx.Component:
    return modal(
        N_("Edit job"),
        rx.el.form(
            form_error(S),
            job_fields(S.field_errors, values=S.job),
            form_actions(N_("Save job"), S.close_edit),
            on_submit=S.save,
            aria_label=N_("Edit job"),
            class_name="form",
        ),
        open=S.editing,
        on_close=S.close_edit,
        wide=True,
    )


def _found() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            rx.el.p(
                status_tag(S.job.status, S.job.status_label),
                rx.el.span(N_(" for "), S.job.customer, class_name="muted"),
                class_name="page-subtitle",
            ),
            rx.el.div(
                button(N_("Edit job"), variant="secondary", on_click=S.open_edit),
                button(N_("Delete job"), variant="danger-outline", on_click=S.ask_delete),
                class_name="actions",
            ),
            class_name="page-head",
        ),
        messages(S, unless=S.editing),
        rx.el.div(_site(), rx.el.div(_workflow(), crew_card()), class_name="two-col"),
        money_card(),
        change_orders_card(),
        materials_card(),
        rx.el.div(
            _notes(),
            card(
                activity_list(A.timeline),
                pager(A.timeline_page, A.timeline_pages, A.go_timeline, label=N_("activity")),
                title=N_("Activity"),
            ),
            class_name="two-col",
        ),
        photos_card(),
        _edit(),
        confirm(
            N_("Delete this job?"),
            "“"
            + S.job.title
            + N_(
                "” and its materials, notes and photos leave every list. "
                "The history stays in the activity log."
            ),
            open=S.confirming_delete,
            confirm_text=N_("Delete job"),
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
        ),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p(N_("This job does not exist or was deleted.")),
        link(N_("Back to jobs"), href="/jobs"),
    )


def job() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, S.job.title, N_("Job")),
        rx.el.p(link(N_("← Jobs"), href="/jobs"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
