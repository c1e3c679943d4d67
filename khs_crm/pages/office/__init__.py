"""The office app (owners and admins, desktop first)."""

from __future__ import annotations

import reflex as rx

from khs_crm.pages.office.activity import activity
from khs_crm.pages.office.change_order import change_order_page
from khs_crm.pages.office.change_orders import change_orders
from khs_crm.pages.office.company import company
from khs_crm.pages.office.conflicts import conflicts
from khs_crm.pages.office.customer import customer
from khs_crm.pages.office.customers import customers
from khs_crm.pages.office.dashboard import dashboard
from khs_crm.pages.office.estimates import estimates
from khs_crm.pages.office.estimates_editor import estimate_editor
from khs_crm.pages.office.invoices import invoices
from khs_crm.pages.office.invoices_page import invoice_page
from khs_crm.pages.office.job import job
from khs_crm.pages.office.jobs import jobs_board
from khs_crm.pages.office.jobs_list import jobs_list
from khs_crm.pages.office.people import people
from khs_crm.pages.office.schedule import schedule
from khs_crm.pages.office.search import search_page
from khs_crm.pages.office.timesheets import timesheets
from khs_crm.state.office.badges import NavBadgeState
from khs_crm.state.office.change_order import ChangeOrderState
from khs_crm.state.office.change_orders import ChangeOrdersState
from khs_crm.state.office.company import CompanyState
from khs_crm.state.office.customer import CustomerState
from khs_crm.state.office.customers import CustomersState
from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.estimates import EstimatesState
from khs_crm.state.office.estimates_editor import EstimateState
from khs_crm.state.office.invoices import InvoicesState
from khs_crm.state.office.invoices_page import InvoiceState
from khs_crm.state.office.job import JobState
from khs_crm.state.office.job_activity import JobActivityState
from khs_crm.state.office.job_change_orders import JobChangeOrdersState
from khs_crm.state.office.job_materials import JobMaterialsState
from khs_crm.state.office.job_photos import JobPhotosState
from khs_crm.state.office.jobs import BoardState, JobListState
from khs_crm.state.office.money_dashboard import DashboardMoneyState
from khs_crm.state.office.money_job import JobMoneyState
from khs_crm.state.office.page_load import OfficePageState, page_loads
from khs_crm.state.office.people import PeopleState
from khs_crm.state.office.review import ActivityState, ConflictsState
from khs_crm.state.office.schedule import ScheduleState
from khs_crm.state.office.search import SearchPageState
from khs_crm.state.office.timesheets import TimesheetsState

PAGES = (
    ("/", dashboard, "Dashboard", [DashboardState.load, DashboardMoneyState.load]),
    ("/customers", customers, "Customers", CustomersState.load),
    ("/customers/[customer_id]", customer, "Customer", CustomerState.load),
    ("/jobs", jobs_board, "Jobs", BoardState.load),
    ("/jobs/list", jobs_list, "Job list", JobListState.load),
    (
        "/jobs/[job_id]",
        job,
        "Job",
        [
            JobState.load,
            JobMaterialsState.load,
            JobActivityState.load,
            JobPhotosState.load,
            JobMoneyState.load,
            JobChangeOrdersState.load,
        ],
    ),
    ("/schedule", schedule, "Schedule", ScheduleState.load),
    ("/timesheets", timesheets, "Timesheets", TimesheetsState.load),
    ("/people", people, "People", PeopleState.load),
    ("/conflicts", conflicts, "Sync conflicts", ConflictsState.load),
    ("/activity", activity, "Activity", ActivityState.load),
    ("/estimates", estimates, "Estimates", EstimatesState.load),
    ("/estimates/[estimate_id]", estimate_editor, "Estimate", EstimateState.load),
    ("/invoices", invoices, "Invoices", InvoicesState.load),
    ("/invoices/[invoice_id]", invoice_page, "Invoice", InvoiceState.load),
    ("/change-orders", change_orders, "Change orders", ChangeOrdersState.load),
    (
        "/change-orders/[change_order_id]",
        change_order_page,
        "Change order",
        ChangeOrderState.load,
    ),
    ("/settings/company", company, "Company settings", CompanyState.load),
    ("/search", search_page, "Search", SearchPageState.load),
)


def register(app: rx.App) -> None:
    """Add the office pages; every load checks the session and the office role first, and
    the navigation's counts (conflicts waiting for review) are read again, all in one event
    (state/office/page_load.py)."""
    for route, page, title, on_load in PAGES:
        page_loads(
            route, [*(on_load if isinstance(on_load, list) else [on_load]), NavBadgeState.load]
        )
        app.add_page(page, route=route, title=f"{title} · KHS CRM", on_load=OfficePageState.load)
