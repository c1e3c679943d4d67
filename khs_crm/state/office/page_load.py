"""One event opens an office page.

Reflex runs a page's ``on_load`` handlers as separate events, and each event takes the tab's
lock, reads the tab's state (from Redis when there is one) and writes it back. An office
page listed two to seven handlers (its sections, then the navigation's badge), so opening a
job cost nine events. Every office page now lists one, ``OfficePageState.load``: it checks
the session and the office role once (a signed-out visitor goes to /login, a worker to
/field, and nothing is loaded), then runs the page's loaders (``page_loads``, filled by
``pages/office.register``) in order within that one event, each on its own substate, and
passes on whatever events they answer with.

Measured in BENCHMARKS.md (office capacity).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex_base.event import EventHandler

from khs_crm.state.auth import AuthState

_LOADS: dict[str, tuple[EventHandler, ...]] = {}


def route_key(route: str) -> str:
    """A route as Reflex names the page an event comes from (``/`` is ``index``)."""
    return route.strip("/") or "index"


def page_loads(route: str, loads: Sequence[EventHandler]) -> None:
    """What opening ``route`` loads, in order."""
    for handler in loads:
        if handler.state is None or inspect.isgeneratorfunction(handler.fn):
            raise ValueError(f"{route}: a page load must be a plain handler of a state")
    _LOADS[route_key(route)] = tuple(loads)


def loads_for(route: str) -> tuple[EventHandler, ...]:
    return _LOADS.get(route_key(route), ())


class OfficePageState(AuthState):
    """Holds nothing: its one handler runs the page's loaders on their own states.

    A substate of AuthState, like the states it loads: its event then reads from Redis only
    its parents and the page's own states. (Asked for from the root, AuthState comes with
    every office state under it: a page load read and wrote all of them.)"""

    @rx.event
    async def load(self) -> Any:
        user, redirect = self._gate(office=True)
        if user is None:
            return redirect
        answers: list[Any] = []
        for handler in loads_for(self.router.page.path):
            assert handler.state is not None  # page_loads checked it
            state = await self.get_state(handler.state)
            answer = handler.fn(state)
            if inspect.isawaitable(answer):
                answer = await answer
            if isinstance(answer, list):
                answers.extend(answer)
            elif answer is not None:
                answers.append(answer)
        return answers or None
