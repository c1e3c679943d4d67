"""How money is computed, in one place: Decimal arithmetic, rounded half-up to the cent.

A line's amount is ``quantity × unitPrice`` rounded half-up to the cent; tax is computed once,
on the sum of the taxable lines' amounts, and rounded half-up; a document's total is the sum
of its lines plus that tax, and never negative. Example: 3 × 19.99 taxable at 8.25 % →
subtotal 59.97, tax 4.95, total 64.92.

Invoices made from an approved estimate bill shares of its lines (``percent_share``) and of
its tax (``tax_share``), each capped by what is left, so all of a job's invoices together
never bill more than the estimate, and a final invoice (``remaining``) bills exactly the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# NUMERIC(12,2): the largest amount a column holds.
MAX_AMOUNT = Decimal("9999999999.99")


class Priced(Protocol):
    """A line as the rules read it."""

    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def taxable(self) -> bool: ...


def to_cent(value: Decimal) -> Decimal:
    """Rounded half-up (away from zero on a tie) to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """``quantity × unit_price``, rounded half-up to the cent."""
    return to_cent(quantity * unit_price)


def tax_on(taxable: Decimal, rate: Decimal) -> Decimal:
    """Tax on a taxable sum at ``rate`` percent, half-up; nothing on a sum at or below zero."""
    return to_cent(taxable * rate / HUNDRED) if taxable > 0 else ZERO


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    taxable: Decimal
    tax: Decimal
    total: Decimal


def totals(lines: Iterable[Priced], rate: Decimal) -> Totals:
    """A document's subtotal, taxable sum, tax and total (the total may come out negative:
    ``check_total`` refuses that)."""
    amounts = [(line_amount(line.quantity, line.unit_price), line.taxable) for line in lines]
    subtotal = sum((amount for amount, _ in amounts), ZERO)
    taxable = sum((amount for amount, is_taxable in amounts if is_taxable), ZERO)
    tax = tax_on(taxable, rate)
    return Totals(subtotal, taxable, tax, subtotal + tax)


def totals_of_amounts(amounts: Iterable[tuple[Decimal, bool]], tax: Decimal) -> Totals:
    """Totals of lines whose amounts are already set (an invoice's shares) and a given tax."""
    pairs = list(amounts)
    subtotal = sum((amount for amount, _ in pairs), ZERO)
    taxable = sum((amount for amount, is_taxable in pairs if is_taxable), ZERO)
    return Totals(subtotal, taxable, tax, subtotal + tax)


def total_problem(result: Totals) -> str | None:
    """Why these totals cannot stand (a negative or too large total), or None."""
    if result.total < 0:
        return "negative"
    if max(abs(result.subtotal), abs(result.total), abs(result.taxable)) > MAX_AMOUNT:
        return "too_large"
    return None


def _capped(share: Decimal, left: Decimal) -> Decimal:
    """A share no larger in size than what is left, on the same side of zero."""
    if left >= 0:
        return max(ZERO, min(share, left))
    return min(ZERO, max(share, left))


def percent_share(amount: Decimal, billed: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of a line's amount, half-up, capped by what is not yet billed of it."""
    return _capped(to_cent(amount * percent / HUNDRED), amount - billed)


def tax_share(
    taxable: Decimal, rate: Decimal, estimate_tax: Decimal, billed_tax: Decimal
) -> Decimal:
    """The tax of an invoice's share, recomputed on its taxable sum, capped by the estimate's
    tax not yet billed."""
    return _capped(tax_on(taxable, rate), estimate_tax - billed_tax)


def remaining(amounts: Mapping[str, Decimal], billed: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """What is left to bill of each line (by key): its amount less what invoices billed."""
    return {key: amount - billed.get(key, ZERO) for key, amount in amounts.items()}


def balance(total: Decimal, paid: Decimal) -> Decimal:
    """What the customer still owes on an invoice."""
    return total - paid
