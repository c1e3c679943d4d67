"""/metrics: only with the configured bearer token; counts requests by route template with
latency, sync results, failed sign-ins, rate-limit hits, job failures and the queue; and
adds up several processes in Prometheus' multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from prometheus_client import REGISTRY

from khs_crm.integrations import jobqueue
from tests.api.test_sync import op, push
from tests.support import databases
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.databases import sqlite_only
from tests.support.factories import bearer

TOKEN = "metrics-test-token-5f2c9a"  # fixed: pytest-xdist workers must collect the same test ids
STATES = ("in_use", "idle", "overflow")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def scraper(engine, monkeypatch):
    monkeypatch.setenv("KHS_METRICS_TOKEN", TOKEN)
    databases.reset_caches()
    with AppClient(api_app(), raise_server_exceptions=False) as c:
        yield c
    databases.reset_caches()


@sqlite_only  # what is counted does not depend on the database
def test_without_a_configured_token_metrics_do_not_exist(client):
    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


@sqlite_only
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_a_wrong_or_missing_token_is_401(scraper, header):
    headers = {"Authorization": header} if header else {}
    response = scraper.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


@sqlite_only  # what is counted does not depend on the database
def test_requests_are_counted_by_route_template_with_latency(scraper, cast):
    labels = {"method": "GET", "route": "/api/jobs/{job_id}", "status": "200"}
    before = sample("khs_http_requests_total", **labels)
    seen = sample("khs_http_request_duration_seconds_count", method="GET", route=labels["route"])
    for _ in range(2):
        assert scraper.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).is_success
    scraper.get("/api/no/such/thing")

    response = scraper.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert sample("khs_http_requests_total", **labels) == before + 2
    assert (
        sample("khs_http_request_duration_seconds_count", method="GET", route=labels["route"])
        == seen + 2
    )
    assert 'route="/api/{path}",status="404"' in text  # unknown paths share one label
    assert str(cast.job.id) not in text  # never a path with ids in it
    assert "khs_db_pool_connections" in text and "khs_job_queue_depth" in text


@sqlite_only  # what is counted does not depend on the database
def test_sync_results_failed_sign_ins_and_rate_limits_are_counted(scraper, cast, monkeypatch):
    applied = sample("khs_sync_operations_total", result="applied")
    rejected = sample("khs_sync_operations_total", result="rejected")
    create = op("material", "create", changes={"jobId": str(cast.job.id), "name": "Grout"})
    bad = op("material", "create", changes={"jobId": str(uuid.uuid4()), "name": "X"}, seq=2)
    push(scraper, cast.worker_a, create, bad)
    assert sample("khs_sync_operations_total", result="applied") == applied + 1
    assert sample("khs_sync_operations_total", result="rejected") == rejected + 1

    failures = sample("khs_login_failures_total")
    body = {"email": cast.owner.email, "password": "not-the-password"}
    assert scraper.post("/api/auth/login", json=body).status_code == 401
    assert sample("khs_login_failures_total") == failures + 1

    limited = sample("khs_rate_limited_total", limit="api")
    monkeypatch.setenv("KHS_API_CALLS_PER_MINUTE", "1")
    databases.reset_caches()
    with AppClient(api_app(), raise_server_exceptions=False) as tight:
        statuses = [tight.get("/api/jobs", headers=bearer(cast.owner)).status_code for _ in "ab"]
    assert statuses == [200, 429]
    assert sample("khs_rate_limited_total", limit="api") == limited + 1


def test_background_job_failures_are_counted():
    def broken(_payload):
        raise RuntimeError("no")

    jobqueue.register("test-broken", broken)
    before = sample("khs_jobs_total", job="test-broken", outcome="failed")
    jobqueue.run_job("test-broken", {})
    assert sample("khs_jobs_total", job="test-broken", outcome="failed") == before + 1


@sqlite_only  # what is counted does not depend on the database
def test_metrics_are_not_in_the_api_document(client):
    assert "/metrics" not in client.get("/api/openapi.json").json()["paths"]


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from khs_crm.services.ops import metrics; metrics.login_failed(); "
        "metrics.observe_event('state.office.ops.DashboardOpsState.load', 0.02, failed=False)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)
    show = "from khs_crm.services.ops import metrics; print(metrics.exposition().decode())"
    out = subprocess.run(
        [sys.executable, "-c", show], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert "khs_login_failures_total 2.0" in out
    handler = 'handler="state.office.ops.DashboardOpsState.load",outcome="ok"'
    assert f"khs_reflex_event_duration_seconds_count{{{handler}}} 2.0" in out


def test_the_grafana_dashboard_charts_every_metric_and_only_metrics_that_exist():
    import json
    import re
    from pathlib import Path

    dashboard = (Path(__file__).resolve().parents[2] / "deploy" / "grafana-khs.json").read_text()
    exprs = [t["expr"] for p in json.loads(dashboard)["panels"] for t in p["targets"]]
    used = {
        re.sub(r"_(total|bucket|count|sum)$", "", m)
        for e in exprs
        for m in re.findall(r"khs_[a-z_0-9]+", e)
    }
    families = {m.name for m in REGISTRY.collect() if m.name.startswith("khs_")}
    assert used and used <= families, used - families
    assert families <= used, f"not on the dashboard: {families - used}"


@sqlite_only  # what is counted does not depend on the database
@pytest.mark.usefixtures("uploads", "drained")
def test_photo_uploads_and_thumbnails_that_fail_are_counted(client, session, cast):
    from khs_crm.integrations.storage import get_storage
    from khs_crm.models import Photo
    from khs_crm.services.photos import thumbs
    from tests.api.test_photos import upload

    refused = sample("khs_photo_failures_total", stage="upload")
    assert upload(client, cast, data=b"not a photo at all", filename="x.jpg").status_code == 422
    assert sample("khs_photo_failures_total", stage="upload") == refused + 1

    stored = upload(client, cast)
    assert stored.status_code == 201
    assert jobqueue.get_queue().join(20)
    photo = session.get(Photo, uuid.UUID(stored.json()["data"]["id"]))
    get_storage().put(photo.storage_key, b"\xff\xd8 damaged on disk", "image/jpeg")
    photo.thumbnail_status = "pending"  # as if its thumbnail were still to be made
    session.add(photo)
    session.commit()

    failed = sample("khs_photo_failures_total", stage="thumbnail")
    thumbs.build_thumbnail({"photoId": str(photo.id)})
    assert sample("khs_photo_failures_total", stage="thumbnail") == failed + 1
    session.refresh(photo)
    assert photo.thumbnail_status == "failed"


@pytest.mark.real_commits  # the app's own engine and pool, not the test's one connection
def test_the_database_pool_is_read_at_each_scrape(scraper, cast):
    from khs_crm.services.ops import metrics

    metrics.DB_POOL.clear()  # nothing left from an earlier scrape
    assert scraper.get(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).is_success
    assert scraper.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).is_success
    pool = {s: REGISTRY.get_sample_value("khs_db_pool_connections", {"state": s}) for s in STATES}
    assert None not in pool.values(), pool
    assert pool["idle"] >= 1  # the request's connection went back to the pool
    assert pool["in_use"] >= 0 and pool["overflow"] >= 0
