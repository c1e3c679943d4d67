"""The office's read cache answers from memory only while nothing was written: a write in
this process, a rolled-back write, and (through Redis) another worker's commit each make the
next read compute again; a query, even one with a CTE, does not."""

from __future__ import annotations

import redis
from sqlalchemy import text
from sqlmodel import func, select

from khs_crm.db import make_engine
from khs_crm.integrations import read_cache
from khs_crm.models import Customer
from tests.support.factories import make_customer


def _counter(session):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return session.exec(select(func.count()).select_from(Customer)).one()

    return calls, compute


def test_kept_until_a_write_then_computed_again(session, cast):
    calls, compute = _counter(session)
    first = read_cache.cached("test-customers", compute)
    assert read_cache.cached("test-customers", compute) == first and len(calls) == 1
    session.exec(text("WITH recent AS (SELECT id FROM customers) SELECT count(*) FROM recent"))
    assert read_cache.cached("test-customers", compute) == first and len(calls) == 1
    make_customer(session, name="Written Since")
    assert read_cache.cached("test-customers", compute) == first + 1 and len(calls) == 2


def test_a_write_rolled_back_is_not_kept(session, cast):
    calls, compute = _counter(session)
    before = read_cache.cached("test-rollback", compute)
    savepoint = session.begin_nested()
    session.add(Customer(name="Never Saved"))
    session.flush()
    assert read_cache.cached("test-rollback", compute) == before + 1
    savepoint.rollback()
    assert read_cache.cached("test-rollback", compute) == before and len(calls) == 3


def test_statements_that_write_and_those_that_do_not():
    assert not read_cache.writes("  select 1")
    assert not read_cache.writes("WITH m AS MATERIALIZED (SELECT id FROM jobs) SELECT * FROM m")
    assert not read_cache.writes("SELECT deleted_at FROM customers")
    assert read_cache.writes("WITH gone AS (DELETE FROM jobs RETURNING id) SELECT * FROM gone")
    assert read_cache.writes("UPDATE customers SET name = 'x'")
    assert read_cache.writes("INSERT INTO jobs DEFAULT VALUES")
    assert read_cache.writes("ROLLBACK TO SAVEPOINT sa_1")


def test_another_workers_commit_is_seen_through_redis(redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    calls: list[int] = []
    read_cache.cached("test-shared", lambda: calls.append(1))
    read_cache.cached("test-shared", lambda: calls.append(1))
    assert len(calls) == 1
    client.incr(read_cache.SHARED_KEY)  # what another worker's commit does
    read_cache.cached("test-shared", lambda: calls.append(1))
    assert len(calls) == 2

    # and a commit that wrote here tells the others; one that only read does not
    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.commit()
        assert int(client.get(read_cache.SHARED_KEY)) == 1
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.commit()
    engine.dispose()
    assert int(client.get(read_cache.SHARED_KEY)) == 2
