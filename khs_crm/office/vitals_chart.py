"""The owner's speed charts: the weekly 75th percentile of each Core Web Vital per page, over
the last weeks, as plain numbers for small inline SVG line charts (no chart library), with
the same figures as a table and a sentence for people who do not see the chart."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from khs_crm.i18n import N_
from khs_crm.services.ops.vitals import NAMES, WeeklyP75, week_start

# Each chart's drawing box (SVG user units; it scales to its card).
WIDTH, HEIGHT = 300, 160
LEFT, RIGHT, TOP, BASE = 24, 24, 18, 132
MAX_PAGES = 4  # lines per chart: more would be a tangle; the busiest pages are shown
# What "good" is for each vital (web.dev): LCP and INP in milliseconds, CLS unitless.
GOOD = {"LCP": 2500.0, "INP": 200.0, "CLS": 0.1}
TITLES = {
    "LCP": N_("Page shown (LCP)"),
    "INP": N_("Response to a tap (INP)"),
    "CLS": N_("Layout shifts (CLS)"),
}


class WeekTick(BaseModel):
    x: int
    label: str  # "Nov 23": the Monday the week starts on; "" where a label would crowd


class Dot(BaseModel):
    x: int
    y: int


class Line(BaseModel):
    """One page's weekly values: a polyline, its dots and its colour (``series-N``)."""

    page: str
    series: str
    points: str
    dots: list[Dot]


class WeekRow(BaseModel):
    week: str
    cells: list[str]  # one per page of the chart, "–" for a week without visits


class VitalChart(BaseModel):
    name: str
    title: str
    summary: str
    good_y: int
    good_label: str
    top_label: str
    ticks: list[WeekTick]
    lines: list[Line]
    pages: list[str]
    rows: list[WeekRow]


def vital_value(name: str, value: float) -> str:
    """A vital as people read it: LCP and INP in milliseconds, CLS as a plain number."""
    return f"{value:.2f}" if name == "CLS" else f"{value:,.0f} ms"


def busiest_pages(rows: list[WeeklyP75]) -> list[str]:
    """The pages with the most visits over the weeks shown (all vitals), busiest first."""
    visits: dict[str, int] = defaultdict(int)
    for r in rows:
        visits[r.page] += r.count
    return sorted(visits, key=lambda page: (-visits[page], page))[:MAX_PAGES]


def _x(index: int, weeks: int) -> int:
    return LEFT + (index * (WIDTH - LEFT - RIGHT) // max(1, weeks - 1))


def _y(value: float, top: float) -> int:
    return BASE - int(value * (BASE - TOP) / top) if top > 0 else BASE


def _ticks(weeks: list[str]) -> list[WeekTick]:
    newest = len(weeks) - 1
    return [
        WeekTick(
            x=_x(i, len(weeks)), label=f"{week_start(w):%b %d}" if (newest - i) % 2 == 0 else ""
        )
        for i, w in enumerate(weeks)
    ]


def _summary(name: str, latest: dict[str, float]) -> str:
    if not latest:
        return N_("{title}: no measurements this week.").format(title=TITLES[name])
    parts = ", ".join(f"{page} {vital_value(name, v)}" for page, v in latest.items())
    return N_("{title}, 75th percentile this week: {parts} (good: up to {good}).").format(
        title=TITLES[name], parts=parts, good=vital_value(name, GOOD[name])
    )


def vital_chart(name: str, rows: list[WeeklyP75], weeks: list[str], pages: list[str]) -> VitalChart:
    """One vital's chart: a line per page over ``weeks`` (oldest first), scaled so the "good"
    line and the slowest week both fit."""
    found = {(r.week, r.page): r.p75 for r in rows if r.name == name}
    top = max([GOOD[name] * 1.25, *found.values()])
    lines = []
    for n, page in enumerate(pages):
        dots = [
            Dot(x=_x(i, len(weeks)), y=_y(found[(w, page)], top))
            for i, w in enumerate(weeks)
            if (w, page) in found
        ]
        points = " ".join(f"{d.x},{d.y}" for d in dots)
        lines.append(Line(page=page, series=f"series-{n}", points=points, dots=dots))
    latest = {p: found[(weeks[-1], p)] for p in pages if (weeks[-1], p) in found}
    return VitalChart(
        name=name,
        title=TITLES[name],
        summary=_summary(name, latest),
        good_y=_y(GOOD[name], top),
        good_label=N_("good: up to {value}").format(value=vital_value(name, GOOD[name])),
        top_label=vital_value(name, top),
        ticks=_ticks(weeks),
        lines=lines,
        pages=pages,
        rows=[
            WeekRow(
                week=f"{week_start(w):%b %d}",
                cells=[vital_value(name, found[(w, p)]) if (w, p) in found else "–" for p in pages],
            )
            for w in reversed(weeks)
        ],
    )


def vital_charts(rows: list[WeeklyP75], weeks: list[str]) -> list[VitalChart]:
    """LCP, INP and CLS charts over ``weeks`` (oldest first), the same pages and colours in each."""
    pages = busiest_pages(rows)
    if not pages:
        return []
    return [vital_chart(name, rows, weeks, pages) for name in NAMES]
