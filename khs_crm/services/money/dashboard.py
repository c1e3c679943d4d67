"""The office dashboard's money figures, each added up by the database in three queries:
open estimates and their value, approved this month, what customers owe (and how long ago it
was invoiced), what is overdue, and invoiced vs collected per month for the last 12 months.

Days and months are the company's (its time zone): a payment at 11 pm on the 31st counts in
that month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from khs_crm.models import Estimate, EstimateStatus, Invoice, InvoiceStatus, Payment
from khs_crm.services.money import documents, rules
from khs_crm.settings import get_settings

MONTHS = 12
AGING = ((0, 30), (31, 60), (61, 90), (91, None))  # days since the invoice was sent
OPEN = (InvoiceStatus.sent, InvoiceStatus.partially_paid)


@dataclass(frozen=True)
class Month:
    first_day: date
    invoiced: Decimal
    collected: Decimal


@dataclass(frozen=True)
class DashboardMoney:
    open_estimates: int
    open_value: Decimal
    approved_this_month: int
    approved_value: Decimal
    outstanding: int
    outstanding_value: Decimal
    overdue: int
    overdue_value: Decimal
    aging: tuple[Decimal, ...]  # outstanding balances 0–30, 31–60, 61–90, 90+ days old
    months: tuple[Month, ...]  # oldest first, this month last


def _start(day: date) -> datetime:
    """The first moment of ``day`` in the company's time zone."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(get_settings().timezone))


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the last ``count`` months, oldest first, then the next month's."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count + 1):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    firsts.reverse()
    nxt = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return firsts[1:] + [nxt]


def _total(condition: Any, value: Any) -> Any:
    return func.sum(case((condition, value), else_=0))


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _cents(value: Any) -> Decimal:
    return rules.to_cent(Decimal(str(value or 0)))


def _estimates(session: Session, today: date) -> tuple[int, Decimal, int, Decimal]:
    sent_open = (col(Estimate.status) == EstimateStatus.sent) & (
        col(Estimate.valid_until).is_(None) | (col(Estimate.valid_until) >= today)
    )
    is_open = (col(Estimate.status) == EstimateStatus.draft) | sent_open
    month = (col(Estimate.status) == EstimateStatus.approved) & (
        col(Estimate.approved_at) >= _start(today.replace(day=1))
    )
    row = session.exec(
        select(
            _count(is_open),
            _total(is_open, Estimate.total),
            _count(month),
            _total(month, Estimate.total),
        ).where(col(Estimate.deleted_at).is_(None))
    ).one()
    return int(row[0] or 0), _cents(row[1]), int(row[2] or 0), _cents(row[3])


def _invoices(session: Session, today: date, firsts: list[date]) -> tuple[Any, ...]:
    owed = col(Invoice.total) - col(Invoice.paid)
    is_open = col(Invoice.status).in_(OPEN)
    late = is_open & (col(Invoice.due_date) < today)
    issued = func.coalesce(col(Invoice.sent_at), col(Invoice.created_at))
    ages = []
    for low, high in AGING:
        cond = is_open & (issued < _start(today - timedelta(days=low - 1)))
        if high is not None:
            cond = cond & (issued >= _start(today - timedelta(days=high)))
        ages.append(_total(cond, owed))
    billed = col(Invoice.status).not_in((InvoiceStatus.draft, InvoiceStatus.void))
    months = [
        _total(billed & (issued >= _start(a)) & (issued < _start(b)), Invoice.total)
        for a, b in zip(firsts, firsts[1:], strict=False)
    ]
    columns = [_count(is_open), _total(is_open, owed), _count(late), _total(late, owed)]
    return session.exec(
        select(*columns, *ages, *months).where(col(Invoice.deleted_at).is_(None))
    ).one()


def _collected(session: Session, firsts: list[date]) -> tuple[Any, ...]:
    at = col(Payment.received_at)
    months = [
        _total((at >= _start(a)) & (at < _start(b)), Payment.amount)
        for a, b in zip(firsts, firsts[1:], strict=False)
    ]
    return session.exec(select(*months)).one()


def dashboard_money(session: Session, *, today: date | None = None) -> DashboardMoney:
    """The dashboard's money figures (office only: the caller checks the role). Open
    estimates: drafts and sent ones not past their date; outstanding: sent or partly paid
    invoices' balances, aged by the days since they were sent; invoiced: invoices sent in
    the month (not void); collected: payments received in it, refunds taken off."""
    today = today or documents.today()
    firsts = month_starts(today)
    open_count, open_value, approved, approved_value = _estimates(session, today)
    inv = _invoices(session, today, firsts)
    paid = _collected(session, firsts)
    months = tuple(
        Month(first, _cents(inv[8 + i]), _cents(paid[i])) for i, first in enumerate(firsts[:-1])
    )
    return DashboardMoney(
        open_estimates=open_count,
        open_value=open_value,
        approved_this_month=approved,
        approved_value=approved_value,
        outstanding=int(inv[0] or 0),
        outstanding_value=_cents(inv[1]),
        overdue=int(inv[2] or 0),
        overdue_value=_cents(inv[3]),
        aging=tuple(_cents(v) for v in inv[4:8]),
        months=months,
    )
