"""Materials' unit costs on the office job page: what was typed in a cost cell, read by the
money rules (an amount with at most 2 decimals, as ``UnitCostIn`` takes it over the API), and
a known cost written back into the cell. Office only: no field screen imports this."""

from __future__ import annotations

from decimal import Decimal

from pydantic import TypeAdapter, ValidationError

from khs_crm.i18n import N_
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.money.schemas import Price

COST_SAID = N_("Enter what one unit costs, with at most 2 decimals, such as 12.50.")
_PRICE = TypeAdapter(Price)


def unit_cost_text(value: Decimal | None) -> str:
    """A known cost as its cell shows it ("12.50"); "" when unknown."""
    return "" if value is None else f"{value:.2f}"


def unit_cost_of(raw: str) -> Decimal | None:
    """The cost typed in a cell: "12.5", "$1,234.50"; empty means unknown (None).
    ValidationFailed, naming the ``unit_cost`` field, for anything else."""
    cleaned = raw.strip().removeprefix("$").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        return _PRICE.validate_python(cleaned)
    except ValidationError as exc:
        raise ValidationFailed(
            COST_SAID, details=[{"field": "unit_cost", "message": COST_SAID}]
        ) from exc
