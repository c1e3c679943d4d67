"""Pricing a signed change order in the office: a unit price typed for each of its lines (the
rest of each line is what the customer signed), read into the services' shape, with the
running totals computed by the money rules (office/money_lines.py does the reading)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from khs_crm.i18n import N_
from khs_crm.office.change_order_page import ChangeLine
from khs_crm.office.money_lines import RATE_SAID, LineDraft, read_line, read_rate, with_amounts
from khs_crm.services.change_orders.schemas import PricingIn
from khs_crm.services.core.errors import ValidationFailed

NEEDS_PRICE = N_("Enter a price for this line, such as 45.00.")


class PricedLine(BaseModel):
    number: int
    amount: str = ""
    problem: str = ""


class PricingTotals(BaseModel):
    subtotal: str = "$0.00"
    tax: str = "$0.00"
    total: str = "$0.00"
    problem: str = ""


def drafts(lines: list[ChangeLine], prices: dict[str, str]) -> list[LineDraft]:
    """The signed lines with the prices typed so far (by line number)."""
    return [
        LineDraft(
            key=str(line.number),
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=prices.get(str(line.number), ""),
            taxable=line.taxable,
        )
        for line in lines
    ]


def running(
    lines: list[ChangeLine], prices: dict[str, str], rate_text: str
) -> tuple[list[PricedLine], PricingTotals]:
    """Each line's amount (or what to fix) and the totals, from the prices typed so far."""
    shown, totals = with_amounts(drafts(lines, prices), rate_text)
    out = []
    for line, draft in zip(lines, shown, strict=True):
        typed = prices.get(str(line.number), "").strip()
        out.append(
            PricedLine(
                number=line.number, amount=draft.amount, problem=draft.problem if typed else ""
            )
        )
    return out, PricingTotals(**totals.model_dump())


def pricing_input(lines: list[ChangeLine], prices: dict[str, str], rate_text: str) -> PricingIn:
    """The priced lines and tax rate the services take, or ValidationFailed naming each line
    to fix (field ``price_<n>``) and the tax rate."""
    details: list[dict[str, str]] = []
    good: list[Any] = []
    for draft in drafts(lines, prices):
        field = f"price_{draft.key}"
        if not draft.unit_price.strip():
            details.append({"field": field, "message": NEEDS_PRICE})
            continue
        parsed, problem = read_line(draft)
        if parsed is None:
            details.append({"field": field, "message": problem})
        else:
            good.append(parsed)
    rate = read_rate(rate_text)
    if rate is None:
        details.append({"field": "tax_rate", "message": RATE_SAID})
    if details:
        raise ValidationFailed(
            N_("Some prices need fixing before the change order is priced."), details=details
        )
    return PricingIn(lines=good, tax_rate=rate)
