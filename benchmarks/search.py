"""Customer list and search at scale, on a fresh PostgreSQL database.

    .venv/bin/python -m benchmarks.search --rows 100000

Loads N synthetic customers (COPY), then measures p50/p95 at the service level and over
HTTP (the real API served by granian on 127.0.0.1), and throughput with 8 threads. Prints a
Markdown table; the database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from benchmarks import search_data
from benchmarks.search_http import HttpServer
from khs_crm.db import make_engine
from khs_crm.models import Role, User
from khs_crm.services.customers.search import list_customers, search_customers

PAGE_SIZE = 25
LOAD_BEFORE = " ".join(f"{x:.1f}" for x in os.getloadavg())
ADMIN_URL = os.environ.get("KHS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def name_fragment(rng: random.Random) -> str:
    """4 letters from inside a surname, as someone types half a name: "mith", "onza"."""
    last = rng.choice(search_data.LAST).lower()
    start = rng.randint(0, max(0, len(last) - 4))
    return last[start : start + 4]


def short_fragment(rng: random.Random) -> str:
    """3 letters: the first keystrokes of a search, matching many customers."""
    return rng.choice(search_data.LAST).lower()[:3]


PHONES: list[str] = []  # local numbers (7 digits) of customers in the database


def phone_fragment(rng: random.Random) -> str:
    """6 digits of a customer's local number, typed with a dash: "555-010", "550-101"."""
    digits = rng.choice(PHONES)[-7:]
    start = rng.randint(0, 1)
    return f"{digits[start : start + 3]}-{digits[start + 3 : start + 6]}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call: Callable[[], int], samples: int) -> tuple[float, float, int]:
    """Run ``call`` (returns a match count) after warm-up; (p50 ms, p95 ms, median count)."""
    for _ in range(5):
        call()
    times, counts = [], []
    for _ in range(samples):
        started = time.perf_counter()
        counts.append(call())
        times.append(time.perf_counter() - started)
    p50, p95 = percentiles(times)
    return p50, p95, int(statistics.median(counts))


def throughput(make_call: Callable[[int], Callable[[], int]], threads: int, seconds: float):
    """Calls per second with ``threads`` threads, each running its own call in a loop."""
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        call = make_call(i)
        while time.perf_counter() < stop:
            call()
            done[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / seconds


class ServiceCalls:
    """The services exactly as the API calls them, one session per call."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        with Session(self.engine, expire_on_commit=False) as session:
            email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
            self.user = User(email=email, name="Bench", role=Role.owner)
            self.user.password_hash = "-"  # noqa: S105 (never signs in with a password)
            session.add(self.user)
            session.commit()
            sample = text("SELECT phone_digits FROM customers TABLESAMPLE SYSTEM (1) LIMIT 1000")
            PHONES[:] = session.exec(sample).scalars().all()

    def search(self, q: str) -> int:
        with Session(self.engine) as session:
            _, total = search_customers(session, user=self.user, q=q, page=1, page_size=PAGE_SIZE)
        return total

    def list(self, page: int) -> int:
        with Session(self.engine) as session:
            _, total = list_customers(
                session, user=self.user, page=page, page_size=PAGE_SIZE, sort="name"
            )
        return total


def measure(url: str, rows: int, args: argparse.Namespace) -> list[tuple]:
    service = ServiceCalls(url)
    rng = random.Random(11)
    deep = max(1, rows // PAGE_SIZE // 2)
    kinds = {
        "name fragment (4 letters)": name_fragment,
        "name fragment (3 letters)": short_fragment,
        "phone fragment (6 digits)": phone_fragment,
    }
    results = [
        ("list page 1, sort name", "service", *timed(lambda: service.list(1), args.samples)),
        (
            f"list page {deep:,} (offset {(deep - 1) * PAGE_SIZE:,}), sort name",
            "service",
            *timed(lambda: service.list(deep), args.samples),
        ),
    ]
    for label, fragment in kinds.items():
        call = lambda f=fragment: service.search(f(rng))  # noqa: E731
        results.append((f"search {label}", "service", *timed(call, args.samples)))

    def mixed(i: int) -> Callable[[], int]:
        local = random.Random(i)
        return lambda: service.search(
            name_fragment(local) if local.random() < 0.5 else phone_fragment(local)
        )

    rate = throughput(mixed, args.threads, args.seconds)
    label = f"searches/s, {args.threads} threads (4-letter name or phone)"
    results.append((label, "service", rate))
    results += measure_http(url, service.user, args, rng)
    service.engine.dispose()
    return results


def measure_http(url: str, user: User, args: argparse.Namespace, rng: random.Random):
    with HttpServer(url, user, workers=args.http_workers) as server:
        results = [
            ("list page 1, sort name", "HTTP", *timed(lambda: server.list(1), args.samples)),
        ]
        for label, fragment in (("4 letters", name_fragment), ("6 digits", phone_fragment)):
            call = lambda f=fragment: server.search(f(rng))  # noqa: E731
            results.append((f"search fragment ({label})", "HTTP", *timed(call, args.samples)))

        def mixed(i: int) -> Callable[[], int]:
            local, client = random.Random(100 + i), server.client()
            return lambda: server.search(
                name_fragment(local) if local.random() < 0.5 else phone_fragment(local), client
            )

        rate = throughput(mixed, args.threads, args.seconds)
        label = f"searches/s, {args.threads} clients, granian {args.http_workers} worker(s)"
        results.append((label, "HTTP", rate))
    return results


def report(rows: int, timings: dict[str, float], results: list[tuple], version: str) -> str:
    lines = [
        f"rows: {rows:,} | {version.split(' on ')[0]} | {os.cpu_count()} CPUs | "
        f"Python {platform.python_version()} | load average before: {LOAD_BEFORE}",
        "load: " + (", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) or "(reused)"),
        "",
        "| measurement | level | p50 ms | p95 ms | matches (median) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, level, *values in results:
        if len(values) == 1:
            lines.append(f"| {label} | {level} | {values[0]:,.0f} /s | | |")
        else:
            p50, p95, count = values
            lines.append(f"| {label} | {level} | {p50:.1f} | {p95:.1f} | {count:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--http-workers", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--database-url", help="measure a database loaded (--keep) by an earlier run instead"
    )
    args = parser.parse_args()
    os.environ["KHS_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="khs-bench-")))
    url = args.database_url or search_data.create_database(ADMIN_URL)
    try:
        timings = {} if args.database_url else search_data.load(url, args.rows)
        if args.keep or args.database_url:
            print(f"database: {url}")
        with make_engine(url).connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar_one()
        print(report(args.rows, timings, measure(url, args.rows, args), version))
    finally:
        if not (args.keep or args.database_url):
            search_data.drop_database(ADMIN_URL, url)


if __name__ == "__main__":
    main()
