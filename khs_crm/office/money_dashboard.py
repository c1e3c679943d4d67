"""The dashboard's money section: its figures in words and the invoiced-vs-collected chart
as plain numbers for an inline SVG (no chart library)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from khs_crm.i18n import N_
from khs_crm.office.money import money
from khs_crm.services.money.dashboard import AGING, DashboardMoney

# The chart's drawing box (SVG user units; it scales to its card).
WIDTH, HEIGHT, BASE = 600, 180, 160
SLOT = WIDTH // 12
BAR = 16


class AgingBucket(BaseModel):
    label: str
    amount: str


class ChartBar(BaseModel):
    """One month: its two bars' geometry, its axis label and the figures it shows."""

    month: str
    x: int
    label_x: int
    invoiced_y: int
    invoiced_h: int
    collected_y: int
    collected_h: int
    invoiced: str
    collected: str


class MoneyFigures(BaseModel):
    open_estimates: int = 0
    open_value: str = ""
    approved_this_month: int = 0
    approved_value: str = ""
    outstanding: int = 0
    outstanding_value: str = ""
    overdue: int = 0
    overdue_value: str = ""
    aging: list[AgingBucket] = []
    chart: list[ChartBar] = []
    chart_summary: str = ""


def _label(low: int, high: int | None) -> str:
    if high is not None:
        return N_("{low}–{high} days").format(low=low, high=high)
    return N_("over {days} days").format(days=low - 1)


def _height(value: Decimal, top: Decimal) -> int:
    """A bar's height in chart units, in proportion to the largest figure (0 for none)."""
    if top <= 0 or value <= 0:
        return 0
    return max(1, int(value * (BASE - 10) / top))


def chart_bars(data: DashboardMoney) -> list[ChartBar]:
    top = max([m.invoiced for m in data.months] + [m.collected for m in data.months] + [Decimal(0)])
    bars = []
    for i, m in enumerate(data.months):
        inv, col = _height(m.invoiced, top), _height(m.collected, top)
        x = i * SLOT + (SLOT - 2 * BAR - 2) // 2
        bars.append(
            ChartBar(
                month=f"{m.first_day:%b}",
                x=x,
                label_x=i * SLOT + SLOT // 2,
                invoiced_y=BASE - inv,
                invoiced_h=inv,
                collected_y=BASE - col,
                collected_h=col,
                invoiced=money(m.invoiced),
                collected=money(m.collected),
            )
        )
    return bars


def money_figures(data: DashboardMoney) -> MoneyFigures:
    months = data.months
    total_in = sum((m.invoiced for m in months), Decimal(0))
    total_out = sum((m.collected for m in months), Decimal(0))
    return MoneyFigures(
        open_estimates=data.open_estimates,
        open_value=money(data.open_value),
        approved_this_month=data.approved_this_month,
        approved_value=money(data.approved_value),
        outstanding=data.outstanding,
        outstanding_value=money(data.outstanding_value),
        overdue=data.overdue,
        overdue_value=money(data.overdue_value),
        aging=[
            AgingBucket(label=_label(low, high), amount=money(amount))
            for (low, high), amount in zip(AGING, data.aging, strict=True)
        ],
        chart=chart_bars(data),
        chart_summary=N_(
            "Invoiced {invoiced} and collected {collected} over the last {count} months."
        ).format(invoiced=money(total_in), collected=money(total_out), count=len(months)),
    )
