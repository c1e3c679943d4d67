"""A dashboard already holding the shared figures is not sent them again on its next page
load (read_cache.stamped): its lists stay clean until something is written."""

from __future__ import annotations

from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.money_dashboard import DashboardMoneyState
from khs_crm.state.office.page_load import OfficePageState
from tests.support.factories import make_customer
from tests.unit.test_office_page_load import registered  # noqa: F401 (the fixture)
from tests.unit.test_office_state import (
    call,
    root_state,
    signed_in,
    sub,
    world,  # noqa: F401 (the fixture)
)

LISTS = {"customers", "today", "week", "recent", "to_buy", "jobs_by_status"}


def test_figures_already_held_are_not_assigned_again(session, world, registered):  # noqa: F811
    root = root_state(signed_in(session, world.owner), "/")
    dashboard, money = sub(root, DashboardState), sub(root, DashboardMoneyState)
    call(OfficePageState.load, sub(root, OfficePageState))
    assert dashboard.loaded and dashboard.dirty_vars >= LISTS
    assert "figures" in money.dirty_vars
    customers = dashboard.customers

    root._clean()
    call(OfficePageState.load, sub(root, OfficePageState))
    assert not LISTS & dashboard.dirty_vars and "figures" not in money.dirty_vars
    assert dashboard.customers == customers and dashboard.loaded

    make_customer(session, name="Written Since")
    root._clean()
    call(OfficePageState.load, sub(root, OfficePageState))
    assert "customers" in dashboard.dirty_vars and dashboard.customers == customers + 1
    assert "figures" in money.dirty_vars  # every kept figure is computed again after a write


def test_another_tab_gets_the_figures_in_full(session, world, registered):  # noqa: F811
    cookie = signed_in(session, world.owner)
    first, second = root_state(cookie, "/"), root_state(cookie, "/")
    call(OfficePageState.load, sub(first, OfficePageState))
    call(OfficePageState.load, sub(second, OfficePageState))
    assert sub(second, DashboardState).dirty_vars >= LISTS
    assert sub(second, DashboardState).today == sub(first, DashboardState).today
