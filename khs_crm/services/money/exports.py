"""CSV files for the accountant: invoices and payments, with the columns an accounting import
expects (date, number, customer, amount, tax, method, reference). Amounts are plain numbers
("-50.00" for a refund); text cells are made inert for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.models import Customer, Invoice, Payment
from khs_crm.services.core.csv_io import BOM, neutralise
from khs_crm.services.money.documents import money_text
from khs_crm.settings import get_settings

INVOICE_COLUMNS = (
    "date", "number", "customer", "kind", "status", "subtotal", "tax", "amount", "paid",
    "balance", "due_date",
)  # fmt: skip
PAYMENT_COLUMNS = ("date", "number", "customer", "amount", "method", "reference")


def _day(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(get_settings().timezone)).date().isoformat()


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    yield buffer.getvalue()


def invoices_csv(session: Session) -> Iterator[str]:
    """Every invoice that is not deleted, oldest first (void ones too, marked so)."""
    rows = session.exec(
        select(Invoice, Customer.name)
        .join(Customer, col(Customer.id) == Invoice.customer_id)
        .where(col(Invoice.deleted_at).is_(None))
        .order_by(col(Invoice.created_at), col(Invoice.number))
    ).all()
    lines = [
        [
            _day(inv.created_at),
            inv.number,
            neutralise(name),
            str(inv.kind),
            str(inv.status),
            money_text(inv.subtotal) or "",
            money_text(inv.tax) or "",
            money_text(inv.total) or "",
            money_text(inv.paid) or "",
            money_text(inv.total - inv.paid) or "",
            inv.due_date.isoformat() if inv.due_date else "",
        ]
        for inv, name in rows
    ]
    return _csv(INVOICE_COLUMNS, lines)


def payments_csv(session: Session) -> Iterator[str]:
    """Every payment and refund, oldest first, with its invoice's number and customer."""
    rows = session.exec(
        select(Payment, Invoice.number, Customer.name)
        .join(Invoice, col(Invoice.id) == Payment.invoice_id)
        .join(Customer, col(Customer.id) == Invoice.customer_id)
        .order_by(col(Payment.received_at), col(Payment.created_at))
    ).all()
    lines = [
        [
            _day(pay.received_at),
            number,
            neutralise(name),
            money_text(pay.amount) or "",
            str(pay.method),
            neutralise(pay.reference),
        ]
        for pay, number, name in rows
    ]
    return _csv(PAYMENT_COLUMNS, lines)
