"""The test run's one production build and server (``reflex run --env prod``, one origin,
the demo company), shared by every test that needs the app served the production way.

``reflex run --env prod`` compiles and builds the frontend on every start (DESIGN), about a
minute here, so the run starts it once. (The scale-out test exports a build of its own: it
bakes a different public origin, https behind nginx, into the bundle.)
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "e2e-metrics-token"  # noqa: S105  (/metrics of the test server)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    with urllib.request.urlopen(url + "/", timeout=5):  # noqa: S310
                        return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app did not start in time:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[dict]:
    """Build and start the production app on a free port with its own data folder: the one
    production build of a test run, shared by the browser tests (tests/e2e) and the security
    policy tests (tests/security), which used to build a second copy of the same app."""
    data = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {
        **os.environ,
        "KHS_DATA_DIR": str(data),
        "KHS_PORT": str(port),
        "KHS_BCRYPT_ROUNDS": "4",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "KHS_METRICS_TOKEN": METRICS_TOKEN,
    }
    env.pop("KHS_DATABASE_URL", None)
    env.pop("KHS_REDIS_URL", None)
    for args in (["migrate"], ["seed-demo"]):
        subprocess.run([str(ROOT / ".venv/bin/khs-crm"), *args], env=env, cwd=ROOT, check=True)
    log = data / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield {"url": url, "env": env, "log": log, "data": data, "process": proc}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
