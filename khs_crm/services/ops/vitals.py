"""Core Web Vitals from the phones: kept per ISO week, page and metric; the owner reads the
75th percentile of each.

Values are kept in Redis lists when KHS_REDIS_URL is set (shared by every process, kept 10
weeks), else in one JSON file in the data folder (one process). Each (week, page, metric)
keeps its newest 2,000 values: plenty for a p75 of a small company's phones. Pages are route
patterns: ids and numbers in them are replaced by ``:id`` so no record is named.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from khs_crm.integrations.redis import get_redis
from khs_crm.settings import get_settings

NAMES = ("LCP", "INP", "CLS")
KEEP = 2000
WEEKS_KEPT = 10
REDIS_PREFIX = "khs:vitals:"
_ID = re.compile(r"(?<=/)(?:[0-9a-fA-F-]{8,}|\d+)(?=/|$)")
_lock = threading.Lock()


@dataclass(frozen=True)
class Vital:
    name: str  # LCP | INP | CLS
    value: float  # LCP and INP in milliseconds, CLS unitless
    page: str
    offline: bool


@dataclass(frozen=True)
class WeeklyP75:
    week: str  # ISO week, "2026-W48"
    page: str
    name: str
    p75: float
    count: int


def page_pattern(page: str) -> str:
    """The page as a pattern: no query, no fragment, ids as ``:id``."""
    path = page.split("?", 1)[0].split("#", 1)[0] or "/"
    return _ID.sub(":id", path)[:100]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def recent_weeks(weeks: int, *, today: date | None = None) -> list[str]:
    """The last ``weeks`` ISO weeks, oldest first, this week last (weeks with no values too)."""
    day = today or datetime.now(UTC).date()
    return [iso_week(day - timedelta(weeks=back)) for back in range(weeks - 1, -1, -1)]


def week_start(week: str) -> date:
    """The Monday an ISO week (``2026-W48``) starts on."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def p75(values: list[float]) -> float:
    """The 75th percentile, nearest rank (what web-vitals reports use)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.75 * len(ordered)) - 1)]


def _file() -> Path:
    return get_settings().data_dir / "telemetry" / "vitals.json"


def _load() -> dict[str, list[float]]:
    try:
        return json.loads(_file().read_text())
    except (OSError, ValueError):
        return {}


def _save(data: dict[str, list[float]]) -> None:
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def record(vitals: list[Vital], *, today: date | None = None) -> None:
    """Keep a batch of values under this week."""
    week = iso_week(today or datetime.now(UTC).date())
    keyed = [(f"{week}|{v.page}|{v.name}", v.value) for v in vitals]
    client = get_redis()
    if client is not None:
        pipe = client.pipeline()
        for key, value in keyed:
            pipe.lpush(REDIS_PREFIX + key, value)
            pipe.ltrim(REDIS_PREFIX + key, 0, KEEP - 1)
            pipe.expire(REDIS_PREFIX + key, WEEKS_KEPT * 7 * 86400)
        pipe.execute()
        return
    with _lock:
        data = _load()
        for key, value in keyed:
            data[key] = (data.get(key, []) + [value])[-KEEP:]
        oldest = iso_week((today or datetime.now(UTC).date()) - timedelta(weeks=WEEKS_KEPT))
        _save({k: v for k, v in data.items() if k.split("|", 1)[0] >= oldest})


def _stored() -> dict[str, list[float]]:
    client = get_redis()
    if client is None:
        with _lock:
            return _load()
    found: dict[str, list[float]] = {}
    for raw in client.scan_iter(match=REDIS_PREFIX + "*", count=500):
        key = raw.decode() if isinstance(raw, bytes) else str(raw)
        values = client.lrange(key, 0, -1)
        found[key.removeprefix(REDIS_PREFIX)] = [float(v) for v in values]  # type: ignore[union-attr]
    return found


def weekly_p75(*, weeks: int = 8, today: date | None = None) -> list[WeeklyP75]:
    """The p75 of each page and metric for the last ``weeks`` ISO weeks, newest week first."""
    oldest = recent_weeks(weeks, today=today)[0]
    rows = []
    for key, values in _stored().items():
        week, rest = key.split("|", 1)
        page, name = rest.rsplit("|", 1)  # a page may hold "|"; the week and name never do
        if week >= oldest and values:
            rows.append(WeeklyP75(week, page, name, round(p75(values), 4), len(values)))
    rows.sort(key=lambda r: (r.page, r.name))
    rows.sort(key=lambda r: r.week, reverse=True)
    return rows
