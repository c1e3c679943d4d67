"""Cold start of the sign-in page and the field app, measured with Lighthouse 12 (mobile
preset, its default simulated throttling), beside a blank Reflex app built the same way.

    .venv/bin/python -m benchmarks.cold_start [--runs 5] [--url http://localhost:3000]
                                               [--anchor-url URL | --no-anchor]

Without ``--url`` it starts the app itself (``reflex run --env prod`` on the demo company, a
temporary data folder). It makes a worker with three jobs today (through the API), takes a
session cookie for them and runs Lighthouse on ``/login`` and, signed in, on ``/field``.
"Cold" is Lighthouse's default: storage cleared, so no service worker and no IndexedDB: the
jobs come from the first pull. Without ``--anchor-url`` it also builds and starts a blank
Reflex app (``reflex init --template blank``) and measures its ``/``: the runtime every
Reflex page carries, in the same run. Lighthouse 12.2.3 is installed into
``.tools/lighthouse`` on first use (npm). Prints a Markdown table: the median of the runs and
each run's performance score, LCP, FCP and total blocking time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
OWNER = {"email": "owner@demo.khs-crm.test", "password": "demo-password-2026"}
PASSWORD = "bench-password-2026"  # noqa: S105 (a throwaway benchmark user)


def _env(port: int, data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "KHS_DATA_DIR": str(data),
        "KHS_PORT": str(port),
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    env.pop("KHS_DATABASE_URL", None)
    env.pop("KHS_REDIS_URL", None)
    return env


def _wait(url: str, proc: subprocess.Popen, log: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        with suppress(OSError), urllib.request.urlopen(url, timeout=3):  # noqa: S310 (loopback)
            return
        time.sleep(2)
    raise RuntimeError(f"{url} did not answer in time")


@contextmanager
def _server(cmd: list[str], cwd: Path, env: dict[str, str], probe: str) -> Iterator[None]:
    log = Path(tempfile.mkstemp(prefix="khs-bench-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait(probe, proc, log)
        yield
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


@contextmanager
def app(port: int) -> Iterator[str]:
    """The production build on the demo company."""
    data = Path(tempfile.mkdtemp(prefix="khs-bench-data-"))
    env = _env(port, data)
    for args in (["migrate"], ["seed-demo"]):
        subprocess.run([str(ROOT / ".venv/bin/khs-crm"), *args], env=env, cwd=ROOT, check=True)  # noqa: S603
    url = f"http://localhost:{port}"
    cmd = [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod"]
    with _server(cmd, ROOT, env, url + "/api/health"):
        yield url


@contextmanager
def blank_reflex(port: int) -> Iterator[str]:
    """A blank Reflex app (same Reflex, same bun), built and served the production way."""
    folder = Path(tempfile.mkdtemp(prefix="khs-blank-")) / "blank"
    folder.mkdir()
    env = _env(port, folder)
    env.pop("KHS_PORT")
    reflex = str(ROOT / ".venv/bin/reflex")
    subprocess.run([reflex, "init", "--template", "blank"], cwd=folder, env=env, check=True)  # noqa: S603
    config = folder / "rxconfig.py"  # the template's own, with this port and no telemetry
    config.write_text(
        config.read_text().replace(
            "rx.Config(",
            f"rx.Config(frontend_port={port}, backend_port={port}, telemetry_enabled=False, ",
            1,
        )
    )
    url = f"http://localhost:{port}"
    with _server([reflex, "run", "--env", "prod"], folder, env, url + "/"):
        yield url


def worker_cookie(url: str) -> str:
    """A new worker with three jobs today; their session cookie, as a Cookie header."""
    with httpx.Client(base_url=url, timeout=30) as http:
        token = http.post("/api/auth/login", json=OWNER).json()["data"]["accessToken"]
        office = {"Authorization": f"Bearer {token}"}
        tag = uuid.uuid4().hex[:8]
        email = f"bench-{tag}@example.com"
        worker = http.post(
            "/api/users",
            json={"email": email, "name": f"Bench {tag}", "role": "worker", "password": PASSWORD},
            headers=office,
        ).json()["data"]
        customers = http.get("/api/customers?pageSize=3", headers=office).json()["data"]
        start = datetime.now(UTC).replace(microsecond=0)
        for i, customer in enumerate(customers):
            job = http.post(
                "/api/jobs",
                json={
                    "customerId": customer["id"],
                    "title": f"Job {i + 1} {tag}",
                    "siteAddress": customer.get("address") or "1 Main St, Austin, TX",
                    "scheduledStart": (start + timedelta(minutes=10 * i)).isoformat(),
                    "scheduledEnd": (start + timedelta(hours=2)).isoformat(),
                    "assignedUserIds": [worker["id"]],
                },
                headers=office,
            ).json()["data"]
            for status in ("quoted", "scheduled"):
                http.put(f"/api/jobs/{job['id']}/status", json={"status": status}, headers=office)
        signed = http.post("/api/auth/session", json={"email": email, "password": PASSWORD})
        signed.raise_for_status()
        return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        ["npm", "install", "--prefix", str(TOOLS), "-E", "lighthouse@12.2.3"],  # noqa: S607
        check=True,
    )


def lighthouse(url: str, cookie: str = "") -> dict[str, float]:
    out = Path(tempfile.mkstemp(prefix="khs-lh-", suffix=".json")[1])
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    # Lighthouse sometimes loses its trace on a busy machine (NO_NAVSTART): run that one again.
    for attempt in range(3):
        done = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)  # noqa: S603
        if done.returncode == 0:
            break
        if attempt == 2:
            done.check_returncode()
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "score": report["categories"]["performance"]["score"] * 100,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def _row(name: str, runs: list[dict[str, float]]) -> str:
    keys = ("score", "lcp", "fcp", "tbt", "bytes")
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    each = ", ".join(f"{r['score']:.0f}/{r['lcp']:.2f}/{r['fcp']:.2f}/{r['tbt']:.0f}" for r in runs)
    return (
        f"| {name} | {med['score']:.0f} | {med['lcp']:.2f} s | {med['fcp']:.2f} s"
        f" | {med['tbt']:.0f} ms | {med['bytes']:.0f} KiB | {each} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a running production build (default: start one)")
    parser.add_argument("--anchor-url", help="a running blank Reflex app (default: start one)")
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--port", type=int, default=3710)
    args = parser.parse_args()
    ensure_lighthouse()
    with ExitStack() as stack:
        url = args.url or stack.enter_context(app(args.port))
        cookie = worker_cookie(url)
        targets = [
            ("`/login`", f"{url}/login", ""),
            ("`/field` (worker, 3 jobs today)", f"{url}/field", cookie),
        ]
        if not args.no_anchor:
            anchor = args.anchor_url or stack.enter_context(blank_reflex(args.port + 1))
            targets.append(("blank Reflex 0.10 app `/`", f"{anchor}/", ""))
        results: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in targets}
        for _ in range(args.runs):  # interleaved: a busy moment hits every page alike
            for name, target, with_cookie in targets:
                results[name].append(lighthouse(target, with_cookie))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    print(f"Lighthouse 12.2.3 mobile, cold, {args.runs} runs each, {stamp} UTC")
    print("| page | score | LCP | FCP | TBT | bytes | runs (score/LCP/FCP/TBT ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, runs in results.items():
        print(_row(name, runs))


if __name__ == "__main__":
    main()
