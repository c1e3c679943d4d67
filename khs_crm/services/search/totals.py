"""Capped totals: a list counts its matches only up to TOTAL_CAP.

Counting every match of a broad search reads every matching row (at a million customers, a
3-letter fragment matches tens of thousands). So a service counts at most ``TOTAL_CAP + 1``
rows: a total above ``TOTAL_CAP`` means "more than TOTAL_CAP" and the API answers it as
``total: 1000, totalCapped: true`` (docs/api.md); the office shows "1,000+".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

TOTAL_CAP = 1000


def capped_count(session: Session, ids: Any) -> int:
    """How many rows ``ids`` (a SELECT) gives, counted up to TOTAL_CAP + 1 only."""
    limited = ids.limit(TOTAL_CAP + 1).subquery()
    return int(session.exec(select(func.count()).select_from(limited)).one())


def is_capped(total: int) -> bool:
    """True when ``total`` came from capped_count and stands for more than TOTAL_CAP."""
    return total > TOTAL_CAP
