"""The timesheet week as the office reads it: hours per day and job, totals, overtime,
flags in words, and the forms' times (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from khs_crm.office import timesheets_forms as forms
from khs_crm.office.timesheets import Punch, build_sheet, flag_words
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.time import rules

TZ = "America/Chicago"  # UTC-6 in December
ANA, BEN = uuid.uuid4(), uuid.uuid4()
PORCH, DECK = uuid.uuid4(), uuid.uuid4()
MONDAY = date(2026, 11, 30)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """Company time (Chicago, UTC-6) ``day`` days after Monday, Nov 30, 2026, as UTC."""
    return datetime(2026, 11, 30, tzinfo=UTC) + timedelta(days=day, hours=hour + 6, minutes=minute)


def _punch(user, job, title, start, end, *, breaks=(), flags=()):
    return Punch(uuid.uuid4(), user, job, title, start, end, list(breaks), list(flags))


def _sheet(punches, people=((ANA, "Ana"), (BEN, "Ben")), approved=(), threshold="40"):
    return build_sheet(
        first=MONDAY,
        people=list(people),
        punches=punches,
        approved=approved,
        tz=TZ,
        threshold=Decimal(threshold),
        week_start_day=0,
        today=date(2026, 12, 2),
    )


def test_a_day_shows_its_hours_and_the_jobs_under_them():
    lunch = rules.Break(_at(1, 12), _at(1, 12, 30))
    sheet = _sheet(
        [
            _punch(ANA, PORCH, "Porch rebuild", _at(1, 7), _at(1, 12, 30), breaks=[lunch]),
            _punch(ANA, DECK, "Deck", _at(1, 13), _at(1, 16, 15)),
        ]
    )
    ana = sheet.rows[0]
    tuesday = ana.days[1]
    assert ana.name == "Ana" and tuesday.hours == "8.25 h"
    assert [(j.title, j.hours) for j in tuesday.jobs] == [
        ("Porch rebuild", "5.00 h"),
        ("Deck", "3.25 h"),
    ]
    assert ana.days[0].hours == "" and ana.total == "8.25 h" and ana.overtime == ""
    assert [d.label for d in sheet.days][:2] == ["Mon 30", "Tue 1"]
    assert sheet.days[2].today and not sheet.days[1].today


def test_an_evening_entry_belongs_to_its_company_day_not_the_utc_one():
    # 20:00 Chicago on Monday is 02:00 UTC on Tuesday
    sheet = _sheet([_punch(BEN, PORCH, "Porch", _at(0, 20), _at(0, 22))])
    ben = next(r for r in sheet.rows if r.name == "Ben")
    assert ben.days[0].hours == "2.00 h" and ben.days[1].hours == ""


def test_overtime_is_the_hours_past_the_threshold_per_person():
    long_days = [_punch(ANA, PORCH, "Porch", _at(d, 6), _at(d, 16, 30)) for d in range(0, 5)]
    sheet = _sheet([*long_days, _punch(BEN, DECK, "Deck", _at(1, 7), _at(1, 15))])
    ana, ben = sheet.rows
    assert ana.total == "52.50 h" and ana.overtime == "12.50 h"
    assert ben.total == "8.00 h" and ben.overtime == ""
    assert sheet.total == "60.50 h" and sheet.overtime == "12.50 h"
    assert _sheet(long_days, threshold="60").rows[0].overtime == ""


def test_an_open_entry_shows_clocked_in_and_counts_no_hours_yet():
    sheet = _sheet([_punch(ANA, PORCH, "Porch", _at(2, 7), None)])
    wednesday = sheet.rows[0].days[2]
    assert wednesday.open and wednesday.hours == ""
    assert sheet.entries[0].hours == "Clocked in" and sheet.entries[0].end == ""


def test_flags_read_in_words_on_the_person_and_the_entry():
    flags = [rules.OVER_16H, rules.LATE]
    sheet = _sheet([_punch(ANA, PORCH, "Porch", _at(0, 5), _at(0, 22), flags=flags)])
    assert sheet.rows[0].flags == ["Over 16 hours", "Synced over a day late"]
    assert sheet.rows[0].days[0].flagged
    assert sheet.entries[0].flags == sheet.rows[0].flags
    assert flag_words(rules.FLAGS) == [
        "Over 16 hours",
        "Ran past midnight",
        "Synced over a day late",
        "Edited by the office",
        "Changed after approval",
    ]


def test_people_are_listed_by_name_with_approval_and_anyone_with_time_included():
    carl = uuid.uuid4()
    sheet = _sheet(
        [_punch(carl, DECK, "Deck", _at(3, 7), _at(3, 9))],
        people=[(BEN, "ben"), (ANA, "Ana")],
        approved=[BEN],
    )
    assert [r.name for r in sheet.rows] == ["Ana", "ben", "Former person"]
    assert [r.approved for r in sheet.rows] == [False, True, False]
    assert [r.has_time for r in sheet.rows] == [False, False, True]
    assert "Monday" in sheet.rules_text and "40 hours" in sheet.rules_text


def test_an_entry_row_has_the_company_day_times_and_break_minutes():
    lunch = rules.Break(_at(4, 12), _at(4, 12, 45))
    row = _sheet([_punch(BEN, DECK, "Deck", _at(4, 7, 5), _at(4, 15), breaks=[lunch])]).entries[0]
    assert (row.date, row.start, row.end, row.breaks) == ("2026-12-04", "07:05", "15:00", "45")
    assert row.hours == "7.17 h" and row.day == "Fri Dec 4" and row.person == "Ben"


def test_the_office_form_reads_company_times_and_an_overnight_end():
    form = {"date": "2026-12-01", "start": "22:00", "end": "06:00", "breaks": "30"}
    began, ended, minutes = forms.entry_times(form, TZ)
    assert began == _at(1, 22) and ended == _at(2, 6) and minutes == 30
    (only,) = forms.breaks_for(began, ended, minutes)
    assert only.ended_at - only.started_at == _at(1, 0, 30) - _at(1, 0)


def test_unchanged_break_minutes_keep_the_breaks_the_phone_recorded():
    lunch = rules.Break(_at(1, 12), _at(1, 12, 30))
    assert forms.breaks_for(_at(1, 7), _at(1, 16), 30, [lunch]) == [lunch]
    moved = forms.breaks_for(_at(1, 13), _at(1, 16), 30, [lunch])
    assert moved != [lunch] and moved[0].started_at >= _at(1, 13)
    assert forms.breaks_for(_at(1, 7), _at(1, 16), 0, [lunch]) == []


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"date": "soon", "start": "07:00"}, "date"),
        ({"date": "2026-12-01", "start": ""}, "start"),
        ({"date": "2026-12-01", "start": "07:00", "end": "25:00"}, "end"),
        ({"date": "2026-12-01", "start": "07:00", "end": "08:00", "breaks": "-5"}, "breaks"),
        ({"date": "2026-12-01", "start": "07:00", "end": "08:00", "breaks": "90"}, "breaks"),
    ],
)
def test_the_form_says_which_field_to_fix(form, field):
    with pytest.raises(ValidationFailed) as caught:
        forms.entry_times(form, TZ)
    assert field in [d["field"] for d in caught.value.details]


def test_an_edit_needs_a_reason():
    form = {"job": str(PORCH), "date": "2026-12-01", "start": "07:00", "end": "15:00"}
    with pytest.raises(ValidationFailed) as caught:
        forms.entry_edit({**form, "reason": "  "}, TZ, [])
    assert caught.value.details[0]["field"] == "reason"
    edit = forms.entry_edit({**form, "reason": "Forgot to clock out"}, TZ, [])
    assert edit.reason == "Forgot to clock out" and edit.ended_at == _at(1, 15)
    with pytest.raises(ValidationFailed):
        forms.unapprove_reason({"reason": ""})


@pytest.mark.parametrize(
    ("raw", "value"), [("28.5", Decimal("28.50")), ("$1,200.00", Decimal("1200.00")), ("", None)]
)
def test_an_hourly_cost_reads_dollars_and_cents(raw, value):
    assert forms.parse_cost({"hourly_cost": raw}) == value


@pytest.mark.parametrize("raw", ["abc", "-1", "12.345", "NaN"])
def test_a_wrong_hourly_cost_is_named(raw):
    with pytest.raises(ValidationFailed):
        forms.parse_cost({"hourly_cost": raw})
