"""State behind the owner's operations card on the dashboard: when the last backup ran (a
warning after two days without one) and how fast the app is on the crews' phones (the
weekly 75th percentile of each Core Web Vital, per page: this week's figures, and charts of
the last eight weeks)."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel

from khs_crm.i18n import N_
from khs_crm.office.vitals_chart import GOOD, VitalChart, vital_charts, vital_value
from khs_crm.services.ops.status import backup_status
from khs_crm.services.ops.vitals import recent_weeks, weekly_p75
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback

WEEKS = 8  # the charts' span


class VitalRow(BaseModel):
    page: str
    name: str
    value: str
    count: int
    good: bool
    bar: int  # 0–100: the value against twice its "good" threshold, for the small chart


def vital_rows(rows) -> list[VitalRow]:
    """The newest week's p75 per page and vital, as the card shows them."""
    newest = max((r.week for r in rows), default=None)
    out = []
    for r in rows:
        if r.week != newest:
            continue
        good = GOOD.get(r.name, 0.0)
        value = vital_value(r.name, r.p75)
        bar = int(min(100, 100 * r.p75 / (2 * good))) if good else 0
        out.append(
            VitalRow(
                page=r.page, name=r.name, value=value, count=r.count, good=r.p75 <= good, bar=bar
            )
        )
    return sorted(out, key=lambda v: (v.page, v.name))


class DashboardOpsState(Feedback, AuthState):
    is_owner: bool = False
    backup_warning: str = ""
    backup_text: str = ""
    vitals: list[VitalRow] = []
    charts: list[VitalChart] = []
    loaded: bool = False

    @rx.event
    def load(self):
        return self._run(self._fetch)

    def _fetch(self, _session, user) -> None:
        self.is_owner = str(user.role) == "owner"
        if not self.is_owner:
            self.loaded = True
            return
        status = backup_status()
        self.backup_warning = status.warning if status.overdue and status.warning else ""
        self.backup_text = (
            N_("Last backup {at} UTC ({hours} h ago)").format(
                at=f"{status.last_at:%b %d, %H:%M}", hours=f"{status.age_hours:.0f}"
            )
            if status.last_at is not None and status.age_hours is not None
            else ""
        )
        weeks = recent_weeks(WEEKS)
        rows = weekly_p75(weeks=WEEKS)
        self.vitals = vital_rows([r for r in rows if r.week == weeks[-1]])
        self.charts = vital_charts(rows, weeks)
        self.loaded = True
