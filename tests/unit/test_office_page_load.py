"""One event opens an office page (khs_crm/state/office/page_load.py): the page's loaders,
then the navigation's badge, on their own states; visitors and workers turned away first."""

from __future__ import annotations

import pytest
from reflex_base.event import EventHandler

from khs_crm.pages.office import PAGES, register
from khs_crm.state.office.badges import NavBadgeState
from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.job import JobState
from khs_crm.state.office.job_change_orders import JobChangeOrdersState
from khs_crm.state.office.money_dashboard import DashboardMoneyState
from khs_crm.state.office.page_load import OfficePageState, loads_for, page_loads
from tests.unit.test_office_state import (
    call,
    root_state,
    signed_in,
    sub,
    world,  # noqa: F401 (the fixture)
)


class _App:
    """What register() asks of the app: the pages it adds."""

    def __init__(self) -> None:
        self.pages: dict[str, object] = {}

    def add_page(self, _page, *, route: str, title: str, on_load) -> None:
        self.pages[route] = on_load


@pytest.fixture(scope="module")
def registered() -> dict[str, object]:
    app = _App()
    register(app)  # type: ignore[arg-type]
    return app.pages


def test_every_office_page_lists_one_load_event(registered):
    assert set(registered) == {route for route, *_ in PAGES}
    assert all(on_load is OfficePageState.load for on_load in registered.values())
    dashboard = [h.fn for h in loads_for("/")]
    assert dashboard == [DashboardState.load.fn, DashboardMoneyState.load.fn, NavBadgeState.load.fn]
    job = loads_for("/jobs/[job_id]")  # how Reflex names the page an event comes from
    assert len(job) == 7 and job[0].fn is JobState.load.fn
    assert job[-2].fn is JobChangeOrdersState.load.fn and job[-1].fn is NavBadgeState.load.fn
    assert loads_for("/index") == loads_for("/") and loads_for("/no/such/page") == ()


def test_the_dashboard_opens_in_one_event(session, world, registered):  # noqa: F811
    root = root_state(signed_in(session, world.owner), "/")
    assert call(OfficePageState.load, sub(root, OfficePageState)) is None
    dashboard = sub(root, DashboardState)
    assert dashboard.loaded and dashboard.customers >= 1 and dashboard.error == ""
    assert sub(root, DashboardMoneyState).loaded
    assert sub(root, NavBadgeState).open_conflicts == 1  # the world's conflict


@pytest.mark.parametrize("who", ["visitor", "worker"])
def test_visitors_and_workers_are_turned_away_before_anything_loads(
    session,
    world,  # noqa: F811
    registered,
    who,
):
    cookie = signed_in(session, world.worker_a) if who == "worker" else None
    root = root_state(cookie, "/")
    answer = call(OfficePageState.load, sub(root, OfficePageState))
    assert ("/field" if who == "worker" else "/login") in str(answer)
    assert not sub(root, DashboardState).loaded and not sub(root, DashboardMoneyState).loaded


def test_a_page_load_must_be_a_plain_handler():
    def stream(_state):
        yield

    with pytest.raises(ValueError, match="plain handler"):
        page_loads("/streaming", [EventHandler(fn=stream, state=NavBadgeState)])
    with pytest.raises(ValueError, match="plain handler"):
        page_loads("/stateless", [EventHandler(fn=lambda: None)])
    assert loads_for("/streaming") == loads_for("/stateless") == ()
