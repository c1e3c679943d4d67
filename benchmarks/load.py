"""Load test of the production build on loopback: REST API and Reflex events.

    .venv/bin/python -m benchmarks.load [--seconds 15] [--concurrency 16] [--tabs 50]
                                        [--customers 10000] [--workers N]
                                        [--page dashboard|job] [--events-only]

Starts everything itself: a fresh PostgreSQL database (on KHS_TEST_PG_URL's server) with N
synthetic customers plus the demo company, a private redis-server, and the app exactly as
production runs it on one box (``reflex run --env prod``: one origin, Redis state manager,
granian workers) from a copy of the working tree. The load generator is this process
(asyncio; httpx for the API, a small wsproto socket.io client for Reflex "tabs") and shares
the machine's cores with the server: the numbers are a floor, not a ceiling.

Measures: API requests/s and latency for list, search and update (not with --events-only);
Reflex events per second (every tab sends a page-load event, hydrate + on_load, in a closed
loop: the dashboard's, or with --page job a demo job's page); event
round-trip at 50 tabs at an office pace (one event per tab per second); the per-session state
kept in Redis.
Prints a Markdown table. Everything started is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import redis
from sqlalchemy import make_url
from wsproto import ConnectionType, WSConnection
from wsproto.events import CloseConnection, Ping, RejectConnection, Request, TextMessage

from benchmarks import search_data
from tests.security.prod_stack import (
    BIN,
    Redis,
    app_copy,
    app_env,
    free_port,
    run_cli,
    start_backend,
)

ADMIN_URL = os.environ.get("KHS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
OWNER = {"email": "owner@demo.khs-crm.test", "password": "demo-password-2026"}
ROUTE = {"pathname": "/", "asPath": "/"}
# What the frontend sends when it opens a page: hydrate + the page's on_load handlers (for the
# dashboard: who is signed in, from the session cookie, and its counts from PostgreSQL).
PAGE_LOAD = {
    "name": "reflex___state____state.hydrate_and_load",
    "payload": {"hashes": []},
    "router_data": ROUTE,
}
HYDRATED = '"is_hydrated_rx_state_":true'
# Where the built frontend keeps the hashes of its compiled initial state, which it sends
# with every page load's hydrate so that the backend answers only what differs from it.
INITIAL_HASHES = re.compile(r"export const initialStateHashes = (\[[^\]]*\])")


def initial_state_hashes(workdir: Path) -> list[str]:
    """The hashes a browser sends on a page load, from the app copy's built frontend."""
    found = INITIAL_HASHES.search((workdir / ".web/utils/context.jsx").read_text())
    if found is None:
        raise RuntimeError("no initialStateHashes in the built frontend")
    return json.loads(found.group(1))


class CpuMeter:
    """CPU seconds spent by the app (its process group) and by PostgreSQL on its database.

    Other work on the machine does not count, so CPU per operation is a fair figure even when
    the cores are shared; wall-clock rates and latencies are not.
    """

    def __init__(self, pgid: int, db_url: str) -> None:
        self.pgid, self.database = pgid, make_url(db_url).database
        self.tick = os.sysconf("SC_CLK_TCK")

    def _stat(self, pid: str) -> list[str] | None:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None

    def _seconds(self, fields: list[str]) -> float:
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def read(self) -> tuple[float, float]:
        app = 0.0
        for proc in Path("/proc").glob("[0-9]*"):
            fields = self._stat(proc.name)
            if fields and int(fields[2]) == self.pgid:  # field 5: process group
                app += self._seconds(fields)
        with psycopg.connect(search_data._libpq(ADMIN_URL), autocommit=True) as conn:
            pids = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)
            ).fetchall()
        db = sum(self._seconds(f) for (pid,) in pids if (f := self._stat(str(pid))))
        return app, db


def cpu_per_op(meter: CpuMeter, before: tuple[float, float], ops: int) -> str:
    app, db = meter.read()
    if not ops:
        return "-"
    return f"{(app - before[0]) * 1000 / ops:.1f} + {(db - before[1]) * 1000 / ops:.1f}"


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


# REST API ----------------------------------------------------------------------------------------


async def api_phase(url: str, token: str, kind: str, ids: list[str], args) -> dict:
    """``args.concurrency`` clients in a closed loop for ``args.seconds``."""
    rng = random.Random(kind)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    words = [w.lower()[:3] for w in search_data.LAST]

    def request(client: httpx.AsyncClient):
        if kind == "list":
            return client.get("/api/customers", params={"page": rng.randint(1, 200)})
        if kind == "search":
            return client.get("/api/customers/search", params={"q": rng.choice(words)})
        body = {"notes": f"load test {uuid.uuid4().hex[:8]}"}
        return client.put(f"/api/customers/{rng.choice(ids)}", json=body)

    async def worker(deadline: float) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await request(client)
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1

    cpu = args.meter.read() if args.meter else None
    started = time.monotonic()
    await asyncio.gather(*(worker(started + args.seconds) for _ in range(args.concurrency)))
    elapsed = time.monotonic() - started
    return {
        "what": f"API {kind}",
        "cpu": cpu_per_op(args.meter, cpu, len(latencies)) if cpu else "-",
        "rate": len(latencies) / elapsed,
        "p50": pct(latencies, 0.50),
        "p95": pct(latencies, 0.95),
        "p99": pct(latencies, 0.99),
        "n": len(latencies),
        "errors": errors,
    }


