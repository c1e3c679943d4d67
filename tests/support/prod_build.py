"""The test run's one production build and server (``reflex run --env prod``, one origin,
the demo company), shared by every test that needs the app served the production way.

``reflex run --env prod`` compiles and builds the frontend on every start (DESIGN), about a
minute here, so the run builds it once; the scale-out test's nginx serves the same build
(``build``, tests/integration/test_scale_out.py).

The browser tests run in two pytest-xdist processes. Each has a server of its own, with its
own data (tests in one process never see the other's customers, clock-ins or counts), and
both serve the one build: the first process to ask builds and serves it
(``reflex run --env prod``); the others serve that build (``serve_build.py``, no compile).
The bundle names the port, not the host (Reflex swaps in the page's own host name), so every
server listens on the same port, each on its own loopback address: 127.0.0.1 (reached as
``localhost``), 127.0.0.2, ...
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.security.prod_stack import Process, free_port

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / ".web" / "build" / "client"  # what ``reflex run --env prod`` built
METRICS_TOKEN = "e2e-metrics-token"  # noqa: S105  (/metrics of the test server)


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


def _worker_index() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _run_folder(tmp_path_factory) -> Path:
    """A folder every pytest-xdist process of this run sees (and no other run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[dict]:
    """The production app with its own data folder, on this process's loopback address: the
    one production build of a test run, shared by the browser tests (tests/e2e) and the
    security policy tests (tests/security)."""
    data = tmp_path_factory.mktemp("e2e-data")
    index = _worker_index()
    host = f"127.0.0.{index + 1}"
    url_host = "localhost" if index == 0 else host
    shared = _run_folder(tmp_path_factory)
    with _locked(shared / "app-build.lock"):
        built = shared / "app-build.json"
        port = json.loads(built.read_text())["port"] if built.exists() else free_port()
        proc, log, env = _start(data, host, url_host, port, build=not built.exists())
        url = f"http://{url_host}:{port}"
        try:
            _wait_healthy(url, proc, log)
        except BaseException:
            Process("app", proc, log).stop()
            raise
        built.write_text(json.dumps({"port": port}))
    try:
        yield {"url": url, "env": env, "log": log, "data": data, "process": proc, "build": BUILD}
    finally:
        Process("app", proc, log).stop()


def _start(
    data: Path, host: str, url_host: str, port: int, build: bool
) -> tuple[subprocess.Popen, Path, dict]:
    env = {
        **os.environ,
        "KHS_DATA_DIR": str(data),
        "KHS_PORT": str(port),
        "KHS_BCRYPT_ROUNDS": "4",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "KHS_METRICS_TOKEN": METRICS_TOKEN,
        "KHS_PUBLIC_URL": f"http://{url_host}:{port}",
    }
    env.pop("KHS_DATABASE_URL", None)
    env.pop("KHS_REDIS_URL", None)
    for args in (["migrate"], ["seed-demo"]):
        subprocess.run([str(ROOT / ".venv/bin/khs-crm"), *args], env=env, cwd=ROOT, check=True)
    log = data / "server.log"
    if build:
        command = [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--backend-host", host]
    else:
        command = [
            str(ROOT / ".venv/bin/python"),
            "-m",
            "tests.support.serve_build",
            host,
            str(port),
        ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return proc, log, env
