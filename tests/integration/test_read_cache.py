"""The office's read cache answers from memory only while nothing was written: a write in
this process, a rolled-back write, and (through Redis) another worker's commit each make the
next read compute again; a query, even one with a CTE, does not."""

from __future__ import annotations

import os
import time

from sqlalchemy import text
from sqlmodel import func, select

from khs_crm.db import make_engine
from khs_crm.integrations import read_cache
from khs_crm.integrations.redis import get_redis
from khs_crm.models import Customer
from tests.support.databases import reset_caches
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


def _soon(done, what: str) -> None:
    """Wait (at most 10 s) for the listener thread to have done something."""
    deadline = time.monotonic() + 10
    while not done():
        assert time.monotonic() < deadline, f"the listener never {what}"
        time.sleep(0.005)


def test_another_workers_commit_is_seen_through_redis(redis_url, tmp_path):
    client = get_redis()
    assert client is not None
    calls: list[int] = []
    read_cache.cached("test-shared", lambda: calls.append(1))
    _soon(lambda: read_cache.writes_seen()[1] >= 0, "subscribed")
    read_cache.cached("test-shared", lambda: calls.append(1))
    read_cache.cached("test-shared", lambda: calls.append(1))
    assert len(calls) == 2  # nothing kept before it listened; kept since
    heard = read_cache.writes_seen()[1]
    client.publish(read_cache.channel(client), "wrote")  # what another worker's commit does
    _soon(lambda: read_cache.writes_seen()[1] > heard, "heard the write")
    read_cache.cached("test-shared", lambda: calls.append(1))
    assert len(calls) == 3

    # and a commit that wrote here tells the others; one that only read does not
    others = client.pubsub()
    others.subscribe(read_cache.channel(client))
    assert others.get_message(timeout=5)["type"] == "subscribe"
    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.commit()
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.commit()
    engine.dispose()
    announced = []
    while (message := others.get_message(timeout=0.5)) is not None:
        announced.append(message["data"])
    others.close()
    assert announced == [b"wrote"]  # the write's commit only


def test_nothing_is_kept_while_redis_cannot_be_heard(monkeypatch):
    monkeypatch.setenv("KHS_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    reset_caches()
    try:
        calls: list[int] = []
        for _ in range(3):
            read_cache.cached("test-unheard", lambda: calls.append(1))
        assert len(calls) == 3 and read_cache.writes_seen()[1] == -1
    finally:
        monkeypatch.delenv("KHS_REDIS_URL")
        reset_caches()


def test_a_new_subscription_never_reuses_a_count_kept_before_it():
    """Writes announced while the listener was down are unknown: after it subscribes again
    nothing kept before may match (the count does not start over)."""
    follower = read_cache._Announcements()
    client = object()
    follower._client, follower._pid = client, os.getpid()  # as count() would set them
    follower._hear(client, {"type": "subscribe"})
    follower._hear(client, {"type": "message"})
    before = follower.heard
    follower._hear(client, None)  # Redis lost
    assert follower.heard == -1
    follower._hear(client, {"type": "subscribe"})
    assert follower.heard > before
