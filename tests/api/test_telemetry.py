"""/api/telemetry: the field app's errors and Core Web Vitals; the owner's weekly p75."""

from __future__ import annotations

from datetime import date

import pytest
from prometheus_client import REGISTRY

from khs_crm.services.ops import vitals
from tests.support import databases
from tests.support.databases import sqlite_only
from tests.support.factories import bearer

pytestmark = sqlite_only  # nothing here depends on the database


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path))  # a vitals file of this test's own
    databases.reset_caches()
    yield
    databases.reset_caches()


def _vital(name, value, page="/field/jobs/3f2c9a1e-1111-4222-8333-944455556666", offline=False):
    return {"name": name, "value": value, "page": page, "offline": offline}


def test_vitals_are_kept_per_page_pattern_and_summed_up_for_the_office(client, cast):
    batch = [_vital("LCP", v) for v in (1000, 2000, 3000, 4000)] + [
        _vital("CLS", 0.05, page="/field", offline=True)
    ]
    before = REGISTRY.get_sample_value(
        "khs_web_vitals_lcp_count", {"page": "/field/jobs/:id", "offline": "false"}
    )
    response = client.post(
        "/api/telemetry/vitals", json={"vitals": batch}, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 202
    assert response.json()["data"] == {"accepted": 5}
    after = REGISTRY.get_sample_value(
        "khs_web_vitals_lcp_count", {"page": "/field/jobs/:id", "offline": "false"}
    )
    assert after == (before or 0) + 4

    summary = client.get("/api/telemetry/vitals/summary", headers=bearer(cast.owner))
    assert summary.status_code == 200
    week = vitals.iso_week(date.today())
    assert {
        (r["page"], r["name"], r["p75"], r["count"], r["week"]) for r in summary.json()["data"]
    } == {
        ("/field/jobs/:id", "LCP", 3000, 4, week),
        ("/field", "CLS", 0.05, 1, week),
    }
    # Workers do not see it: as if it did not exist.
    assert (
        client.get("/api/telemetry/vitals/summary", headers=bearer(cast.worker_a)).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"vitals": []},
        {"vitals": [_vital("FID", 10)]},
        {"vitals": [_vital("LCP", -1)]},
        {"vitals": [_vital("LCP", 1000) | {"email": "a@b.c"}]},
        {"vitals": [_vital("LCP", 1000)] * 51},
    ],
    ids=["empty", "unknown-metric", "negative", "extra-field", "too-many"],
)
def test_bad_vitals_are_422(client, cast, body):
    response = client.post("/api/telemetry/vitals", json=body, headers=bearer(cast.worker_a))
    assert response.status_code == 422


def test_telemetry_needs_a_signed_in_user(client):
    assert (
        client.post("/api/telemetry/vitals", json={"vitals": [_vital("LCP", 1)]}).status_code == 401
    )


def test_client_errors_are_accepted_counted_and_rate_limited(client, cast, monkeypatch):
    report = {
        "kind": "sync",
        "message": "push failed for pat@example.com (512) 555-0100",
        "page": "/field/jobs/12345",
        "stack": "at sync (khs_sync.js:10:5)",
        "offline": True,
    }
    counted = REGISTRY.get_sample_value("khs_client_errors_total", {"kind": "sync"}) or 0
    response = client.post(
        "/api/telemetry/errors", json={"errors": [report]}, headers=bearer(cast.worker_a)
    )
    assert response.status_code == 202 and response.json()["data"] == {"accepted": 1}
    assert REGISTRY.get_sample_value("khs_client_errors_total", {"kind": "sync"}) == counted + 1

    monkeypatch.setenv("KHS_TELEMETRY_ERRORS_PER_MINUTE", "2")
    databases.reset_caches()
    statuses = [
        client.post(
            "/api/telemetry/errors", json={"errors": [report]}, headers=bearer(cast.worker_b)
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [202, 202, 429]


def test_page_patterns_name_no_record(db_url):
    assert vitals.page_pattern("/field/jobs/42/photos?x=1#top") == "/field/jobs/:id/photos"
    assert vitals.page_pattern("/office/customers/0b7e5c9a-aaaa-4bbb-8ccc-123456789abc") == (
        "/office/customers/:id"
    )
    assert vitals.p75([1, 2, 3, 4]) == 3 and vitals.p75([5]) == 5


def test_a_page_with_a_bar_in_its_path_is_summarised_under_its_own_name(db_url):
    vitals.record([vitals.Vital(name="LCP", value=1200.0, page="/a|b", offline=False)])
    rows = [r for r in vitals.weekly_p75(weeks=1) if r.page.startswith("/a")]
    assert [(r.page, r.name) for r in rows] == [("/a|b", "LCP")]


def test_the_summary_covers_the_weeks_asked_for_newest_first(client, cast):
    from datetime import timedelta

    today = date.today()
    last_week = today - timedelta(weeks=1)
    old = today - timedelta(weeks=5)
    for day, value in ((today, 1500.0), (last_week, 2600.0), (old, 9000.0)):
        vitals.record([vitals.Vital("LCP", value, "/field", False)], today=day)

    def weeks(n: int) -> list[tuple[str, float]]:
        response = client.get(
            f"/api/telemetry/vitals/summary?weeks={n}", headers=bearer(cast.owner)
        )
        assert response.status_code == 200
        return [(r["week"], r["p75"]) for r in response.json()["data"]]

    assert weeks(2) == [(vitals.iso_week(today), 1500), (vitals.iso_week(last_week), 2600)]
    assert weeks(1) == [(vitals.iso_week(today), 1500)]
    assert weeks(8)[-1] == (vitals.iso_week(old), 9000)
    assert (
        client.get("/api/telemetry/vitals/summary?weeks=27", headers=bearer(cast.owner)).status_code
        == 422
    )
