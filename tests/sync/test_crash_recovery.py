"""Kill the server in the middle of a push: a push is one transaction, so after a restart
none of it is there (nothing half-applied, nothing answered ``duplicate`` that is not whole),
and the device's retry applies all of it exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from khs_crm.models import Material, SyncOperation
from tests.security.prod_stack import free_port
from tests.support.factories import bearer

pytestmark = pytest.mark.postgres

OPS = 400


def _start(url: str, port: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "KHS_DATABASE_URL": url, "KHS_DATA_DIR": data_dir}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "khs_crm.api:create_api",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _push_in_flight(engine) -> bool:
    """Another connection is inside a transaction that has written ledger rows."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND datname = current_database() AND xact_start IS NOT NULL "
                    "AND query ILIKE '%sync_operations%'"
                )
            ).scalar()
        )


def test_kill_mid_batch_then_retry(pg_engine, pg_cast, postgres_url, run_dir):
    port = free_port()
    proc = _start(postgres_url, port, str(run_dir / "data"))
    ops = [
        {
            "opId": str(uuid.uuid4()),
            "seq": i,
            "entity": "material",
            "entityId": str(uuid.uuid4()),
            "action": "create",
            "changes": {"jobId": str(pg_cast.job.id), "name": f"Item {i}"},
            "baseVersion": None,
        }
        for i in range(OPS)
    ]
    body = {"clientId": "phone-crash", "operations": ops}
    headers = bearer(pg_cast.worker_a)
    url = f"http://127.0.0.1:{port}/api/sync/push"
    outcome: dict = {}

    def first_try() -> None:
        try:
            outcome["response"] = httpx.post(url, json=body, headers=headers, timeout=60)
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=first_try)
    sender.start()
    deadline = time.monotonic() + 60
    while not _push_in_flight(pg_engine) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    sender.join()
    assert "error" in outcome, "the push finished before the server was killed"
    assert _count(pg_engine, SyncOperation) == 0  # none of the push, not half of it
    assert _count(pg_engine, Material) == 0

    proc = _start(postgres_url, port, str(run_dir / "data"))
    try:
        retry = httpx.post(url, json=body, headers=headers, timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    assert retry.status_code == 200, retry.text
    statuses = [r["status"] for r in retry.json()["data"]["results"]]
    assert statuses == ["applied"] * OPS
    assert _count(pg_engine, Material) == OPS
    assert _count(pg_engine, SyncOperation) == OPS
