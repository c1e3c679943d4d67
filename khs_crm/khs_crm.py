"""The Reflex app: pages, head, the offline banner and the /api routes."""

from __future__ import annotations

import reflex as rx

from khs_crm.api import create_api
from khs_crm.pages.dashboard import dashboard
from khs_crm.pages.field_today import today
from khs_crm.pages.login import login
from khs_crm.state.dashboard import DashboardState
from khs_crm.state.field import TodayState
from khs_crm.state.login import LoginState

app = rx.App(
    stylesheets=["/khs.css"],
    api_transformer=create_api(),
    html_lang="en",
    head_components=[rx.el.meta(name="theme-color", content="#b45309")],
)
# Reflex's default overlay pulls in a toast library and says "Cannot connect to server";
# every shell shows a calm offline banner of our own instead.
app.app_wraps[(5, "Overlay")] = lambda stateful: None

app.add_page(login, route="/login", title="Sign in · KHS CRM", on_load=LoginState.load)
app.add_page(
    dashboard,
    route="/",
    title="Dashboard · KHS CRM",
    on_load=DashboardState.load,
)
app.add_page(today, route="/field", title="Today · KHS CRM", on_load=TodayState.load)
