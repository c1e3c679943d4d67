"""/customers : the customer list with instant search, sort, paging and CSV in and out."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import labelled_upload, messages, sending_status
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.pager import pager
from khs_crm.components.ui import button, card, empty_state
from khs_crm.i18n import N_
from khs_crm.pages.office.customer_form import customer_form
from khs_crm.services.customers.csv_transfer import MAX_IMPORT_BYTES
from khs_crm.services.customers.search import MAX_QUERY_LENGTH
from khs_crm.services.search.totals import TOTAL_CAP
from khs_crm.state.office.customers import CustomersState

S = CustomersState
SEARCH_DELAY_MS = 250


def _sort_header(label: str, key: str) -> rx.Component:
    """A column header that sorts; a second press reverses the order."""
    ascending = S.sort == key
    descending = S.sort == "-" + key
    return rx.el.th(
        rx.el.button(
            label,
            rx.cond(ascending, " ↑", rx.cond(descending, " ↓", "")),
            type="button",
            class_name="sort",
            on_click=S.sort_by(rx.cond(ascending, "-" + key, key)),
            aria_label=f"Sort by {label.lower()}",
        ),
        scope="col",
        aria_sort=rx.cond(ascending, "ascending", rx.cond(descending, "descending", "none")),
    )


def _row(c: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(link(c.name, href="/customers/" + c.id, class_name="link strong")),
        rx.el.td(
            rx.cond(
                c.phone_href != "",
                rx.el.a(c.phone, href=c.phone_href, class_name="link plain nowrap"),
                rx.cond(c.phone != "", c.phone, "—"),
            )
        ),
        rx.el.td(c.email, class_name="wrap"),
        rx.el.td(c.address, class_name="wrap"),
        rx.el.td(c.updated, class_name="muted nowrap"),
        key=c.id,
    )


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption("Customers", class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    _sort_header("Name", "name"),
                    rx.el.th("Phone", scope="col"),
                    rx.el.th("Email", scope="col"),
                    rx.el.th("Address", scope="col"),
                    _sort_header("Updated", "updated_at"),
                )
            ),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            class_name="table",
        ),
        class_name="table-wrap",
    )


def _import() -> rx.Component:
    """A real button inside the drop zone: its click (or Enter) opens the file picker; the
    chosen file is sent at once, and how far it has got is said while it goes."""
    picker = labelled_upload(
        rx.upload.root(
            rx.el.button(
                rx.cond(S.sending, N_("Importing…"), N_("Import CSV…")),
                type="button",
                class_name="btn btn-secondary",
                disabled=S.sending,
            ),
            id="customers-csv",
            accept={"text/csv": [".csv"], "application/vnd.ms-excel": [".csv"]},
            multiple=False,
            max_files=1,
            max_size=MAX_IMPORT_BYTES,
            no_keyboard=True,
            disabled=S.sending,
            on_drop=[
                S.begin_upload,
                S.import_csv(
                    rx.upload_files(upload_id="customers-csv", on_upload_progress=S.upload_progress)
                ),
            ],
            on_drop_rejected=S.rejected,
            class_name="upload",
        ),
        "CSV file of customers to import",
    )
    return rx.fragment(picker, sending_status(S, N_("Sending the file: ")))


def _report_line(p: rx.Var) -> rx.Component:
    return rx.el.li(rx.el.strong(p.where), ": ", p.problem)


def _import_report() -> rx.Component:
    return rx.cond(
        S.import_report.length() > 0,
        card(
            rx.el.p("Fix these rows in the file, then import it again. Nothing was imported."),
            rx.el.ul(rx.foreach(S.import_report, _report_line), class_name="report"),
            title="Import problems",
            class_name="card-error",
        ),
    )


def _toolbar() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label("Search customers", html_for="customer-search", class_name="sr-only"),
            rx.el.input(
                id="customer-search",
                type="search",
                placeholder="Search by name, phone, email or address",
                default_value=S.query,
                on_change=S.search.debounce(SEARCH_DELAY_MS),
                class_name="input search",
                auto_complete="off",
                max_length=MAX_QUERY_LENGTH,
            ),
            class_name="search-box",
        ),
        button("New customer", on_click=S.open_create),
        download("Export CSV", href="/api/customers/export.csv"),
        _import(),
        class_name="toolbar",
    )


def _total() -> rx.Var:
    """The count, or "1,000+" when the service stopped counting (above TOTAL_CAP)."""
    return rx.cond(S.total > TOTAL_CAP, f"{TOTAL_CAP:,}+", S.total.to_string())


def _results() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.fragment(
            _table(),
            pager(S.page, S.pages, S.go, label="customers", total=_total()),
        ),
        empty_state(
            rx.cond(
                S.query != "",
                "No customer matches “" + S.query + "”. Try part of a name or phone number.",
                "No customers yet. Add the first one, or import a CSV file.",
            )
        ),
    )


def _duplicate(d: rx.Var) -> rx.Component:
    return rx.el.li(
        link("Open " + d.name, href="/customers/" + d.id, on_click=S.close_create),
        " (",
        d.matched,
        ")",
    )


def _duplicates() -> rx.Component:
    """Before adding someone twice: who already has this phone or email."""
    return rx.cond(
        S.duplicates.length() > 0,
        rx.el.div(
            rx.el.p(rx.el.strong("You may already have this customer.")),
            rx.el.ul(rx.foreach(S.duplicates, _duplicate)),
            rx.el.p("Open them instead, or press Add anyway to add a new customer."),
            class_name="form-warning",
            role="alert",
        ),
    )


def _content() -> rx.Component:
    return rx.fragment(
        messages(S, unless=S.creating),
        _toolbar(),
        _import_report(),
        rx.el.p(
            rx.cond(S.query != "", "Matches: ", "Customers: "),
            _total(),
            class_name="muted",
            role="status",
            aria_live="polite",
        ),
        card(_results(), class_name="card-flush"),
        customer_form(
            title="New customer",
            open=S.creating,
            on_submit=S.create,
            on_cancel=S.close_create,
            state=S,
            submit=rx.cond(S.duplicates.length() > 0, "Add anyway", "Add customer"),
            warning=_duplicates(),
        ),
    )


def customers() -> rx.Component:
    return office_shell("Customers", rx.cond(S.loaded, _content(), loading()))
