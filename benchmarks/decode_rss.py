"""Peak memory of the API while it decodes hostile photos sent all at once.

    .venv/bin/python -m benchmarks.decode_rss                  # every scenario, 10 uploads each
    .venv/bin/python -m benchmarks.decode_rss --uploads 6 --scenario png-rgba-6320

Per scenario it starts a fresh API process (uvicorn, ``khs_crm.api:create_api``, SQLite in a
temporary ``KHS_DATA_DIR``), adds an owner with the CLI, signs in over HTTP, creates a customer
and a job, uploads one small photo (imports and the thumbnail worker warm), and takes the idle
RSS. Then N threads post the same file at once (``POST /api/jobs/{id}/photos``, fresh ids),
while the server's RSS is sampled every 5 ms until every answer is in and no thumbnail is
pending. A fresh process per scenario, so that memory the allocator kept from one scenario
never hides in the next one's idle figure. The files are made here with Pillow: one colour,
so a few hundred KB of PNG (or a few KB of HEIC) that decode to 100+ MB.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

EMAIL, PASSWORD = "owner@example.com", "bench-password-1234"
MB = 1_000_000

PNG9 = {"compress_level": 9}
PROGRESSIVE = {"progressive": True, "subsampling": 0, "quality": 90}  # 4:4:4
SCENARIOS = {  # name: (Pillow format, mode, size, save options)
    "png-rgb-6320": ("PNG", "RGB", (6320, 6320), PNG9),  # 39.9 MP: passes the 40 MP check
    "png-rgba-6320": ("PNG", "RGBA", (6320, 6320), PNG9),
    "png-rgb-5600": ("PNG", "RGB", (5600, 5600), PNG9),  # 31.4 MP: under the bytes ceiling
    "png-rgb-4000": ("PNG", "RGB", (4000, 4000), PNG9),  # 16 MP: 64 MB, two decode at once
    "heic-5712x4284": ("HEIF", "RGB", (5712, 4284), {}),  # an iPhone's 24 MP photo
    "webp-4000": ("WEBP", "RGB", (4000, 4000), {}),  # 16 MP
    "jpeg-progressive-6320": ("JPEG", "RGB", (6320, 6320), PROGRESSIVE),
}


def hostile_file(fmt: str, mode: str, size: tuple[int, int], options: dict) -> bytes:
    """One colour at ``size``: tiny on the wire, huge once decoded."""
    from PIL import Image

    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new(mode, size, "orange").save(out, fmt, **options)
    return out.getvalue()


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` (``VmHWM``: its high-water mark) in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / MB
    raise RuntimeError(f"no {field} for {pid}")


class Sampler(threading.Thread):
    """Polls a process's RSS every 5 ms and keeps the largest value."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.005)


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    data_dir: Path
    headers: dict[str, str]
    job_id: str


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KHS_DATA_DIR": str(data_dir),
        "KHS_DATABASE_URL": f"sqlite:///{data_dir / 'khs_crm.db'}",
        "KHS_BCRYPT_ROUNDS": "4",
        "KHS_API_CALLS_PER_MINUTE": "1000000",
    }


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> None:
    cmd = [sys.executable, "-m", "khs_crm.cli", *args]
    subprocess.run(cmd, env=env, input=stdin, text=True, check=True, capture_output=True)


def _wait_healthy(base: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def start_server(data_dir: Path) -> Server:
    """Migrate, add the owner, start uvicorn, sign in, make a job, warm the photo path."""
    env = _env(data_dir)
    _cli(env, "migrate")
    _cli(env, "users", "add", EMAIL, "--name", "Bench Owner", "--role", "owner",
         "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    port = _port()
    uvicorn = [sys.executable, "-m", "uvicorn", "khs_crm.api:create_api", "--factory"]
    args = ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    log = (data_dir / "server.log").open("w")  # the access log; read it when a run fails
    proc = subprocess.Popen(
        [*uvicorn, *args], env=env, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    _wait_healthy(base, proc)
    login = httpx.post(f"{base}/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['data']['accessToken']}"}
    customer = httpx.post(f"{base}/api/customers", json={"name": "Pat"}, headers=headers)
    body = {"customerId": customer.json()["data"]["id"], "title": "Bench job"}
    job = httpx.post(f"{base}/api/jobs", json=body, headers=headers)
    server = Server(proc, base, data_dir, headers, job.json()["data"]["id"])
    assert upload(server, hostile_file("PNG", "RGB", (640, 480), {})) == 201
    wait_thumbnails(server)
    return server


def upload(server: Server, data: bytes) -> int:
    """Post one photo under a fresh id; the status code."""
    response = httpx.post(
        f"{server.base}/api/jobs/{server.job_id}/photos",
        data={"id": str(uuid.uuid4())},
        files={"file": ("photo", data, "application/octet-stream")},
        headers=server.headers,
        timeout=300,
    )
    return response.status_code


def wait_thumbnails(server: Server, timeout: float = 300) -> None:
    """Until no photo's thumbnail is pending (read from the database file)."""
    deadline = time.monotonic() + timeout
    query = "SELECT count(*) FROM photos WHERE thumbnail_status = 'pending'"
    while time.monotonic() < deadline:
        with sqlite3.connect(server.data_dir / "khs_crm.db") as db:
            if db.execute(query).fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("thumbnails still pending")


def run_scenario(name: str, uploads: int) -> list[str]:
    """One table row: the scenario's answers, idle and peak RSS."""
    data = hostile_file(*SCENARIOS[name])
    with tempfile.TemporaryDirectory(prefix="khs_decode_") as tmp:
        server = start_server(Path(tmp))
        try:
            time.sleep(1)
            idle, hwm_idle = rss_mb(server.proc.pid), rss_mb(server.proc.pid, "VmHWM")
            sampler = Sampler(server.proc.pid)
            sampler.start()
            start = time.perf_counter()
            with ThreadPoolExecutor(uploads) as pool:
                codes = list(pool.map(lambda _: upload(server, data), range(uploads)))
            wait_thumbnails(server)
            seconds = time.perf_counter() - start
            sampler.done.set()
            sampler.join()
            hwm = rss_mb(server.proc.pid, "VmHWM")
            peak = max(sampler.peak, hwm if hwm > hwm_idle else 0.0)
        finally:
            server.proc.kill()
            server.proc.wait()
    accepted = sum(code in (200, 201) for code in codes)
    refused = ", ".join(f"{codes.count(c)}×{c}" for c in sorted(set(codes)) if c not in (200, 201))
    kb = f"{len(data) / 1000:.0f} KB"
    return [name, kb, str(uploads), str(accepted), refused or "0", f"{idle:.0f}",
            f"{peak:.0f}", f"**{peak - idle:.0f}**", f"{seconds:.1f}"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    head = ["file", "size", "uploads", "accepted", "refused", "idle RSS MB", "peak RSS MB",
            "peak − idle MB", "seconds"]  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for name in args.scenario or list(SCENARIOS):
        print("| " + " | ".join(run_scenario(name, args.uploads)) + " |", flush=True)


if __name__ == "__main__":
    main()
