"""/estimates/[estimate_id] : one estimate. A draft is a lines table typed like a
spreadsheet (Tab goes through a line's cells, Enter adds the next line) with running totals
worked out by the money rules on the server; then save, send (the customer link), PDF."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventChain
from reflex_base.vars.base import Var
from reflex_base.vars.function import ArgsFunctionOperation

from khs_crm.components.forms import form_error, messages, textarea_field
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.ui import button, card, field, scroll_box
from khs_crm.i18n import N_
from khs_crm.office.money import LINE_KINDS
from khs_crm.pages.office.estimates import doc_status
from khs_crm.pages.office.estimates_actions import actions, delete_confirm, link_box
from khs_crm.state.office.estimates_editor import NOTES, EstimateState

S = EstimateState


# Enter in a line's cell: leave the cell (its value is sent) and go to the next line's first
# cell, in the browser: at once when that line is blank, else once the server has drawn the
# blank line it adds there, unless the person has moved on (or the cell's autoFocus took it).
# It is done here because a script sent by the server would need eval, which the security
# policy refuses.
_TO_NEXT = """(() => {
  const lines = () => [...document.querySelectorAll('.money-lines tr[data-line]')];
  const at = lines().indexOf(e.currentTarget.closest('tr')) + 1;
  const blank = (row) => { const cells = row ? [...row.querySelectorAll('input:not([type])')] : [];
    return cells.length && cells.every((c) => !c.value) ? cells[0] : null; };
  e.currentTarget.blur();
  let tries = 0;
  const go = () => { const now = document.activeElement;
    if (now && now !== document.body) return;
    const cell = blank(lines()[at]);
    if (cell) cell.focus(); else if (++tries < 100) setTimeout(go, 30); };
  go(); })()"""
# "Add line": the blank line at the end takes the focus.
FOCUS_LAST = ArgsFunctionOperation.create(
    (),
    Var(
        "(() => { const rows = document.querySelectorAll('.money-lines tr[data-line]');"
        " rows[rows.length - 1]?.querySelector('input')?.focus(); })()"
    ),
)


def on_enter(event: rx.EventSpec) -> Var:
    """A keydown handler: Enter moves to the next line (see _TO_NEXT), then runs ``event``."""
    chain = Var.create(EventChain(events=[event], args_spec=lambda: ()))
    run = f"(e.preventDefault(), {_TO_NEXT}, ({chain})())"
    body = f"(e.key === 'Enter' ? {run} : undefined)"
    return ArgsFunctionOperation.create(("e",), Var(body, _var_data=chain._get_all_var_data()))


def _cell(line: rx.Var, name: str, label: str, **props) -> rx.Component:
    return rx.el.td(
        rx.el.input(
            default_value=getattr(line, name),
            on_blur=lambda value: S.set_cell(line.key, name, value),
            custom_attrs={"onKeyDown": on_enter(S.add_line(line.key))},
            aria_label=label,
            class_name="input input-cell",
            key=line.key + "-" + name,
            **props,
        )
    )


def _edit_row(line: rx.Var, index: rx.Var) -> rx.Component:
    number = (index + 1).to_string()
    return rx.el.tr(
        _cell(
            line,
            "description",
            N_("Description, line ") + number,
            auto_focus=line.key == S.focus_key,
        ),
        _cell(line, "quantity", N_("Quantity, line ") + number, input_mode="decimal"),
        _cell(line, "unit", N_("Unit, line ") + number),
        _cell(line, "unit_price", N_("Unit price, line ") + number, input_mode="decimal"),
        rx.el.td(
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in LINE_KINDS.items()],
                default_value=line.kind,
                on_change=lambda value: S.set_cell(line.key, "kind", value),
                custom_attrs={"onKeyDown": on_enter(S.add_line(line.key))},
                aria_label=N_("Kind, line ") + number,
                class_name="input input-cell",
                key=line.key + "-kind",
            )
        ),
        rx.el.td(
            rx.el.input(
                type="checkbox",
                checked=line.taxable,
                on_change=lambda checked: S.set_cell(line.key, "taxable", checked),
                custom_attrs={"onKeyDown": on_enter(S.add_line(line.key))},
                aria_label=N_("Taxable, line ") + number,
                class_name="checkbox",
            ),
            class_name="center",
        ),
        rx.el.td(line.amount, class_name="num"),
        rx.el.td(
            rx.el.button(
                "✕",
                type="button",
                on_click=S.remove_line(line.key),
                aria_label=N_("Remove line ") + number,
                title=N_("Remove line ") + number,
                class_name="btn btn-link remove-line",
            )
        ),
        key=line.key,
        class_name=rx.cond(line.problem != "", "line-bad", ""),
        custom_attrs={"data-line": number},
    )


def _edit_lines(line: rx.Var, index: rx.Var) -> rx.Component:
    """A line, and under it what to fix in it (when something is)."""
    return rx.fragment(
        _edit_row(line, index),
        rx.cond(
            line.problem != "",
            rx.el.tr(
                rx.el.td(
                    N_("Line "),
                    (index + 1).to_string(),
                    ": ",
                    line.problem,
                    col_span=8,
                    class_name="field-error line-problem",
                ),
            ),
        ),
    )


def _read_row(line: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(line.description),
        rx.el.td(line.quantity, class_name="num"),
        rx.el.td(line.unit),
        rx.el.td(line.unit_price, class_name="num"),
        rx.el.td(line.kind),
        rx.el.td(rx.cond(line.taxable, N_("Yes"), N_("No")), class_name="center"),
        rx.el.td(line.amount, class_name="num"),
        rx.el.td(),
    )


def _lines() -> rx.Component:
    heads = [
        (N_("Description"), "col-desc"),
        (N_("Qty"), "num col-qty"),
        (N_("Unit"), "col-unit"),
        (N_("Unit price"), "num col-price"),
        (N_("Kind"), "col-kind"),
        (N_("Tax"), "center col-tax"),
        (N_("Amount"), "num col-amount"),
    ]
    return scroll_box(
        rx.el.table(
            rx.el.caption(N_("Estimate lines"), class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[rx.el.th(text, scope="col", class_name=cls) for text, cls in heads],
                    rx.el.th(
                        rx.el.span(N_("Remove"), class_name="sr-only"),
                        scope="col",
                        class_name="col-remove",
                    ),
                )
            ),
            rx.el.tbody(
                rx.cond(
                    S.estimate.editable,
                    rx.foreach(S.lines, _edit_lines),
                    rx.foreach(S.rows, _read_row),
                )
            ),
            class_name="table table-compact money-lines",
        ),
        N_("Estimate lines"),
    )


def _totals() -> rx.Component:
    t = S.totals
    return rx.el.div(
        rx.el.dl(
            rx.el.dt(N_("Subtotal")),
            rx.el.dd(t.subtotal, id="estimate-subtotal"),
            rx.el.dt(N_("Tax ("), S.tax_rate, "%)"),
            rx.el.dd(t.tax, id="estimate-tax"),
            rx.el.dt(N_("Total"), class_name="strong"),
            rx.el.dd(t.total, id="estimate-total", class_name="strong"),
            class_name="money-totals",
        ),
        rx.cond(t.problem != "", rx.el.p(t.problem, class_name="field-error")),
        aria_live="polite",
        aria_label=N_("Totals"),
        role="status",
    )


def _terms() -> rx.Component:
    editable = S.estimate.editable
    return rx.el.div(
        field(
            N_("Tax rate (%)"),
            rx.el.input(
                default_value=S.tax_rate,
                on_blur=S.set_rate,
                input_mode="decimal",
                read_only=~editable,
                class_name="input",
                id="estimate-rate",
                key=S.estimate.version.to_string() + "-rate",
            ),
        ),
        field(
            N_("Valid until"),
            rx.el.input(
                type="date",
                default_value=S.valid_until,
                on_blur=S.set_valid_until,
                read_only=~editable,
                class_name="input",
                id="estimate-valid",
                key=S.estimate.version.to_string() + "-valid",
            ),
        ),
        textarea_field(
            N_("Notes for the customer"),
            "notes",
            default_value=S.notes,
            on_blur=S.set_notes,
            read_only=~editable,
            rows=2,
            id="estimate-notes",
            key=S.estimate.version.to_string() + "-notes",
            limit=NOTES,
            max_length=NOTES,
            epoch=S.estimate.version,
        ),
        class_name="money-terms",
    )


def _found() -> rx.Component:
    e = S.estimate
    return rx.fragment(
        rx.el.div(
            rx.el.p(
                doc_status(e.status, e.status_label),
                rx.el.span(N_(" for "), class_name="muted"),
                link(e.customer, href="/customers/" + e.customer_id),
                rx.el.span(N_(" · job "), class_name="muted"),
                link(e.job, href="/jobs/" + e.job_id),
                class_name="page-subtitle",
            ),
            actions(),
            class_name="page-head",
        ),
        messages(S),
        form_error(S),
        link_box(),
        rx.cond(e.answer != "", rx.el.p(e.answer, class_name="banner banner-info")),
        card(
            _lines(),
            rx.el.div(
                rx.cond(
                    e.editable,
                    rx.el.p(
                        button(N_("Add line"), variant="secondary", on_click=FOCUS_LAST),
                        " ",
                        button(
                            N_("Add the job's materials"),
                            variant="secondary",
                            on_click=S.add_materials,
                        ),
                        rx.el.span(
                            N_(" Tab moves through a line; Enter adds the next line."),
                            class_name="muted small",
                        ),
                    ),
                    rx.el.span(),
                ),
                _totals(),
                class_name="money-foot",
            ),
            title=N_("Lines"),
        ),
        card(_terms(), title=N_("Terms")),
        delete_confirm(),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p(N_("This estimate does not exist or was deleted.")),
        link(N_("Back to estimates"), href="/estimates"),
    )


def estimate_editor() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, N_("Estimate ") + S.estimate.number, N_("Estimate")),
        rx.el.p(link(N_("← Estimates"), href="/estimates"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
