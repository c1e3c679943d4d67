"""The owner's operations card: the newest week's speed per page, in words and a bar."""

from __future__ import annotations

from khs_crm.services.ops.vitals import WeeklyP75
from khs_crm.state.office.ops import vital_rows


def test_the_card_shows_the_newest_week_per_page_and_vital():
    rows = [
        WeeklyP75(week="2026-W48", page="/field", name="LCP", p75=3100.0, count=12),
        WeeklyP75(week="2026-W48", page="/field", name="CLS", p75=0.02, count=12),
        WeeklyP75(week="2026-W48", page="/field/job/:id", name="INP", p75=120.0, count=40),
        WeeklyP75(week="2026-W47", page="/field", name="LCP", p75=1000.0, count=3),
    ]
    shown = vital_rows(rows)
    assert [(r.page, r.name, r.value, r.good) for r in shown] == [
        ("/field", "CLS", "0.02", True),
        ("/field", "LCP", "3,100 ms", False),
        ("/field/job/:id", "INP", "120 ms", True),
    ]
    assert shown[1].bar == 62  # 3.1 s against twice LCP's good 2.5 s
    assert vital_rows([]) == []