# Reflex "tabs" over the socket.io websocket ----------------------------------------------------


class Tab:
    """One browser tab's websocket: engine.io v4 + socket.io on /_event, as the frontend does."""

    def __init__(self, port: int, cookie: str, origin: str) -> None:
        self.port, self.cookie, self.origin = port, cookie, origin
        self.token = str(uuid.uuid4())
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.ws = WSConnection(ConnectionType.CLIENT)

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        target = f"/_event/?token={self.token}&EIO=4&transport=websocket"
        headers = [(b"origin", self.origin.encode()), (b"cookie", self.cookie.encode())]
        request = Request(host=f"127.0.0.1:{self.port}", target=target, extra_headers=headers)
        self.writer.write(self.ws.send(request))
        self.pump = asyncio.create_task(self._pump())
        opened = await asyncio.wait_for(self.inbox.get(), 10)
        assert opened.startswith("0"), opened
        await self.send("40/_event," + json.dumps({"event": PAGE_LOAD}))
        await self.until(lambda m: HYDRATED in m)

    async def send(self, text: str) -> None:
        self.writer.write(self.ws.send(TextMessage(data=text)))
        await self.writer.drain()

    async def until(self, done, timeout: float = 30) -> None:
        while not done(await asyncio.wait_for(self.inbox.get(), timeout)):
            pass

    async def event(self) -> float:
        """Send the page-load event; the seconds until the last state delta (hydrated)."""
        started = time.perf_counter()
        await self.send("42/_event," + json.dumps(["event", PAGE_LOAD]))
        await self.until(lambda m: HYDRATED in m)
        return time.perf_counter() - started

    async def _pump(self) -> None:
        text = ""
        while data := await self.reader.read(65536):
            self.ws.receive_data(data)
            for event in self.ws.events():
                if isinstance(event, TextMessage):
                    text += event.data
                    if event.message_finished:
                        await (self.send("3") if text == "2" else self.inbox.put(text))
                        text = ""
                elif isinstance(event, Ping):
                    self.writer.write(self.ws.send(event.response()))
                elif isinstance(event, RejectConnection | CloseConnection):
                    await self.inbox.put(f"closed {event}")
                    return

    async def close(self) -> None:
        self.pump.cancel()
        self.writer.close()


async def event_phases(port: int, cookie: str, origin: str, args, redis_url: str) -> list[dict]:
    tabs = [Tab(port, cookie, origin) for _ in range(args.tabs)]
    for batch in range(0, len(tabs), 10):
        await asyncio.gather(*(tab.open() for tab in tabs[batch : batch + 10]))
    results = []
    phases = [("closed loop", 0.0)] + [(f"1 event per {p:g} s per tab", p) for p in args.pace]
    for name, pace in phases:
        samples: list[float] = []

        async def run(tab: Tab, deadline: float, pace: float = pace, samples=samples) -> None:
            await asyncio.sleep(random.random() * pace)
            while time.monotonic() < deadline:
                took = await tab.event()
                samples.append(took)
                if pace:
                    await asyncio.sleep(max(0.0, pace - took))

        cpu = args.meter.read()
        started = time.monotonic()
        await asyncio.gather(*(run(tab, started + args.seconds) for tab in tabs))
        elapsed = time.monotonic() - started
        results.append(
            {
                "what": f"Reflex events ({args.page}), {args.tabs} tabs, {name}",
                "cpu": cpu_per_op(args.meter, cpu, len(samples)),
                "rate": len(samples) / elapsed,
                "p50": pct(samples, 0.50),
                "p95": pct(samples, 0.95),
                "p99": pct(samples, 0.99),
                "n": len(samples),
                "errors": {},
            }
        )
    results.append(state_size(redis_url, [tab.token for tab in tabs]))
    await asyncio.gather(*(tab.close() for tab in tabs))
    return results


def state_size(redis_url: str, tokens: list[str]) -> dict:
    """Bytes Reflex keeps in Redis per session (tab): every key that carries its token."""
    client = redis.Redis.from_url(redis_url)
    sizes, keys = [], []
    for token in tokens:
        found = list(client.scan_iter(match=f"*{token}*", count=1000))
        keys.append(len(found))
        sizes.append(sum(client.memory_usage(key) or 0 for key in found))
    value = sum(client.strlen(k) for k in client.scan_iter(match=f"*{tokens[0]}*"))
    return {
        "what": "state per session (Redis)",
        "detail": f"{statistics.mean(sizes) / 1024:.1f} KiB memory, {value / 1024:.1f} KiB "
        f"serialized, in {statistics.mean(keys):.0f} keys",
    }


# Set-up and report -------------------------------------------------------------------------


