"""Customers to and from CSV: a spreadsheet-safe export and an all-or-nothing import."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError
from sqlmodel import Session, select

from khs_crm.models import ActivityAction, Customer, User
from khs_crm.services.core import csv_io
from khs_crm.services.core.access import require_office, visible_customer_condition
from khs_crm.services.core.errors import ValidationFailed, error_details
from khs_crm.services.customers.schemas import CustomerCreate
from khs_crm.services.customers.search import SORTS
from khs_crm.services.customers.service import add_customers

COLUMNS = ("name", "phone", "email", "address", "notes")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
MAX_REPORTED_ERRORS = 200


def export_customers_csv(session: Session, *, actor: User) -> Iterator[str]:
    """Every live customer as CSV text chunks (office only), sorted by name.

    The office check runs now, before the first chunk; the rows are read while streaming.
    Cells that a spreadsheet would run as a formula are neutralised (see csv_io).
    """
    require_office(actor, "export customers")
    query = (
        select(Customer)
        .where(visible_customer_condition(actor))
        .order_by(*SORTS["name"])
        .execution_options(yield_per=csv_io.CHUNK_ROWS)
    )
    rows = ([getattr(c, f) for f in COLUMNS] for c in session.exec(query))
    return csv_io.write_csv(COLUMNS, rows)


def _validate_rows(
    records: list[tuple[int, dict[str, str]]], errors: list[dict[str, str]]
) -> list[CustomerCreate]:
    items = []
    for number, record in records:
        try:
            items.append(CustomerCreate.model_validate(record))
        except ValidationError as exc:
            errors.extend(error_details(exc.errors(), prefix=f"row {number}."))
    if errors:
        bad_rows = len({e["field"].split(".")[0] for e in errors})
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            shown.append({"field": "file", "message": f"and {len(errors) - len(shown)} more"})
        raise ValidationFailed(
            f"{bad_rows} row(s) have errors; nothing was imported.", details=shown
        )
    return items


def import_customers_csv(session: Session, *, content: bytes, actor: User) -> int:
    """Import customers from CSV (office only): all rows or none. Returns the count.

    The header names columns among name, phone, email, address, notes (name required).
    Every row is validated before anything is written; any bad row raises ValidationFailed
    with one detail per problem, ``{"field": "row 3.email", ...}`` (the header is row 1).
    """
    require_office(actor, "import customers")
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed("The file is larger than 5 MB.")
    records, errors = csv_io.read_csv(
        content, columns=COLUMNS, required={"name"}, max_rows=MAX_IMPORT_ROWS
    )
    items = _validate_rows(records, errors)
    if not items:
        raise ValidationFailed("The file has no customers in it.")
    add_customers(session, items=items, actor=actor, action=ActivityAction.import_)
    session.flush()
    return len(items)
