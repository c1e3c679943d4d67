"""The owner's "Time settings" dialog on /timesheets: saved settings recompute the week on
screen (its first day and its overtime); a wrong value is named next to its field; only the
owner may open it. And a stamped entry shows its map links (docs/time.md)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from khs_crm.models import TimeEntry, TimeSettings
from khs_crm.office import timesheets as sheets
from khs_crm.office.timesheets_settings import parse_settings
from khs_crm.services.time.schemas import OVERTIME_SAID
from khs_crm.state.office.timesheets import TimesheetsState
from tests.unit.test_office_state import call, root_state, signed_in, sub


def _sheet(session, actor) -> TimesheetsState:
    state = sub(root_state(signed_in(session, actor), "/timesheets"), TimesheetsState)
    call(TimesheetsState.load, state)
    return state


def _long_week(session, cast) -> None:
    """Five 9-hour days for worker A in this company week: 45 hours."""
    first = sheets.week_first(session, "")
    start = sheets.rules.local_midnight(first, sheets.checks.timezone()) + timedelta(hours=7)
    for day in range(5):
        began = start + timedelta(days=day)
        session.add(
            TimeEntry(
                user_id=cast.worker_a.id,
                job_id=cast.job.id,
                started_at=began,
                ended_at=began + timedelta(hours=9),
                version=1000 + day,
                in_lat=Decimal("41.878"),
                in_lng=Decimal("-87.630"),
            )
        )
    session.commit()


def test_saving_the_settings_recomputes_the_overtime_on_screen(session, cast):
    _long_week(session, cast)
    state = _sheet(session, cast.owner)
    assert state.overtime == "5.00 h"
    call(TimesheetsState.open_settings, state)
    assert (state.settings_open, state.week_start_day, state.overtime_hours) == (True, "0", "40")
    call(TimesheetsState.save_settings, state, {"week_start_day": "0", "overtime_hours": "44"})
    assert not state.settings_open and state.error == ""
    assert state.overtime == "1.00 h"
    assert state.notice == "Saved: weeks start on Monday; overtime after 44 hours a week."
    assert "past 44 hours" in state.rules_text


def test_a_new_first_day_moves_the_week_shown(session, cast):
    state = _sheet(session, cast.owner)
    call(TimesheetsState.open_settings, state)
    call(TimesheetsState.save_settings, state, {"week_start_day": "6", "overtime_hours": "40"})
    assert state.days[0].label.startswith("Sun")
    assert session.get(TimeSettings, 1) is not None


def test_a_wrong_number_is_named_and_the_dialog_stays_open(session, cast):
    state = _sheet(session, cast.owner)
    call(TimesheetsState.open_settings, state)
    call(TimesheetsState.save_settings, state, {"week_start_day": "0", "overtime_hours": "40.5"})
    assert state.settings_open
    assert state.field_errors == {"overtime_hours": OVERTIME_SAID}
    assert state.error == "The time settings were not saved."
    assert state.overtime_hours == "40.5"  # what was typed stays in the box


def test_an_admin_cannot_open_or_save_the_settings(session, cast):
    state = _sheet(session, cast.admin)
    assert not state.is_owner
    call(TimesheetsState.open_settings, state)
    assert not state.settings_open and "Only the owner" in state.error
    call(TimesheetsState.save_settings, state, {"week_start_day": "6", "overtime_hours": "10"})
    assert "Only the owner" in state.error
    session.expire_all()
    row = session.get(TimeSettings, 1)
    assert row is None or (row.week_start_day, row.overtime_hours) == (0, Decimal("40"))


def test_the_form_reads_whole_numbers_only():
    assert parse_settings({"week_start_day": "2", "overtime_hours": " 38 "}).overtime_hours == 38
    for raw in ("", "forty", "-1", "169", "1e2"):
        try:
            parse_settings({"week_start_day": "0", "overtime_hours": raw})
        except Exception as exc:  # noqa: BLE001 (the service's ValidationFailed)
            assert exc.details == [{"field": "overtime_hours", "message": OVERTIME_SAID}], raw
        else:
            raise AssertionError(f"{raw!r} was taken")


def test_a_stamped_entry_shows_where_on_a_map(session, cast):
    _long_week(session, cast)
    state = _sheet(session, cast.admin)
    (first, *_) = state.entries
    assert first.in_map == (
        "https://www.openstreetmap.org/?mlat=41.878&mlon=-87.630#map=17/41.878/-87.630"
    )
    assert first.out_map == ""