def start_stack(folder: Path, args, started: dict) -> None:
    """Database, Redis and the app; each goes into ``started`` as soon as it exists."""
    started["db_url"] = search_data.create_database(ADMIN_URL)
    search_data.load(started["db_url"], args.customers)
    started["store"] = store = Redis(folder / "redis")
    store.start()
    port = free_port()
    env = app_env(
        folder / "data",
        KHS_DATABASE_URL=started["db_url"],
        KHS_REDIS_URL=store.url,
        KHS_API_CALLS_PER_MINUTE="100000000",
        KHS_PORT=str(port),
    )
    if args.workers:
        env["GRANIAN_WORKERS"] = str(args.workers)
    env.update(item.split("=", 1) for item in args.env)
    workdir = app_copy(folder / "app", with_web=True)
    run_cli([str(BIN / "khs-crm"), "seed-demo"], workdir, env)
    started["app"] = start_backend(workdir, env, port, single_port=True)
    if not args.full_hydrate:
        PAGE_LOAD["payload"]["hashes"] = initial_state_hashes(workdir)


async def measure(url: str, port: int, redis_url: str, args) -> list[dict]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        tokens = (await client.post("/api/auth/login", json=OWNER)).json()["data"]
        signed_in = await client.post("/api/auth/session", json=OWNER)
        cookie = "; ".join(f"{k}={v}" for k, v in signed_in.cookies.items())
        page = await client.get(
            "/api/customers",
            params={"pageSize": 100},
            headers={"Authorization": f"Bearer {tokens['accessToken']}"},
        )
        ids = [row["id"] for row in page.json()["data"]]
        if args.page == "job":
            jobs = await client.get(
                "/api/jobs",
                params={"pageSize": 1},
                headers={"Authorization": f"Bearer {tokens['accessToken']}"},
            )
            path = f"/jobs/{jobs.json()['data'][0]['id']}"
            PAGE_LOAD["router_data"] = {"pathname": path, "asPath": path}
    results = []
    if args.events_only:
        return await event_phases(port, cookie, url, args, redis_url)
    warm_up = argparse.Namespace(seconds=2, concurrency=args.concurrency, meter=None)
    for kind in ("list", "search", "update"):
        await api_phase(url, tokens["accessToken"], kind, ids, warm_up)  # not recorded
        results.append(await api_phase(url, tokens["accessToken"], kind, ids, args))
    results += await event_phases(port, cookie, url, args, redis_url)
    return results


def report(results: list[dict], args, workers: str, load: tuple[str, str]) -> str:
    lines = [
        f"{args.customers} customers + demo company, PostgreSQL 15, Redis 7; "
        f"{os.cpu_count()} cores shared by server ({workers} workers) and load generator; "
        f"{args.seconds:.0f} s per row, API concurrency {args.concurrency}; "
        f"load average before {load[0]}, after {load[1]}; "
        + (
            "page loads send no initial-state hashes (whole state every time)."
            if args.full_hydrate
            else "page loads send the built frontend's initial-state hashes, as a browser does."
        ),
        "",
        "| measured | per second | p50 ms | p95 ms | p99 ms | samples | errors "
        "| server CPU ms/op (app + PostgreSQL) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if "detail" in r:
            lines.append(f"| {r['what']} | {r['detail']} | | | | | | |")
            continue
        lines.append(
            f"| {r['what']} | {r['rate']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['n']} | {r['errors'] or 0} | {r['cpu']} |"
        )
    return "\n".join(lines)


def _is_error(line: str) -> bool:
    return "Traceback" in line or '"level":"error"' in line or "ERROR" in line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument(
        "--pace", type=float, nargs="*", default=[1.0, 5.0], help="seconds between a tab's events"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="granian workers (default: Reflex's)"
    )
    parser.add_argument(
        "--page", choices=("dashboard", "job"), default="dashboard", help="the page each tab loads"
    )
    parser.add_argument("--events-only", action="store_true", help="skip the API rows")
    parser.add_argument(
        "--full-hydrate",
        action="store_true",
        help="page loads send no initial-state hashes, so every hydrate sends the whole state",
    )
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="the app's environment"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khs-load-"))
    started: dict = {}
    try:
        start_stack(folder, args, started)
        app, store = started["app"], started["store"]
        url = app.url.replace("127.0.0.1", "localhost")
        port = int(app.url.rsplit(":", 1)[1])
        args.meter = CpuMeter(app.popen.pid, started["db_url"])  # the server leads its group
        before = f"{os.getloadavg()[0]:.1f}"
        results = asyncio.run(measure(url, port, store.url, args))
        workers = str(args.workers or "Reflex default")
        print(report(results, args, workers, (before, f"{os.getloadavg()[0]:.1f}")))
        errors = [line for line in app.output().splitlines() if _is_error(line)]
        print(f"\nserver log: {len(errors)} error lines")
        for line in errors[:5]:
            print(f"  {line[:200]}")
    finally:
        if "app" in started:
            started["app"].stop()
        if "store" in started:
            started["store"].stop()
        if "db_url" in started:
            search_data.drop_database(ADMIN_URL, started["db_url"])
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
