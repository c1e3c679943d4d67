"""The job page's crew card: who is on the job, who can be added, and who is (or would be)
on another job at the same time."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.links import link
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.state.office.job import JobState

S = JobState


def _clash_job(job: rx.Var) -> rx.Component:
    return rx.el.li(
        link(job.title, href="/jobs/" + job.job_id, class_name="link"),
        rx.el.span(" · ", job.when, class_name="muted"),
    )


def _clash(clash: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.span("⚠ ", aria_hidden="true"), clash.text, class_name="clash small"),
        rx.el.ul(rx.foreach(clash.jobs, _clash_job), class_name="clash-jobs small"),
        class_name="crew-clash",
    )


def _crew_member(member: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(member.label),
            button(
                N_("Remove"),
                rx.el.span(" " + member.label + N_(" from this job"), class_name="sr-only"),
                variant="link",
                on_click=S.unassign(member.value),
            ),
            class_name="crew-member",
        ),
        rx.foreach(S.crew_clashes, lambda c: rx.cond(c.user_id == member.value, _clash(c))),
    )


def _assign_form() -> rx.Component:
    return rx.el.form(
        rx.el.label(N_("Worker to assign"), html_for="assign-worker", class_name="sr-only"),
        rx.el.select(
            rx.el.option(N_("Choose a worker…"), value=""),
            rx.foreach(S.workers, lambda w: rx.el.option(w.label, value=w.value)),
            name="worker",
            id="assign-worker",
            class_name="input",
            on_change=S.pick_worker,
            aria_describedby="assign-warning",
        ),
        rx.el.button(N_("Assign"), type="submit", class_name="btn btn-primary"),
        on_submit=S.assign,
        reset_on_submit=True,
        class_name="inline-form",
        aria_label=N_("Assign a worker"),
    )


def crew_card() -> rx.Component:
    return card(
        rx.cond(
            S.crew.length() > 0,
            rx.el.ul(rx.foreach(S.crew, _crew_member), class_name="crew-list"),
            empty_state(N_("Nobody is on this job yet.")),
        ),
        rx.cond(S.workers.length() > 0, _assign_form()),
        rx.el.p(
            rx.cond(
                S.busy.contains(S.picked_worker),
                rx.el.span(rx.el.span("⚠ ", aria_hidden="true"), S.busy[S.picked_worker]),
            ),
            id="assign-warning",
            role="status",
            class_name="clash small",
        ),
        title=N_("Crew"),
    )
