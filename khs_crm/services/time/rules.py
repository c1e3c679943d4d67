"""How time is counted, in one place (no database here): hours, weeks, flags, overtime and
labor cost.

- Hours: the exact seconds between start and end, less each break's seconds, as a Decimal
  rounded half-up to 2 places (8 h 20 min 30 s → 8.34; 7 h 59 min 42 s → 8.00 — 28782 s is
  7.995 h). An open entry has no hours yet.
- A company week starts on the company's week-start day (Monday by default) at 00:00 in the
  company's time zone; an entry belongs to the week, and the day, its start falls in.
- Flags for the office: ``over_16h`` (longer than 16 h from start to end, or open for more
  than 16 h), ``open_past_midnight`` (still open at the first midnight after its start,
  company time), ``late_sync`` (its end reached the server more than 24 h after it),
  ``edited`` (the office changed it), ``after_approval`` (changed in an approved week).
- Device times more than 10 minutes ahead of the server's receive time are refused.
- Weekly overtime: a person's hours in a company week beyond the threshold (40 by default);
  entries take it in the order they started (the hours past the threshold are overtime).
- Labor cost of a job: Σ hours × the person's hourly cost, rounded half-up to the cent once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

HOUR = Decimal(3600)
HUNDREDTH = Decimal("0.01")
CENT = Decimal("0.01")
ZERO_HOURS = Decimal("0.00")
LONG_ENTRY = timedelta(hours=16)
LATE_SYNC = timedelta(hours=24)
CLOCK_AHEAD = timedelta(minutes=10)

OVER_16H = "over_16h"
OPEN_PAST_MIDNIGHT = "open_past_midnight"
LATE = "late_sync"
EDITED = "edited"
AFTER_APPROVAL = "after_approval"
FLAGS = (OVER_16H, OPEN_PAST_MIDNIGHT, LATE, EDITED, AFTER_APPROVAL)
# Flags that say what happened (kept once set); the others follow the entry's times.
EVENT_FLAGS = (LATE, EDITED, AFTER_APPROVAL)


@dataclass(frozen=True)
class Break:
    started_at: datetime
    ended_at: datetime | None


def parse_time(value: Any) -> datetime:
    """An ISO time as stored in ``breaks`` (UTC when it names no zone)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def breaks_of(raw: Iterable[dict[str, Any]]) -> list[Break]:
    """The stored ``[{startedAt, endedAt}]`` as Breaks."""
    out = []
    for item in raw:
        end = item.get("endedAt")
        out.append(Break(parse_time(item["startedAt"]), parse_time(end) if end else None))
    return out


def breaks_json(breaks: Iterable[Break]) -> list[dict[str, Any]]:
    """Breaks as stored and sent: ``[{"startedAt": iso, "endedAt": iso | None}]``."""
    return [
        {
            "startedAt": b.started_at.astimezone(UTC).isoformat(),
            "endedAt": b.ended_at.astimezone(UTC).isoformat() if b.ended_at else None,
        }
        for b in breaks
    ]


def seconds_worked(started_at: datetime, ended_at: datetime, breaks: Sequence[Break]) -> int:
    """Seconds between start and end less the breaks' seconds (each break counted within the
    entry; never below zero)."""
    total = (ended_at - started_at).total_seconds()
    for b in breaks:
        start = max(b.started_at, started_at)
        end = min(b.ended_at or ended_at, ended_at)
        total -= max((end - start).total_seconds(), 0)
    return max(int(total), 0)


def hours(
    started_at: datetime, ended_at: datetime | None, breaks: Sequence[Break]
) -> Decimal | None:
    """Hours worked, half-up to 2 places; None while the entry is open."""
    if ended_at is None:
        return None
    return to_hours(seconds_worked(started_at, ended_at, breaks))


