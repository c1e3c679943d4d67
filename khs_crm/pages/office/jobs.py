"""/jobs : the board, a column per status, each card movable along the workflow."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.ui import button
from khs_crm.i18n import N_
from khs_crm.pages.office.job_form import job_form
from khs_crm.state.office.job_form import JobFormState
from khs_crm.state.office.jobs import BoardState

S = BoardState


def view_switch(current: str) -> rx.Component:
    def tab(text: str, href: str, name: str) -> rx.Component:
        return link(
            text,
            href=href,
            class_name="tab" + (" tab-current" if name == current else ""),
            aria_current="page" if name == current else "false",
        )

    return rx.el.nav(
        tab(N_("Board"), "/jobs", "board"),
        tab(N_("List"), "/jobs/list", "list"),
        class_name="tabs",
        aria_label=N_("Job views"),
    )


def move_options(moves: rx.Var) -> rx.Component:
    """Every other status; those the workflow does not allow from here are disabled."""
    return rx.foreach(
        moves,
        lambda m: rx.el.option(
            rx.cond(m.allowed, m.label, m.label + N_(" (not from here)")),
            value=m.status,
            disabled=~m.allowed,
            title=m.reason,
        ),
    )


def _card(job: rx.Var, column: rx.Var) -> rx.Component:
    select_id = "move-" + job.id
    return rx.el.li(
        link(job.title, href="/jobs/" + job.id, class_name="link strong"),
        rx.el.div(job.customer, class_name="muted"),
        rx.el.div(job.schedule, class_name="small"),
        rx.el.div(rx.cond(job.crew != "", job.crew, N_("No crew yet")), class_name="small muted"),
        rx.el.label(
            N_("Move “") + job.title + N_("” to"), html_for=select_id, class_name="sr-only"
        ),
        rx.el.select(
            rx.el.option(N_("Move to…"), value=""),
            move_options(column.moves),
            id=select_id,
            value="",
            on_change=lambda status: S.move(job.id, status),
            class_name="input input-small",
            aria_describedby="moves-" + column.status,
        ),
        class_name="board-card",
    )


def _column(column: rx.Var) -> rx.Component:
    return rx.el.section(
        rx.el.h2(
            column.label, rx.el.span(column.total, class_name="count"), class_name="column-title"
        ),
        rx.el.p(
            rx.cond(
                column.can_move_to != "",
                N_("Can move to: ") + column.can_move_to,
                N_("No moves from here."),
            ),
            id="moves-" + column.status,
            class_name="small muted",
        ),
        rx.el.ul(rx.foreach(column.cards, lambda job: _card(job, column)), class_name="cards"),
        rx.cond(
            column.more > 0,
            link(
                N_("See all "),
                column.total,
                " →",
                href="/jobs/list?status=" + column.status,
                class_name="link small",
            ),
        ),
        rx.cond(column.total == 0, rx.el.p(N_("No jobs."), class_name="small muted")),
        class_name="column",
        aria_label=column.label + N_(" jobs"),
    )


def _content() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            view_switch("board"),
            button(N_("New job"), on_click=JobFormState.open_new),
            class_name="toolbar",
        ),
        messages(S),
        rx.el.div(rx.foreach(S.columns, _column), class_name="board"),
        job_form(),
    )


def jobs_board() -> rx.Component:
    return office_shell(N_("Jobs"), rx.cond(S.loaded, _content(), loading()))
