"""/customers/[customer_id] : contact card, jobs, notes and activity of one customer."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm, messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import call_link, external, link
from khs_crm.components.pager import pager
from khs_crm.components.status import status_tag
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
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
            rx.el.dt(N_("Phone")),
            rx.el.dd(call_link(c.phone, c.phone_href, c.name)),
            rx.el.dt(N_("Email")),
            rx.el.dd(
                rx.cond(
                    c.email != "",
                    rx.el.a(
                        rx.el.span(N_("Email ") + c.name + N_(" at "), class_name="sr-only"),
                        c.email,
                        href="mailto:" + c.email,
                    ),
                    N_("No email"),
                )
            ),
            rx.el.dt(N_("Address")),
            rx.el.dd(
                rx.cond(
                    c.map_href != "",
                    external(c.address, c.map_href, aria_label=N_("Map of ") + c.address),
                    N_("No address"),
                )
            ),
            class_name="facts",
        ),
        title=N_("Contact"),
    )


def _notes() -> rx.Component:
    return card(
        rx.cond(
            S.customer.notes != "",
            rx.el.p(S.customer.notes, class_name="note-body"),
            empty_state(N_("No notes about this customer.")),
        ),
        title=N_("Notes"),
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
            rx.cond(j.crew != "", N_("Crew: ") + j.crew, N_("No crew yet")),
            class_name="muted line-meta",
        ),
        class_name="line",
    )


def _jobs() -> rx.Component:
    c = S.customer
    return card(
        rx.el.div(
            rx.el.h2(N_("Jobs"), class_name="card-title"),
            button(N_("New job"), on_click=JobFormState.open_for(c.id, c.name, c.address)),
            class_name="card-head",
        ),
        rx.cond(
            S.jobs.length() > 0,
            rx.el.ul(rx.foreach(S.jobs, _job_row), class_name="lines"),
            empty_state(N_("No jobs for this customer yet.")),
        ),
        pager(S.jobs_page, S.jobs_pages, S.go_jobs, label=N_("jobs"), total=S.jobs_total),
    )


def _found() -> rx.Component:
    c = S.customer
    return rx.fragment(
        rx.el.div(
            rx.el.p(N_("Customer since "), c.created, class_name="page-subtitle muted"),
            rx.el.div(
                button(N_("Edit"), variant="secondary", on_click=S.open_edit),
                button(N_("Delete customer"), variant="danger-outline", on_click=S.ask_delete),
                class_name="actions",
            ),
            class_name="page-head",
        ),
        messages(S, unless=S.editing),
        rx.el.div(rx.el.div(_contact(), _notes()), _jobs(), class_name="two-col wide-right"),
        card(
            activity_list(S.timeline),
            pager(S.timeline_page, S.timeline_pages, S.go_timeline, label=N_("activity")),
            title=N_("Activity"),
        ),
        customer_form(
            title=N_("Edit customer"),
            open=S.editing,
            on_submit=S.save,
            on_cancel=S.close_edit,
            state=S,
            values=c,
        ),
        confirm(
            N_("Delete this customer?"),
            "“" + c.name + N_("” will disappear from lists and searches. Their jobs are kept."),
            open=S.confirming_delete,
            confirm_text=N_("Delete customer"),
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
        ),
        job_form(),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p(N_("This customer does not exist or was deleted.")),
        link(N_("Back to customers"), href="/customers"),
    )


def customer() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, S.customer.name, N_("Customer")),
        rx.el.p(link(N_("← Customers"), href="/customers"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
