"""/customers/[customer_id] : contact card, jobs, notes and activity of one customer."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm, messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import call_link, external, link
from khs_crm.components.pager import pager
from khs_crm.components.status import status_tag
from khs_crm.components.ui import button, card, empty_state
from khs_crm.pages.office.activity import activity_list
from khs_crm.pages.office.customer_form import customer_form
from khs_crm.pages.office.job_form import job_form
from khs_crm.state.office.customer import CustomerState
from khs_crm.state.office.job_form import JobFormState

S = CustomerState


def _contact() -> rx.Component:
    c = S.customer
    return card(
        rx.el.dl(
            rx.el.dt("Phone"),
            rx.el.dd(call_link(c.phone, c.phone_href, c.name)),
            rx.el.dt("Email"),
            rx.el.dd(
                rx.cond(
                    c.email != "",
                    rx.el.a(
                        rx.el.span("Email " + c.name + " at ", class_name="sr-only"),
                        c.email,
                        href="mailto:" + c.email,
                    ),
                    "No email",
                )
            ),
            rx.el.dt("Address"),
            rx.el.dd(
                rx.cond(
                    c.map_href != "",
                    external(c.address, c.map_href, aria_label="Map of " + c.address),
                    "No address",
                )
            ),
            class_name="facts",
        ),
        title="Contact",
    )


def _notes() -> rx.Component:
    return card(
        rx.cond(
            S.customer.notes != "",
            rx.el.p(S.customer.notes, class_name="note-body"),
            empty_state("No notes about this customer."),
        ),
        title="Notes",
    )


def _job_row(j: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            link(j.title, href="/jobs/" + j.id, class_name="link strong"),
            " ",
            status_tag(j.status, j.status_label),
        ),
        rx.el.div(
            j.schedule,
            " · ",
            rx.cond(j.crew != "", "Crew: " + j.crew, "No crew yet"),
            class_name="muted line-meta",
        ),
        class_name="line",
    )


def _jobs() -> rx.Component:
    c = S.customer
    return card(
        rx.el.div(
            rx.el.h2("Jobs", class_name="card-title"),
            button("New job", on_click=JobFormState.open_for(c.id, c.name, c.address)),
            class_name="card-head",
        ),
        rx.cond(
            S.jobs.length() > 0,
            rx.el.ul(rx.foreach(S.jobs, _job_row), class_name="lines"),
            empty_state("No jobs for this customer yet."),
        ),
        pager(S.jobs_page, S.jobs_pages, S.go_jobs, label="jobs", total=S.jobs_total),
    )


def _found() -> rx.Component:
    c = S.customer
    return rx.fragment(
        rx.el.div(
            rx.el.p("Customer since ", c.created, class_name="page-subtitle muted"),
            rx.el.div(
                button("Edit", variant="secondary", on_click=S.open_edit),
                button("Delete customer", variant="danger-outline", on_click=S.ask_delete),
                class_name="actions",
            ),
            class_name="page-head",
        ),
        messages(S, unless=S.editing),
        rx.el.div(rx.el.div(_contact(), _notes()), _jobs(), class_name="two-col wide-right"),
        card(
            activity_list(S.timeline),
            pager(S.timeline_page, S.timeline_pages, S.go_timeline, label="activity"),
            title="Activity",
        ),
        customer_form(
            title="Edit customer",
            open=S.editing,
            on_submit=S.save,
            on_cancel=S.close_edit,
            state=S,
            values=c,
        ),
        confirm(
            "Delete this customer?",
            "“" + c.name + "” will disappear from lists and searches. Their jobs are kept.",
            open=S.confirming_delete,
            confirm_text="Delete customer",
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
        ),
        job_form(),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p("This customer does not exist or was deleted."),
        link("Back to customers", href="/customers"),
    )


def customer() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, S.customer.name, "Customer"),
        rx.el.p(link("← Customers", href="/customers"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
