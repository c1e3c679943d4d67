"""The job page's materials checklist: tick, edit in place, add fast, mark in bulk."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import confirm, messages
from khs_crm.components.pager import pager
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.office.limits import max_length
from khs_crm.services.jobs.schemas import MaterialCreate
from khs_crm.state.office.job_materials import JobMaterialsState

M = JobMaterialsState
NAME = max_length(MaterialCreate, "name")


def _input(item: rx.Var, field: str, label: str, width: str = "") -> rx.Component:
    """An input that saves when you leave it (Tab or click away)."""
    return rx.el.input(
        default_value=getattr(item, field),
        on_blur=lambda value: M.edit(item.id, field, value),
        aria_label=label + N_(" of ") + item.name,
        class_name=f"input input-cell {width}".strip(),
        key=item.key + "-" + field,
        input_mode="decimal" if field == "quantity" else None,
    )


def _cell(item: rx.Var, field: str, label: str, width: str = "") -> rx.Component:
    return rx.el.td(_input(item, field, label, width))


def _cost(item: rx.Var) -> rx.Component:
    """What one unit costs the company (office only), saved on leaving the cell; a refusal
    is said under it and tied to it (aria-describedby)."""
    problem = M.cost_problems.get(item.id, "")
    return rx.el.td(
        rx.el.input(
            default_value=item.unit_cost,
            on_blur=lambda value: M.set_cost(item.id, value),
            aria_label=N_("Unit cost of ") + item.name,
            aria_invalid=rx.cond(problem != "", "true", "false"),
            aria_describedby="cost-problem-" + item.id,
            input_mode="decimal",
            class_name="input input-cell narrow cost-cell",
            key=item.key + "-cost-" + item.unit_cost,
        ),
        rx.el.div(
            problem,
            id="cost-problem-" + item.id,
            class_name=rx.cond(problem != "", "field-error small", "sr-only"),
            role="alert",
        ),
    )


def _row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.cond(
                ~item.purchased,
                rx.el.input(
                    type="checkbox",
                    checked=M.selected.contains(item.id),
                    on_change=lambda chosen: M.select(item.id, chosen),
                    aria_label=N_("Select ") + item.name,
                    class_name="checkbox",
                ),
            )
        ),
        rx.el.td(
            rx.el.input(
                type="checkbox",
                checked=item.purchased,
                on_change=lambda bought: M.set_purchased(item.id, bought),
                aria_label=N_("Purchased: ") + item.name,
                class_name="checkbox",
            )
        ),
        rx.el.td(
            _input(item, "name", N_("Name")),
            rx.cond(item.bought != "", rx.el.div(item.bought, class_name="small muted")),
        ),
        _cell(item, "quantity", N_("Quantity"), "narrow"),
        _cell(item, "unit", N_("Unit"), "narrow"),
        _cell(item, "supplier", N_("Supplier")),
        _cost(item),
        rx.el.td(
            button(
                N_("Remove"),
                variant="link",
                on_click=M.ask_remove(item.id, item.name),
                aria_label=N_("Remove ") + item.name,
            ),
        ),
        class_name=rx.cond(item.purchased, "bought", ""),
        key=item.id,
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(N_("Materials"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(rx.el.span(N_("Select"), class_name="sr-only"), scope="col"),
                    *[
                        rx.el.th(h, scope="col")
                        for h in (
                            N_("Bought"),
                            N_("Material"),
                            N_("Qty"),
                            N_("Unit"),
                            N_("Supplier"),
                            N_("Unit cost ($)"),
                        )
                    ],
                    rx.el.th(rx.el.span(N_("Remove"), class_name="sr-only"), scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(M.items, _row)),
            class_name="table table-compact",
        ),
        class_name="table-wrap",
    )


def _bulk_bar() -> rx.Component:
    return rx.el.div(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=(M.selected.length() > 0) & (M.selected.length() == M.page_to_buy),
                on_change=M.select_all,
                class_name="checkbox",
            ),
            rx.el.span(N_("Select all to buy")),
            class_name="check",
        ),
        button(
            N_("Mark selected purchased ("),
            M.selected.length(),
            ")",
            on_click=M.mark_selected,
            disabled=M.selected.length() == 0,
        ),
        class_name="bulk-bar",
    )


def _quick_add() -> rx.Component:
    def box(label: str, name: str, **props) -> rx.Component:
        return rx.el.label(
            rx.el.span(label, class_name="field-label"),
            rx.el.input(name=name, class_name="input", auto_complete="off", **props),
            class_name="field",
        )

    return rx.el.form(
        box(N_("Material"), "name", required=True, max_length=NAME, id="material-name"),
        box(N_("Qty"), "quantity", input_mode="decimal", placeholder="1"),
        box(N_("Unit"), "unit", placeholder=N_("pcs")),
        box(N_("Supplier"), "supplier"),
        rx.el.button(N_("Add"), type="submit", class_name="btn btn-primary"),
        on_submit=M.add,
        reset_on_submit=True,
        class_name="quick-add",
        aria_label=N_("Add a material"),
    )


def _lines() -> rx.Component:
    return rx.el.details(
        rx.el.summary(N_("Add several at once")),
        rx.el.form(
            rx.el.label(
                rx.el.span(
                    N_("One material per line: name, quantity, unit, supplier"),
                    class_name="field-label",
                ),
                rx.el.textarea(
                    name="lines",
                    id="material-lines",
                    rows=4,
                    class_name="input",
                    placeholder=N_("Drywall 4x8, 12, sheets, Lowe's\nDeck screws, 2, box"),
                ),
                class_name="field",
            ),
            rx.el.button(N_("Add all"), type="submit", class_name="btn btn-secondary"),
            on_submit=M.add_lines,
            reset_on_submit=True,
            aria_label=N_("Add several materials"),
        ),
        class_name="lines-add",
    )


def materials_card() -> rx.Component:
    return card(
        rx.el.p(
            M.to_buy,
            N_(" to buy · "),
            M.total - M.to_buy,
            N_(" bought"),
            class_name="muted",
        ),
        messages(M),
        rx.cond(
            M.items.length() > 0,
            rx.fragment(_bulk_bar(), _table(), pager(M.page, M.pages, M.go, label=N_("materials"))),
            empty_state(N_("No materials yet. Add what this job needs below.")),
        ),
        _quick_add(),
        _lines(),
        confirm(
            N_("Remove this material?"),
            "“" + M.removing_name + N_("” leaves the checklist on every device."),
            open=M.removing_id != "",
            confirm_text=N_("Remove"),
            on_confirm=M.remove,
            on_cancel=M.cancel_remove,
        ),
        title=N_("Materials"),
    )
