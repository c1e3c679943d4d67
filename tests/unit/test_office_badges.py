"""The count of sync conflicts waiting for review, in the navigation and on the dashboard."""

from __future__ import annotations

from khs_crm.state.office.badges import NavBadgeState
from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.review import ConflictsState
from tests.unit.test_office_state import (
    call,
    root_state,
    signed_in,
    sub,
    world,  # noqa: F401 (the fixture)
)


def _badge(session, user, path: str = "/") -> NavBadgeState:
    state = sub(root_state(signed_in(session, user), path), NavBadgeState)
    call(NavBadgeState.load, state)
    return state


def test_the_office_sees_how_many_conflicts_wait_and_the_count_goes_down(session, world):  # noqa: F811
    assert _badge(session, world.owner).open_conflicts == 1
    assert _badge(session, world.worker_a).open_conflicts == 0  # no office navigation
    dashboard = sub(root_state(signed_in(session, world.admin), "/"), DashboardState)
    call(DashboardState.load, dashboard)
    assert dashboard.open_conflicts == 1

    review = sub(root_state(signed_in(session, world.owner), "/conflicts"), ConflictsState)
    call(ConflictsState.load, review)
    follow_up = call(ConflictsState.keep, review, str(world.conflict.id), "server")
    assert follow_up is NavBadgeState.load  # the navigation counts again
    assert _badge(session, world.owner).open_conflicts == 0
