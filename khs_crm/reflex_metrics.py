"""Reflex events by handler, with their latency, as Prometheus metrics.

Reflex 0.10 times every event handler itself, at one trace point of its event processor
(``reflex_base.otel.event_span``: state lock, handler, delta sent), and records it on an
OpenTelemetry histogram once ``reflex_base.otel.enable`` is called with a meter provider.
That is the hook its ``reflex-otel`` package uses, and the one used here: a small meter
provider whose event-duration histogram is a prometheus-client histogram, and a no-op tracer
(no spans are kept or sent anywhere). Nothing in Reflex is patched.

Labels stay bounded: a handler label is derived from a handler Reflex has registered
(``state.office.ops.DashboardOpsState.load``); an event name Reflex does not know never
reaches the trace point, and anything unexpected is counted as ``(other)``.
``tests/unit/test_reflex_metrics.py`` runs real events through Reflex's event processor and
fails if this hook stops being called.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry import metrics as otel_metrics
from opentelemetry import trace as otel_trace
from reflex_base import otel

from khs_crm.services.ops import metrics

log = logging.getLogger("khs_crm.metrics")
_labels: dict[str, str] = {}
_installed = False


def handler_label(event_name: str) -> str:
    """``<module without khs_crm.>.<State class>.<handler>`` of a registered event handler."""
    label = _labels.get(event_name)
    if label is not None:
        return label
    from reflex_base.registry import RegistrationContext

    registered = RegistrationContext.ensure_context().event_handlers.get(event_name)
    if registered is None or not registered.states:
        return "(other)"
    state = registered.states[0]
    handler = event_name.rsplit(".", 1)[-1]
    label = f"{state.__module__}.{state.__name__}.{handler}".removeprefix("khs_crm.")
    _labels[event_name] = label
    return label


class _EventDuration(otel_metrics.NoOpHistogram):
    """Reflex's ``reflex.event.duration``, recorded on the app's Prometheus histogram."""

    def record(self, amount: float, attributes: Mapping[str, Any] | None = None, context=None):
        attributes = attributes or {}
        name = str(attributes.get(otel.ATTR_EVENT_NAME, ""))
        failed = otel.ATTR_ERROR_TYPE in attributes
        metrics.observe_event(handler_label(name), amount, failed=failed)


class _Connections(otel_metrics.NoOpUpDownCounter):
    """Reflex's open websocket connections, on a Prometheus gauge."""

    def add(self, amount: float, attributes: Mapping[str, Any] | None = None, context=None):
        metrics.websocket_connections(amount)


class _Meter(otel_metrics.NoOpMeter):
    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> otel_metrics.Histogram:
        if name == otel.METRIC_EVENT_DURATION:
            return _EventDuration(name, unit, description)
        return super().create_histogram(name, unit, description)

    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> otel_metrics.UpDownCounter:
        if name == otel.METRIC_WEBSOCKET_CONNECTIONS:
            return _Connections(name, unit, description)
        return super().create_up_down_counter(name, unit, description)


class _MeterProvider(otel_metrics.NoOpMeterProvider):
    def get_meter(self, name, version=None, schema_url=None, attributes=None):
        return _Meter(name, version=version, schema_url=schema_url)


def install() -> None:
    """Count Reflex events by handler from now on in this process (once; idempotent).

    Called when the app is built (``khs_crm.api.metrics.install``), before Reflex starts
    its event processor in each worker process. If something else turned Reflex's
    OpenTelemetry hooks on first, that one keeps them and a warning says so.
    """
    global _installed
    if _installed:
        return
    if otel.enabled:
        log.warning("Reflex's OpenTelemetry hooks are in use: Reflex events are not in /metrics")
        return
    otel.enable(tracer_provider=otel_trace.NoOpTracerProvider(), meter_provider=_MeterProvider())
    _installed = True
