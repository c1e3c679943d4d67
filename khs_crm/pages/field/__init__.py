"""The field app (crews, phone first): every route under /field, rendered from the phone's data."""

from __future__ import annotations

import reflex as rx

from khs_crm.pages.field.change_order import change_order
from khs_crm.pages.field.job import job
from khs_crm.pages.field.jobs import jobs
from khs_crm.pages.field.settings import settings
from khs_crm.pages.field.supply import supply
from khs_crm.pages.field.sync import sync
from khs_crm.pages.field.time import time_page
from khs_crm.pages.field.today import today

PAGES = (
    ("/field", today, "Today"),
    ("/field/jobs", jobs, "Jobs"),
    ("/field/job", job, "Job"),
    ("/field/supply", supply, "Supply run"),
    ("/field/sync", sync, "Sync"),
    ("/field/settings", settings, "Settings"),
    ("/field/time", time_page, "My week"),
    ("/field/change-order", change_order, "Change order"),
)


def register(app: rx.App) -> None:
    """Add the field pages to the app. They hold no server state and send no Reflex event:
    the field app checks the session itself (assets/khs_start.js) and talks to the REST API,
    so these pages never open Reflex's websocket (assets/khs_page.js)."""
    for route, page, title in PAGES:
        app.add_page(page, route=route, title=f"{title} · KHS CRM")
