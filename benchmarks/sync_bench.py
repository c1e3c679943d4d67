"""Sync throughput on PostgreSQL: one push of 1,000 operations, one pull of 10,000 changes.

    .venv/bin/python -m benchmarks.sync_bench [--pg postgresql://postgres@127.0.0.1:5432/test]

Creates a throw-away database, measures over HTTP (FastAPI TestClient, in process: JSON,
validation, auth and the database, no network) and prints a table. Runs each 3 times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid


def _setup(admin_url: str) -> str:
    from tests.support import databases

    url = databases.create_pg_database(admin_url, f"khs_bench_{uuid.uuid4().hex[:8]}")
    databases.migrate(url)
    os.environ["KHS_DATABASE_URL"] = url
    os.environ.setdefault("KHS_BCRYPT_ROUNDS", "4")
    os.environ["KHS_API_CALLS_PER_MINUTE"] = "1000000"
    databases.reset_caches()
    return url


def _seed_materials(session, job_id, n: int) -> None:
    from khs_crm.models import Material
    from khs_crm.services.core.versioning import next_version

    for i in range(n):
        session.add(Material(job_id=job_id, name=f"Seed {i}", version=next_version(session)))
    session.commit()


def _row(name: str, times: list[float], goal: str) -> None:
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"| {name} | {runs} | {statistics.median(times):.2f} | {goal} |")


def _timed_pushes(client, headers: dict[str, str], ops: list[dict]) -> float:
    """Seconds to push the operations as pushes of 500 (the most one push carries)."""
    start = time.perf_counter()
    for first in range(0, len(ops), 500):
        response = client.post(
            "/api/sync/push",
            json={"clientId": "bench", "operations": ops[first : first + 500]},
            headers=headers,
        )
        assert response.status_code == 200, response.text[:500]
        assert all(r["status"] == "applied" for r in response.json()["data"]["results"])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url = _setup(args.pg)
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from khs_crm.api import create_api
    from khs_crm.db import get_engine
    from tests.support import databases
    from tests.support.factories import bearer, make_cast

    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            cast = make_cast(session)
            _seed_materials(session, cast.job.id, 10_000)
        client = TestClient(create_api())
        headers = bearer(cast.worker_a)
        push_times, pull_times = [], []
        for run in range(3):
            ops = [
                {
                    "opId": str(uuid.uuid4()),
                    "seq": run * 1000 + i,
                    "entity": "material",
                    "entityId": str(uuid.uuid4()),
                    "action": "create",
                    "changes": {"jobId": str(cast.job.id), "name": f"Pushed {i}"},
                    "baseVersion": None,
                }
                for i in range(1000)
            ]
            push_times.append(_timed_pushes(client, headers, ops))
            start = time.perf_counter()
            response = client.get(
                "/api/sync/pull", params={"cursor": 0, "limit": 10000}, headers=headers
            )
            pull_times.append(time.perf_counter() - start)
            assert len(response.json()["data"]["changes"]) >= 10_000
        from sqlmodel import select

        from khs_crm.models import Material

        with Session(get_engine()) as session:
            seeded = session.exec(
                select(Material.id, Material.version)
                .where(Material.name.startswith("Seed "))
                .limit(3000)
            ).all()
        tick_times = []
        for run in range(3):
            ticks = [
                {
                    "opId": str(uuid.uuid4()),
                    "seq": 10_000 + run * 1000 + i,
                    "entity": "material",
                    "entityId": str(material_id),
                    "action": "update",
                    "changes": {"purchased": True},
                    "baseVersion": version,
                }
                for i, (material_id, version) in enumerate(seeded[run * 1000 : run * 1000 + 1000])
            ]
            tick_times.append(_timed_pushes(client, headers, ticks))
        print("| measurement | runs (s) | median (s) | goal |")
        print("| --- | --- | --- | --- |")
        _row("push of 1,000 material creates as 2 x 500 (HTTP, PostgreSQL)", push_times, "< 1 s")
        _row("push of 1,000 material ticks (updates) as 2 x 500", tick_times, "< 1 s")
        _row("pull of 10,000 changes (HTTP, PostgreSQL)", pull_times, "< 0.5 s")
    finally:
        get_engine().dispose()
        databases.drop_pg_database(args.pg, url)


if __name__ == "__main__":
    main()
