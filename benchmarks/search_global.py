"""The office's one search box and the capped customer list at scale, on PostgreSQL.

    .venv/bin/python -m benchmarks.search_global --rows 100000
    .venv/bin/python -m benchmarks.search_global --database-url postgresql://.../khs_bench_x

Measures p50/p95 through the services exactly as the API calls them (a new Session per
call, as an owner): ``search_everything`` (customers, jobs and people, 5 of each) for 3- and
4-letter fragments and one-letter typos of surnames, ``search_customers`` (the capped search;
also for 4-letter pieces of first names) and ``list_customers`` page 1 (the capped count).
Loads a fresh database unless one is given (``benchmarks.search --keep`` or
``--database-url`` reuses one); prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from benchmarks import search_data
from benchmarks.search import (
    ADMIN_URL,
    PAGE_SIZE,
    ServiceCalls,
    name_fragment,
    report,
    short_fragment,
    timed,
)
from khs_crm.db import make_engine
from khs_crm.services.customers.search import list_customers, search_customers
from khs_crm.services.search.everything import search_everything


def first_name_fragment(rng: random.Random) -> str:
    """4 letters from inside a first name ("kath", "rine"): matches that gather in one
    stretch of the name order (names start with the first name), the walk's worst case."""
    first = rng.choice(search_data.FIRST).lower()
    start = rng.randint(0, max(0, len(first) - 4))
    return first[start : start + 4]


def typo(rng: random.Random) -> str:
    """A surname with one letter left out ("Gonzlez"), as typed in a hurry."""
    last = rng.choice(search_data.LAST)
    gone = rng.randint(1, len(last) - 2)
    return last[:gone] + last[gone + 1 :]


class GlobalCalls(ServiceCalls):
    def everything(self, q: str) -> int:
        with Session(self.engine) as session:
            return search_everything(session, user=self.user, q=q).count

    def customers(self, q: str) -> int:
        with Session(self.engine) as session:
            _, total = search_customers(session, user=self.user, q=q, page=1, page_size=PAGE_SIZE)
        return total

    def first_page(self) -> int:
        with Session(self.engine) as session:
            _, total = list_customers(
                session, user=self.user, page=1, page_size=PAGE_SIZE, sort="name"
            )
        return total


def measure(url: str, samples: int) -> list[tuple]:
    calls = GlobalCalls(url)
    rng = random.Random(23)
    fragments: dict[str, Callable[[random.Random], str]] = {
        "4 letters": name_fragment,
        "3 letters": short_fragment,
        "one-letter typo": typo,
    }
    results = [
        ("list page 1, sort name (capped total)", "service", *timed(calls.first_page, samples))
    ]
    for label, make in fragments.items():
        call = lambda m=make: calls.everything(m(rng))  # noqa: E731
        results.append((f"global search, {label} (hits shown)", "service", *timed(call, samples)))
    searched = {**dict(list(fragments.items())[:2]), "first-name piece": first_name_fragment}
    for label, make in searched.items():
        call = lambda m=make: calls.customers(m(rng))  # noqa: E731
        results.append(
            (f"customer search, {label} (capped total)", "service", *timed(call, samples))
        )
    calls.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", help="measure a database loaded by an earlier run")
    args = parser.parse_args()
    os.environ["KHS_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="khs-bench-")))
    url = args.database_url or search_data.create_database(ADMIN_URL)
    try:
        timings = {} if args.database_url else search_data.load(url, args.rows)
        with make_engine(url).connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar_one()
            rows = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
        print(report(rows, timings, measure(url, args.samples), version))
    finally:
        if not args.database_url:
            search_data.drop_database(ADMIN_URL, url)


if __name__ == "__main__":
    main()
