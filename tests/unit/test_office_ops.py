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


def test_the_last_weeks_run_oldest_first_across_the_new_year():
    from datetime import date

    from khs_crm.services.ops.vitals import recent_weeks, week_start

    assert recent_weeks(3, today=date(2026, 1, 6)) == ["2025-W52", "2026-W01", "2026-W02"]
    assert week_start("2026-W01") == date(2025, 12, 29)


def test_the_weekly_charts_draw_a_line_per_busiest_page_and_say_the_same_in_words():
    from khs_crm.office.vitals_chart import BASE, MAX_PAGES, TOP, vital_charts

    weeks = ["2026-W46", "2026-W47", "2026-W48"]
    rows = [
        WeeklyP75(week="2026-W46", page="/field", name="LCP", p75=2000.0, count=30),
        WeeklyP75(week="2026-W48", page="/field", name="LCP", p75=4000.0, count=30),
        WeeklyP75(week="2026-W48", page="/field/jobs/:id", name="LCP", p75=1000.0, count=5),
    ] + [
        WeeklyP75(week="2026-W48", page=f"/quiet/{n}", name="INP", p75=90.0, count=1)
        for n in range(MAX_PAGES)
    ]
    lcp, inp, cls = vital_charts(rows, weeks)
    assert [c.name for c in (lcp, inp, cls)] == ["LCP", "INP", "CLS"]
    # the busiest pages, the same ones and colours in every chart
    assert (
        lcp.pages == inp.pages == cls.pages == ["/field", "/field/jobs/:id", "/quiet/0", "/quiet/1"]
    )
    field = lcp.lines[0]
    assert field.series == "series-0" and len(field.dots) == 2  # no dot for a week with no visits
    first, last = field.dots
    assert first.x < last.x and TOP <= last.y < first.y < BASE  # slower is higher
    assert lcp.good_y > last.y  # 4 s is above the "good" line (2.5 s)
    assert field.points == f"{first.x},{first.y} {last.x},{last.y}"
    # the text alternative: newest week first, a dash where nothing was measured
    assert [r.week for r in lcp.rows] == ["Nov 23", "Nov 16", "Nov 09"]
    assert lcp.rows[0].cells == ["4,000 ms", "1,000 ms", "–", "–"]
    assert lcp.rows[1].cells == ["–", "–", "–", "–"]
    assert "/field 4,000 ms" in lcp.summary and "2,500 ms" in lcp.summary
    assert "no measurements" in cls.summary
    assert [t.label for t in lcp.ticks] == ["Nov 09", "", "Nov 23"]
    assert vital_charts([], weeks) == []
