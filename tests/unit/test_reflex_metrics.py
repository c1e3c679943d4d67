"""Reflex events are counted by handler with their latency: real events through Reflex's own
event processor (the one the app runs) land on the Prometheus histogram. If a Reflex upgrade
stops calling the hook (``reflex_base.otel``), these fail."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from prometheus_client import REGISTRY
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor

from khs_crm import reflex_metrics
from khs_crm.state.office.search import SearchBoxState

METRIC = "khs_reflex_event_duration_seconds"
HANDLER = "state.office.search.SearchBoxState.close"


def count(handler: str, outcome: str) -> float:
    labels = {"handler": handler, "outcome": outcome}
    return REGISTRY.get_sample_value(f"{METRIC}_count", labels) or 0.0


def _quiet(_error: Exception) -> None:
    """The app logs a failed handler (khs_crm.lifespan.log_backend_error); the test expects one."""


async def _run(*events: tuple[str, dict]) -> None:
    """Each event through a real event processor, one session, in order."""
    processor = BaseStateEventProcessor(middleware=None, backend_exception_handler=_quiet)
    processor.configure()  # Reflex's in-memory state manager
    token = str(uuid.uuid4())
    async with processor:
        for name, payload in events:
            future = await processor.enqueue(token, Event(name=name, payload=payload))
            with contextlib.suppress(TypeError):  # a failing event: its error is counted
                await future


@pytest.fixture(autouse=True)
def _installed():
    reflex_metrics.install()


def test_each_event_is_timed_under_its_handler():
    name = f"{SearchBoxState.get_full_name()}.close"
    before = count(HANDLER, "ok")
    asyncio.run(_run((name, {}), (name, {})))
    assert count(HANDLER, "ok") == before + 2
    total = REGISTRY.get_sample_value(f"{METRIC}_sum", {"handler": HANDLER, "outcome": "ok"})
    assert total is not None and total > 0


def test_a_failing_event_is_counted_as_failed():
    name = f"{SearchBoxState.get_full_name()}.close"
    before = count(HANDLER, "failed")
    asyncio.run(_run((name, {"unexpected": 1})))
    assert count(HANDLER, "failed") == before + 1


def test_handler_labels_are_bounded_by_what_reflex_registered():
    name = f"{SearchBoxState.get_full_name()}.close"
    assert reflex_metrics.handler_label(name) == HANDLER
    assert reflex_metrics.handler_label(name + "x") == "(other)"
    assert reflex_metrics.handler_label("anything.a.client.sends") == "(other)"
