"""The office dashboard's figures, read in one pass and shared by every office tab until the
next write (integrations/read_cache.py): they are the same for every owner and admin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from khs_crm.integrations.read_cache import cached, stamped
from khs_crm.models import User
from khs_crm.office import double_bookings
from khs_crm.office import schedule as schedule
from khs_crm.office.activity import ActivityRow
from khs_crm.office.approved_waiting import WaitingJob, waiting_for_a_date
from khs_crm.office.double_bookings import DayClash
from khs_crm.office.money_dashboard import MoneyFigures, money_figures
from khs_crm.office.schedule import ScheduledJob, ToBuy
from khs_crm.office.timelines import activity_page
from khs_crm.services.core.access import is_office
from khs_crm.services.core.reports import DashboardSummary
from khs_crm.services.money.dashboard import dashboard_money
from khs_crm.services.sync import conflicts as sync_conflicts

WEEK_ROWS = 30
TODAY_ROWS = 50
TO_BUY_ROWS = 8
RECENT_ROWS = 8
WAITING_ROWS = 10


@dataclass(frozen=True)
class DashboardFigures:
    summary: DashboardSummary
    open_conflicts: int
    today: list[ScheduledJob]
    week: list[ScheduledJob]
    to_buy: list[ToBuy]
    double_bookings: list[DayClash]
    double_total: int
    recent: list[ActivityRow]
    approved_waiting: list[WaitingJob]


def read_figures(session: Session, user: User) -> DashboardFigures:
    """Counts, today, this week, what to buy, double bookings, recent activity and the
    approved jobs waiting for a date."""
    day = schedule.today()
    clashes, clash_total = double_bookings.upcoming(session)
    recent, _page = activity_page(session, entity="", page=1, page_size=RECENT_ROWS)
    return DashboardFigures(
        summary=schedule.summary(session),
        open_conflicts=sync_conflicts.open_count(session, user=user),
        today=schedule.scheduled_jobs(session, first=day, days=1, limit=TODAY_ROWS),
        week=schedule.scheduled_jobs(session, first=schedule.week_of(day), days=7, limit=WEEK_ROWS),
        to_buy=schedule.materials_to_buy(session, limit=TO_BUY_ROWS),
        double_bookings=clashes,
        double_total=clash_total,
        recent=recent,
        approved_waiting=waiting_for_a_date(session, limit=WAITING_ROWS),
    )


def figures(session: Session, user: User) -> tuple[DashboardFigures, str]:
    """``read_figures``, kept for the day until something is written (office users only),
    and the stamp of that computation (read_cache.stamped)."""
    assert is_office(user)  # noqa: S101 (the state's gate let only the office in)
    day = schedule.today().isoformat()
    return stamped(f"office-dashboard:{day}", lambda: read_figures(session, user))


def money(session: Session) -> tuple[MoneyFigures, str]:
    """The money section's figures, kept for the day until something is written, and the
    stamp of that computation."""
    day = schedule.today().isoformat()
    return stamped(f"office-money:{day}", lambda: money_figures(dashboard_money(session)))


def open_conflicts(session: Session, user: User) -> int:
    """The navigation's count of conflicts waiting for review (the office sees them all)."""
    return cached("office-open-conflicts", lambda: sync_conflicts.open_count(session, user=user))
