"""Kill the server in the middle of a push: every acknowledged operation is there exactly
once after a restart and the device's retry."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest
from sqlmodel import Session, func, select

from khs_crm.models import Material, SyncOperation
from tests.support.factories import bearer

pytestmark = pytest.mark.postgres

OPS = 400


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def test_kill_mid_batch_then_retry(pg_engine, pg_cast, postgres_url, run_dir):
    port = _port()
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
    while _count(pg_engine, SyncOperation) < OPS // 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    sender.join()
    assert "error" in outcome, "the push finished before the server was killed"
    applied_before = _count(pg_engine, SyncOperation)
    assert 0 < applied_before < OPS

    proc = _start(postgres_url, port, str(run_dir / "data"))
    try:
        retry = httpx.post(url, json=body, headers=headers, timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    assert retry.status_code == 200, retry.text
    statuses = [r["status"] for r in retry.json()["data"]["results"]]
    assert statuses.count("duplicate") >= applied_before - 1  # the one in flight may be either
    assert set(statuses) <= {"applied", "duplicate"}
    assert _count(pg_engine, Material) == OPS
    assert _count(pg_engine, SyncOperation) == OPS
