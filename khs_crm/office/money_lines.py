"""The estimate editor's lines: what was typed in each cell, read into the money services'
line shapes, and the running subtotal, tax and total computed by their rules (Decimal, half-up
per line, tax once on the taxable sum). Nothing here does arithmetic of its own."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from khs_crm.i18n import N_
from khs_crm.models import DocumentLine
from khs_crm.office.money import LINE_KINDS, money
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.money import rules
from khs_crm.services.money.documents import number_text
from khs_crm.services.money.schemas import EstimateIn, ItemLine, LineIn, Rate

FIELDS = ("kind", "description", "quantity", "unit", "unit_price", "taxable")
SAID = {
    "quantity": N_("Enter a quantity above 0, with at most 3 decimals."),
    "unit_price": N_("Enter a price with at most 2 decimals (below 0 only on a discount)."),
    "description": N_("Shorten the description (500 characters at most)."),
    "unit": N_("Shorten the unit (40 characters at most)."),
}
RATE_SAID = N_("Enter a tax rate from 0 to 100 with at most 3 decimals.")
_LINE = TypeAdapter(LineIn)
_RATE = TypeAdapter(Rate)


class LineDraft(BaseModel):
    """One line as its cells hold it (text), with its amount when it reads."""

    key: str
    kind: str = "material"
    description: str = ""
    quantity: str = ""
    unit: str = ""
    unit_price: str = ""
    taxable: bool = True
    amount: str = ""
    problem: str = ""


class TotalsView(BaseModel):
    subtotal: str = "$0.00"
    tax: str = "$0.00"
    total: str = "$0.00"
    problem: str = ""


def blank_line() -> LineDraft:
    return LineDraft(key=secrets.token_hex(4))


def draft_of(row: DocumentLine) -> LineDraft:
    return LineDraft(
        key=secrets.token_hex(4),
        kind=str(row.kind),
        description=row.description,
        quantity=number_text(row.quantity) or "",
        unit=row.unit,
        unit_price=f"{row.unit_price:.2f}",
        taxable=row.taxable,
        amount=money(row.amount),
    )


def draft_of_item(line: ItemLine) -> LineDraft:
    """A line the services made (a job's material) as the editor's cells hold it."""
    return LineDraft(
        key=secrets.token_hex(4),
        kind=str(line.kind),
        description=line.description,
        quantity=number_text(line.quantity) or "",
        unit=line.unit,
        unit_price=f"{line.unit_price:.2f}",
        taxable=line.taxable,
    )


def is_blank(line: LineDraft) -> bool:
    return not (line.description.strip() or line.quantity.strip() or line.unit_price.strip())


def _plain_number(text: str) -> str:
    """What was typed, without the thousands commas and dollar sign people type."""
    return text.strip().replace(",", "").replace("$", "")


def read_line(line: LineDraft) -> tuple[Any, str]:
    """(the services' line, "") or (None, what to fix)."""
    raw = {
        "kind": line.kind if line.kind in LINE_KINDS else "material",
        "description": line.description,
        "quantity": _plain_number(line.quantity),
        "unit": line.unit,
        "unit_price": _plain_number(line.unit_price),
        "taxable": bool(line.taxable),
    }
    try:
        return _LINE.validate_python(raw), ""
    except ValidationError as exc:
        first = str(exc.errors()[0]["loc"][-1]) if exc.errors() else "quantity"
        if first not in SAID:
            first = "unit_price" if "price" in first else "quantity"
        return None, SAID[first]


def read_rate(text: str) -> Decimal | None:
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return Decimal("0")
    try:
        return _RATE.validate_python(cleaned)
    except ValidationError:
        return None


def with_amounts(lines: list[LineDraft], rate_text: str) -> tuple[list[LineDraft], TotalsView]:
    """Each line's amount (or what to fix in it) and the document's running totals, from the
    lines that read (blank ones are skipped)."""
    shown: list[LineDraft] = []
    good: list[Any] = []
    for line in lines:
        if is_blank(line):
            shown.append(line.model_copy(update={"amount": "", "problem": ""}))
            continue
        parsed, problem = read_line(line)
        amount = money(rules.line_amount(parsed.quantity, parsed.unit_price)) if parsed else ""
        shown.append(line.model_copy(update={"amount": amount, "problem": problem}))
        if parsed is not None:
            good.append(parsed)
    rate = read_rate(rate_text)
    result = rules.totals(good, rate if rate is not None else Decimal("0"))
    view = TotalsView(
        subtotal=money(result.subtotal),
        tax=money(result.tax),
        total=money(result.total),
        problem=RATE_SAID if rate is None else "",
    )
    if result.total < 0:
        view.problem = N_("The total would be below zero: make the discount smaller.")
    return shown, view


def estimate_input(
    lines: list[LineDraft], *, rate_text: str, valid_until: str, notes: str
) -> EstimateIn:
    """What the services save, or ValidationFailed naming each line and field to fix."""
    details: list[dict[str, str]] = []
    good: list[Any] = []
    for number, line in enumerate((x for x in lines if not is_blank(x)), start=1):
        parsed, problem = read_line(line)
        if parsed is None:
            details.append({"field": f"line_{number}", "message": f"Line {number}: {problem}"})
        else:
            good.append(parsed)
    rate = read_rate(rate_text)
    if rate is None:
        details.append({"field": "tax_rate", "message": RATE_SAID})
    until = _date(valid_until)
    if valid_until.strip() and until is None:
        details.append({"field": "valid_until", "message": N_("Enter a date.")})
    if details:
        raise ValidationFailed(
            N_("Some lines need fixing before the estimate is saved."), details=details
        )
    return EstimateIn(lines=good, tax_rate=rate, valid_until=until, notes=notes[:5000])


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
