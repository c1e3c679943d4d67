"""The Reflex app: pages, head, the offline banner and the /api routes."""

from __future__ import annotations

import reflex as rx

from khs_crm.api import create_api
from khs_crm.lifespan import background_jobs, log_backend_error
from khs_crm.offline.pwa import head_components
from khs_crm.pages import field, office
from khs_crm.pages.login import login
from khs_crm.state.login import LoginState

app = rx.App(
    stylesheets=["/khs.css"],
    api_transformer=create_api(),
    html_lang="en",
    head_components=head_components(),
    toaster=None,
    backend_exception_handler=log_backend_error,
)
# Reflex's default overlay pulls in a toast library and says "Cannot connect to server";
# every shell shows a calm offline banner of our own instead.
app.app_wraps[(5, "Overlay")] = lambda stateful: None

app.register_lifespan_task(background_jobs)

app.add_page(login, route="/login", title="Sign in · KHS CRM", on_load=LoginState.load)
office.register(app)
field.register(app)