def to_hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / HOUR).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def shape_problem(started_at: datetime, ended_at: datetime | None, breaks: Sequence[Break]) -> str:
    """What is wrong with an entry's own times ('' when nothing): an end before the start,
    a break outside the entry, breaks that overlap or one left open before the last."""
    if ended_at is not None and ended_at < started_at:
        return "ends_before_start"
    previous_end: datetime | None = None
    for index, b in enumerate(breaks):
        last = index == len(breaks) - 1
        if b.ended_at is None and not (last and ended_at is None):
            return "break_open"
        if b.started_at < started_at or (b.ended_at is not None and b.ended_at < b.started_at):
            return "break_outside"
        if ended_at is not None and (b.ended_at or ended_at) > ended_at:
            return "break_outside"
        if previous_end is not None and b.started_at < previous_end:
            return "breaks_overlap"
        previous_end = b.ended_at
    return ""


def ahead_of(times: Iterable[datetime | None], received_at: datetime) -> datetime | None:
    """The first device time more than 10 minutes ahead of the server's receive time."""
    return next((t for t in times if t is not None and t > received_at + CLOCK_AHEAD), None)


def local_date(moment: datetime, tz_name: str) -> date:
    return moment.astimezone(ZoneInfo(tz_name)).date()


def week_start(day: date, week_start_day: int = 0) -> date:
    """The first day of the company week that holds ``day``."""
    return day - timedelta(days=(day.weekday() - week_start_day) % 7)


def week_of(moment: datetime, tz_name: str, week_start_day: int = 0) -> date:
    """The company week (its first day) an entry starting at ``moment`` belongs to."""
    return week_start(local_date(moment, tz_name), week_start_day)


def local_midnight(day: date, tz_name: str) -> datetime:
    """00:00 of a company day, as a UTC time."""
    return datetime.combine(day, time(0), ZoneInfo(tz_name)).astimezone(UTC)


def state_flags(
    started_at: datetime, ended_at: datetime | None, now: datetime, tz_name: str
) -> list[str]:
    """The flags an entry's times give it, as of ``now`` (for an open one)."""
    end = ended_at or now
    flags = []
    if end - started_at > LONG_ENTRY:
        flags.append(OVER_16H)
    midnight = local_midnight(local_date(started_at, tz_name) + timedelta(days=1), tz_name)
    if end > midnight:
        flags.append(OPEN_PAST_MIDNIGHT)
    return flags


def with_flags(stored: Iterable[str], *added: str) -> list[str]:
    """Flags in their one order, each once."""
    present = set(stored) | set(added)
    return [flag for flag in FLAGS if flag in present]


def all_flags(
    stored: Iterable[str],
    started_at: datetime,
    ended_at: datetime | None,
    now: datetime,
    tz_name: str,
) -> list[str]:
    """The kept event flags with the flags the times give as of ``now``."""
    events = [flag for flag in stored if flag in EVENT_FLAGS]
    return with_flags(events, *state_flags(started_at, ended_at, now, tz_name))


def synced_late(ended_at: datetime | None, received_at: datetime) -> bool:
    """An end that reached the server more than 24 h after it."""
    return ended_at is not None and received_at - ended_at > LATE_SYNC


@dataclass(frozen=True)
class Worked:
    """One closed entry as overtime reads it."""

    key: Any  # the entry's id
    user_key: Any
    started_at: datetime
    hours: Decimal


def overtime(entries: Iterable[Worked], threshold: Decimal, tz_name: str, week_day: int = 0):
    """Each entry's overtime hours ({key: Decimal}): per person and company week, in start
    order, the hours past ``threshold``."""
    out: dict[Any, Decimal] = {}
    totals: dict[tuple[Any, date], Decimal] = {}
    for entry in sorted(entries, key=lambda e: e.started_at):
        week = (entry.user_key, week_of(entry.started_at, tz_name, week_day))
        before = totals.get(week, ZERO_HOURS)
        after = before + entry.hours
        totals[week] = after
        out[entry.key] = max(after - max(before, threshold), ZERO_HOURS)
    return out


def weekly_overtime(total_hours: Decimal, threshold: Decimal) -> Decimal:
    """A week's overtime: its hours beyond the threshold."""
    return max(total_hours - threshold, ZERO_HOURS)


def labor_cost(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ hours × hourly cost over ``(hours, cost)`` pairs, rounded half-up to the cent once."""
    total = sum((h * cost for h, cost in lines), Decimal(0))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def hours_text(value: Decimal | None) -> str | None:
    """Hours as JSON carries them: ``"8.25"``."""
    return None if value is None else f"{value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)}"
