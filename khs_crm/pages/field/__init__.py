"""The field app (crews, phone first): every route under /field."""

from __future__ import annotations

import reflex as rx

from khs_crm.pages.field.today import today
from khs_crm.state.field import TodayState


def register(app: rx.App) -> None:
    """Add the field pages to the app."""
    app.add_page(today, route="/field", title="Today · KHS CRM", on_load=TodayState.load)
