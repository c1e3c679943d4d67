"""The app's Prometheus metrics, and the one-line calls the code counts with.

Per process by default. With PROMETHEUS_MULTIPROC_DIR set (to an empty folder, wiped before
the app starts) every process writes its samples there and ``/metrics`` adds them up, so a
scrape of any process sees all of them (prometheus-client's multiprocess mode; the gauges say
how they combine). Labels are bounded: route templates, never paths; a fixed set of results.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
VITAL_BUCKETS = {
    "LCP": (0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7, 10, 20),  # seconds
    "INP": (0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2),  # seconds
    "CLS": (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1),  # unitless
}

REQUESTS = Counter(
    "khs_http_requests", "HTTP requests by route template and status", ["method", "route", "status"]
)
LATENCY = Histogram(
    "khs_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
SYNC_OPERATIONS = Counter("khs_sync_operations", "Pushed sync operations by result", ["result"])
LOGIN_FAILURES = Counter("khs_login_failures", "Failed password sign-ins")
RATE_LIMITED = Counter("khs_rate_limited", "Requests refused by a rate limit", ["limit"])
JOBS = Counter("khs_jobs", "Background jobs run, by job and outcome", ["job", "outcome"])
JOB_QUEUE_DEPTH = Gauge("khs_job_queue_depth", "Background jobs waiting", multiprocess_mode="max")
PHOTO_FAILURES = Counter("khs_photo_failures", "Photo uploads or thumbnails that failed", ["stage"])
DB_POOL = Gauge(
    "khs_db_pool_connections",
    "Database connections of this process's pool, by state",
    ["state"],
    multiprocess_mode="livesum",
)
VITALS = {
    name: Histogram(
        f"khs_web_vitals_{name.lower()}",
        f"{name} reported by the field app's phones, by page",
        ["page", "offline"],
        buckets=buckets,
    )
    for name, buckets in VITAL_BUCKETS.items()
}
CLIENT_ERRORS = Counter("khs_client_errors", "Errors the field app reported", ["kind"])
EVENTS = Histogram(
    "khs_reflex_event_duration_seconds",
    "Time to process a Reflex event (state lock, handler, update sent), by handler",
    ["handler", "outcome"],
    buckets=LATENCY_BUCKETS,
)
CONNECTIONS = Gauge(
    "khs_reflex_connections", "Open Reflex websocket connections", multiprocess_mode="livesum"
)


def login_failed() -> None:
    """Count a failed password sign-in."""
    LOGIN_FAILURES.inc()


def rate_limited(limit: str) -> None:
    """Count a request refused by the ``limit`` rate limit (login, api, telemetry)."""
    RATE_LIMITED.labels(limit=limit).inc()


def job_ran(name: str, *, failed: bool) -> None:
    """Count a background job that ran, and whether it failed."""
    JOBS.labels(job=name, outcome="failed" if failed else "ok").inc()


def photo_failed(stage: str) -> None:
    """Count a photo upload (``upload``) or thumbnail (``thumbnail``) that failed."""
    PHOTO_FAILURES.labels(stage=stage).inc()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one HTTP answer and its latency."""
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


def observe_vital(name: str, value: float, *, page: str, offline: bool) -> None:
    """One Core Web Vital from a phone (LCP and INP in milliseconds, CLS unitless)."""
    seconds = value / 1000 if name in ("LCP", "INP") else value
    VITALS[name].labels(page=page, offline=str(offline).lower()).observe(seconds)


def observe_event(handler: str, seconds: float, *, failed: bool) -> None:
    """One Reflex event: its handler (``state.office.ops.DashboardOpsState.load``), latency."""
    EVENTS.labels(handler=handler, outcome="failed" if failed else "ok").observe(seconds)


def websocket_connections(change: float) -> None:
    """A Reflex websocket opened (+1) or closed (-1)."""
    CONNECTIONS.inc(change)


def set_gauges(*, queue_depth: int | None, pool: dict[str, int] | None) -> None:
    """Read at scrape time: the job queue's depth and this process's connection pool."""
    if queue_depth is not None:
        JOB_QUEUE_DEPTH.set(queue_depth)
    for state, count in (pool or {}).items():
        DB_POOL.labels(state=state).set(count)


def exposition() -> bytes:
    """The text format of every metric: all processes' in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def sync_results(results: Iterable[str]) -> None:
    """Count each pushed operation's result (applied, duplicate, conflict, rejected)."""
    for result in results:
        SYNC_OPERATIONS.labels(result=result).inc()
