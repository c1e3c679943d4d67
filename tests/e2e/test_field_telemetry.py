"""The field app reports through the server, from a real phone-sized browser: its Core Web
Vitals and an uncaught error are kept on the phone and sent when the app is left (a keepalive
POST); the server counts them in /metrics and the owner's weekly summary has the page.

Known gap (assets/khs_vitals.js): on a page the service worker controls, a full navigation
to another page of the app loses that batch (the keepalive POST never reaches the server and
flush() already took it off the queue); leaving the app, or hiding it, sends it."""

from __future__ import annotations

import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.helpers import WORKER
from tests.e2e.test_field_pwa import open_field
from tests.support.prod_build import METRICS_TOKEN

office, phone = field_pwa.office, field_pwa.phone

pytestmark = pytest.mark.e2e

CLS = ("khs_web_vitals_cls_count", {"page": "/field", "offline": "false"})
ERRORS = ("khs_client_errors_total", {"kind": "error"})


def metric(url: str, name: str, labels: dict[str, str]) -> float:
    request = urllib.request.Request(  # noqa: S310 (the test server)
        url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def grows(url: str, name: str, labels: dict[str, str], before: float) -> bool:
    """Whether the metric grows past ``before`` within 15 s (the keepalive POST is async)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if metric(url, name, labels) > before:
            return True
        time.sleep(0.25)
    return False


def test_the_phone_sends_its_speed_and_errors_when_the_page_is_left(phone, app_server, office):
    url = app_server["url"]
    cls_before, errors_before = metric(url, *CLS), metric(url, *ERRORS)
    open_field(phone, WORKER)
    phone.evaluate("() => setTimeout(() => { throw new Error('telemetry drill') }, 0)")
    phone.wait_for_function("() => (localStorage.getItem('khs.errors') || '').includes('drill')")

    # A full load of another page of the app (a reload, a typed address) while the service
    # worker controls the page: the batch goes out as a keepalive POST straight to the
    # network (sw.js routes /api/telemetry/* past the worker the navigation tears down).
    assert phone.evaluate("() => navigator.serviceWorker.controller !== null")
    phone.goto(url + "/field/sync")

    assert grows(url, *CLS, cls_before), "the phone's vitals did not reach /metrics"
    assert grows(url, *ERRORS, errors_before), "the phone's error did not reach /metrics"
    summary = office.call("GET", "/api/telemetry/vitals/summary?weeks=1")
    assert any(row["page"] == "/field" and row["name"] == "CLS" for row in summary)
