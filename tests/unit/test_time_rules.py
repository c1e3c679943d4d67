"""The time clock's rules (services/time/rules.py), no database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from khs_crm.services.time import rules

T0 = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 08:00 in Chicago


def test_hours_are_exact_seconds_less_breaks_rounded_half_up():
    def h(seconds, breaks=()):
        return rules.hours(T0, T0 + timedelta(seconds=seconds), list(breaks))

    assert h(8 * 3600 + 20 * 60 + 30) == Decimal("8.34")
    assert h(28782) == Decimal("8.00")  # 7.995 h: half-up
    assert h(18) == Decimal("0.01") and h(17) == Decimal("0.00")  # 0.005 → 0.01
    lunch = rules.Break(T0 + timedelta(hours=4), T0 + timedelta(hours=4, minutes=30))
    assert h(9 * 3600, [lunch]) == Decimal("8.50")
    assert rules.hours(T0, None, []) is None
    assert rules.hours_text(Decimal("8.5")) == "8.50"


def test_times_that_do_not_fit_and_clocks_ahead():
    end = T0 + timedelta(hours=8)
    assert rules.shape_problem(T0, T0 - timedelta(seconds=1), []) == "ends_before_start"
    outside = rules.Break(T0 - timedelta(minutes=5), T0 + timedelta(minutes=5))
    assert rules.shape_problem(T0, end, [outside]) == "break_outside"
    assert rules.shape_problem(T0, None, [rules.Break(T0 + timedelta(hours=1), None)]) == ""
    assert rules.ahead_of([T0 + timedelta(minutes=10)], T0) is None
    assert rules.ahead_of([None, T0 + timedelta(minutes=10, seconds=1)], T0) is not None


def test_weeks_start_on_the_company_day_in_its_time_zone():
    sunday_night = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Sunday 21:00 in Chicago
    assert rules.week_of(sunday_night, "America/Chicago") == date(2026, 11, 30)
    assert rules.week_of(sunday_night, "UTC") == date(2026, 12, 7)
    assert rules.week_start(date(2026, 12, 3), 6) == date(2026, 11, 29)  # Sunday weeks


def test_flags():
    chicago = "America/Chicago"
    assert rules.state_flags(T0, T0 + timedelta(hours=8), T0, chicago) == []
    long = rules.state_flags(T0, T0 + timedelta(hours=16, seconds=1), T0, chicago)
    assert long == [rules.OVER_16H, rules.OPEN_PAST_MIDNIGHT]
    evening = T0 + timedelta(hours=10)  # 18:00 in Chicago, still open at 01:00
    still_open = rules.state_flags(evening, None, evening + timedelta(hours=7), chicago)
    assert still_open == [rules.OPEN_PAST_MIDNIGHT]
    assert rules.synced_late(T0, T0 + timedelta(hours=24, seconds=1))
    assert not rules.synced_late(T0, T0 + timedelta(hours=24))
    kept = rules.all_flags(["edited", "over_16h"], T0, T0 + timedelta(hours=1), T0, chicago)
    assert kept == ["edited"]


def test_weekly_overtime_is_the_hours_past_the_threshold_in_start_order():
    days = [rules.Worked(i, "ana", T0 + timedelta(days=i), Decimal("9.25")) for i in range(5)]
    nextweek = rules.Worked(9, "ana", T0 + timedelta(days=7), Decimal("9.25"))
    other = rules.Worked(8, "bo", T0, Decimal("45.00"))
    extra = rules.overtime([*days, nextweek, other], Decimal("40"), "America/Chicago")
    assert [extra[i] for i in range(5)] == [Decimal("0.00")] * 4 + [Decimal("6.25")]
    assert extra[9] == Decimal("0.00") and extra[8] == Decimal("5.00")
    assert rules.weekly_overtime(Decimal("46.25"), Decimal("40")) == Decimal("6.25")


def test_labor_cost_is_rounded_to_the_cent_once():
    assert rules.labor_cost([(Decimal("48.34"), Decimal("27.35"))]) == Decimal("1322.10")
    thirds = [(Decimal("0.01"), Decimal("0.50"))] * 3  # 0.015 → 0.02, not 3 × 0.01
    assert rules.labor_cost(thirds) == Decimal("0.02")
