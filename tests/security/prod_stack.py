"""Production-shaped processes for the security, resilience and scale-out tests.

Each server runs from its own copy of the app (a temporary folder), so building a frontend
or starting a backend never touches the shared ``.web``/``.states`` of the working tree that
other test runs use. PostgreSQL and Redis instances here are private, on free ports: tests
may stop and restart them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOOLS = ROOT / ".tools" / "node_modules" / ".bin"
APP_FILES = ("khs_crm", "rxconfig.py", "alembic", "alembic.ini", "assets", "reflex.lock")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, what: str, step: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def http_status(url: str, timeout: float = 3) -> int | None:
    """The status of a GET (4xx/5xx included), or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a server or CLI: its own data folder, bun on PATH, no telemetry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHS_", "REFLEX_"))}
    env.update(
        {
            "PATH": f"{TOOLS}:{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "REFLEX_USE_SYSTEM_BUN": "1",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "KHS_DATA_DIR": str(data_dir),
            "KHS_BCRYPT_ROUNDS": "4",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def app_copy(dest: Path, *, with_web: bool = False) -> Path:
    """Copy the app (and, to build a frontend without a fresh install, its ``.web``)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in APP_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / name)
    if with_web and (ROOT / ".web").is_dir():
        web = ROOT / ".web"

        def outputs(folder: str, names: list[str]) -> set[str]:
            # only the top level's build output: node_modules has folders named "build" too
            return {"build", ".react-router"} & set(names) if Path(folder) == web else set()

        shutil.copytree(web, dest / ".web", ignore=outputs, symlinks=True)
    return dest


def run_cli(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr}")
    return result.stdout


def export_frontend(workdir: Path, env: dict[str, str]) -> Path:
    """``reflex export --frontend-only --no-zip`` in ``workdir``; returns the build folder."""
    run_cli([str(BIN / "reflex"), "export", "--frontend-only", "--no-zip"], workdir, env)
    build = workdir / ".web" / "build" / "client"
    assert (build / "index.html").exists(), "the export produced no index.html"
    return build


@dataclass
class Process:
    """A server started in its own process group, its output in ``log``."""

    name: str
    popen: subprocess.Popen
    log: Path
    url: str = ""

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if not self.alive:
            return
        try:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        except ProcessLookupError:
            pass

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def spawn(name: str, args: list[str], cwd: Path, env: dict[str, str], log: Path) -> Process:
    with log.open("ab") as out:
        popen = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, popen, log)


def start_backend(workdir: Path, env: dict[str, str], port: int, *, single_port=False) -> Process:
    """The production backend (``--backend-only``), or the whole app on one port."""
    args = [str(BIN / "reflex"), "run", "--env", "prod"]
    run_env = dict(env)
    if single_port:
        run_env["KHS_PORT"] = str(port)
    else:
        args += ["--backend-only", "--backend-port", str(port)]
        run_env["REFLEX_FRONTEND_PORT"] = "0"  # rxconfig names a frontend port
    name = f"app-{port}"
    proc = spawn(name, args, workdir, run_env, workdir / f"{name}.log")
    proc.url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if not proc.alive:
            raise RuntimeError(f"{name} exited:\n{proc.output()[-4000:]}")
        return http_status(proc.url + "/api/health") is not None

    try:
        wait_until(up, 600 if single_port else 120, f"{name} to answer")
    except BaseException:
        proc.stop()
        raise
    return proc


# PostgreSQL and Redis of our own ----------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


def postgres_available() -> bool:
    return _pg_bin("initdb") is not None and _pg_bin("pg_ctl") is not None


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Postgres:
    """A throwaway cluster: trust auth, loopback only, on a free port."""

    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> Postgres:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        cmd = [_pg_bin("initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres"]
        subprocess.run(_as_postgres(cmd), check=True, capture_output=True, timeout=120)
        return self

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        cmd = [_pg_bin("pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "60"]
        cmd += ["-o", options, "-l", str(self.folder / "server.log"), *args]
        subprocess.run(_as_postgres(cmd), check=True, capture_output=True, timeout=90)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


@dataclass
class Redis:
    """A private redis-server; its append-only file survives a stop/start."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)]
        self.process = spawn("redis", args, self.folder, dict(os.environ), self.folder / "log")
        try:
            wait_until(self.ping, 20, "redis to answer")
        except BaseException:
            self.stop()
            raise

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(signal.SIGTERM)
            self.process = None
