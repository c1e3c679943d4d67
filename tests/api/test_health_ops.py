"""/api/health tells how old the last backup is and how many background jobs wait: what an
uptime checker matches on (README, "Alerts to set up"); neither makes the app unhealthy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from khs_crm.api import create_api
from khs_crm.integrations import backup, jobqueue
from khs_crm.settings import get_settings
from tests.support.databases import reset_caches, sqlite_only


@pytest.fixture
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path / "data"))  # no other test's backups
    reset_caches()
    yield
    reset_caches()


@sqlite_only  # the backup record is a file (and a Redis key), not a table
def test_health_reports_the_last_backups_age(client, own_data_dir, tmp_path):
    before = client.get("/api/health").json()["data"]
    assert (before["lastBackupAgeHours"], before["backupOverdue"]) == (None, True)
    assert before["status"] == "ok"  # no backup yet is a warning, not an outage
    archive = tmp_path / "khs-backup-20261130T020000.000000Z.tar.gz"
    archive.write_bytes(b"an archive")
    backup.record_run(archive, seconds=1.5, settings=get_settings())

    data = client.get("/api/health").json()["data"]
    assert data["lastBackupAgeHours"] is not None and 0 <= data["lastBackupAgeHours"] < 0.1
    assert data["backupOverdue"] is False and data["status"] == "ok"


@pytest.mark.redis
def test_health_counts_the_jobs_waiting_on_the_shared_queue(engine, redis_url):
    producer = jobqueue.RedisQueue(redis_url)  # another process's queue, its worker stopped
    producer.stop()
    for n in range(3):
        producer.enqueue("thumbnail", {"photoId": str(n)})
    with TestClient(create_api()) as client:
        response = client.get("/api/health")
    assert response.status_code == 200  # jobs piling up is an alert, not an outage
    assert response.json()["data"]["jobQueueDepth"] == 3
