"""The office app (owners and admins, desktop first)."""

from __future__ import annotations

import reflex as rx

from khs_crm.pages.office.dashboard import dashboard
from khs_crm.state.dashboard import DashboardState


def register(app: rx.App) -> None:
    """Add the office pages to the app."""
    app.add_page(dashboard, route="/", title="Dashboard · KHS CRM", on_load=DashboardState.load)
