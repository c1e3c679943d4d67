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


def test_a_page_load_with_nothing_changed_sends_nothing(session, world, registered):  # noqa: F811
    """Who is signed in, the messages and the badge are assigned only when they change: an
    assignment sends the var (and the vars computed from it) to the tab again."""
    from khs_crm.state.auth import AuthState
    from khs_crm.state.office.badges import NavBadgeState

    root = root_state(signed_in(session, world.owner), "/")
    call(OfficePageState.load, sub(root, OfficePageState))
    auth = sub(root, AuthState)
    assert auth.user_role == "owner" and {"user_name", "user_role"} <= auth.dirty_vars

    root._clean()
    call(OfficePageState.load, sub(root, OfficePageState))
    touched = {
        type(state).__name__: state.dirty_vars
        for state in (auth, sub(root, DashboardState), sub(root, DashboardMoneyState))
        if state.dirty_vars
    }
    assert touched == {}
    assert not sub(root, NavBadgeState).dirty_vars

    sub(root, DashboardState).error = "Shown before"
    root._clean()
    call(OfficePageState.load, sub(root, OfficePageState))
    assert sub(root, DashboardState).error == "" and "error" in sub(root, DashboardState).dirty_vars
