"""The job forms: "New job" (with a customer picker and the crew) and "Edit job"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from khs_crm.components.forms import (
    error_for,
    form_actions,
    form_error,
    input_field,
    modal,
    textarea_field,
)
from khs_crm.components.ui import button
from khs_crm.i18n import N_
from khs_crm.office.limits import max_length
from khs_crm.services.jobs.schemas import JobCreate
from khs_crm.state.office.job_form import JobFormState

F = JobFormState
TITLE = max_length(JobCreate, "title")


def job_fields(errors: rx.Var, values: Any = None, address: Any = "") -> rx.Component:
    """Title, site address, schedule and description: shared by both forms."""

    def value(name: str, default: Any = "") -> Any:
        return getattr(values, name) if values is not None else default

    return rx.fragment(
        input_field(N_("Title"), "title", errors, default_value=value("title"), max_length=TITLE),
        input_field(
            N_("Site address"),
            "site_address",
            errors,
            default_value=value("site_address", address),
            key=address if values is None else "site",
        ),
        rx.el.div(
            input_field(
                N_("Starts"),
                "scheduled_start",
                errors,
                type="datetime-local",
                default_value=value("start_input"),
            ),
            input_field(
                N_("Ends"),
                "scheduled_end",
                errors,
                type="datetime-local",
                default_value=value("end_input"),
            ),
            class_name="form-row",
        ),
        textarea_field(
            N_("Description"),
            "description",
            errors,
            rows=3,
            default_value=value("description"),
            limit=max_length(JobCreate, "description"),
        ),
    )


def _match(option: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            option.label,
            type="button",
            on_click=F.pick(option.value, option.label, option.address),
            class_name="btn btn-secondary btn-block left",
        )
    )


def _customer_picker() -> rx.Component:
    chosen = rx.el.div(
        rx.el.span(N_("Customer: "), rx.el.strong(F.customer_name)),
        rx.cond(~F.fixed_customer, button(N_("Change"), variant="link", on_click=F.unpick)),
        class_name="picked",
    )
    problem = error_for(F.field_errors, "customer_id")
    search = rx.fragment(
        input_field(
            N_("Customer"),
            "customer_search",
            type="search",
            placeholder=N_("Type a name or phone number"),
            on_change=F.find_customer.debounce(250),
            auto_complete="off",
            auto_focus=True,
        ),
        rx.cond(problem != "", rx.el.p(problem, class_name="field-error", role="alert")),
        rx.el.ul(
            rx.foreach(F.matches, _match), class_name="matches", aria_label=N_("Matching customers")
        ),
    )
    return rx.cond(F.customer_id != "", chosen, search)


def _crew_choice(option: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name="crew", value=option.value, class_name="checkbox"),
        rx.el.span(option.label),
        class_name="check",
    )


def job_form() -> rx.Component:
    return modal(
        N_("New job"),
        rx.el.form(
            form_error(F),
            _customer_picker(),
            job_fields(F.field_errors, address=F.site_address),
            rx.cond(
                F.workers.length() > 0,
                rx.el.fieldset(
                    rx.el.legend(N_("Crew (you can change it later)"), class_name="field-label"),
                    rx.el.div(rx.foreach(F.workers, _crew_choice), class_name="choices"),
                    class_name="fieldset",
                ),
            ),
            form_actions(N_("Create job"), F.close),
            on_submit=F.save,
            aria_label=N_("New job"),
            class_name="form",
        ),
        open=F.open,
        on_close=F.close,
        wide=True,
    )
