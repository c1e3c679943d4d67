"""Company-wide figures kept between writes: the office dashboard read once, not per tab.

Every office tab that opens the dashboard asks the same questions (counts, today, the week,
money owed); with many tabs open, answering each one from the database is most of what a page
load costs (BENCHMARKS.md, office capacity). ``cached(name, compute)`` answers from memory
while nothing has been written since it was computed:

- Every statement that can change data (anything but SELECT, SHOW, EXPLAIN, PRAGMA, BEGIN,
  SAVEPOINT, RELEASE, SET) moves this process's write count on, and so does the commit or
  rollback of a transaction that wrote, so the next read computes again.
- With Redis configured (several workers), a commit that wrote also moves a shared count in
  Redis, read once per cached call: a write in any worker is seen by every worker. Without
  Redis the app is one process (Reflex's memory state needs it) and the local count is exact.
- Writes by another program with no Redis to tell (a ``khs-crm`` command beside a running
  app) are seen within ``MAX_AGE`` seconds at the latest.

Only figures that are the same for every office user belong here; nothing per person.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from sqlalchemy import Engine, event

from khs_crm.integrations.redis import get_redis

T = TypeVar("T")
MAX_AGE = 30.0
SHARED_KEY = "khs:writes"
_READ_ONLY = ("SELECT", "SHOW", "EXPLAIN", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "SET")
_WROTE = "khs_wrote"
_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b")

_local = itertools.count(1)
_writes = 0
_lock = threading.Lock()
_entries: dict[str, tuple[tuple[int, int], float, Any]] = {}
log = logging.getLogger("khs_crm.read_cache")


def _bump() -> None:
    global _writes
    with _lock:
        _writes = next(_local)


def writes_seen() -> tuple[int, int]:
    """(this process's write count, the workers' shared count or 0); -1 when Redis is
    configured but cannot be read (then nothing is cached)."""
    client = get_redis()
    if client is None:
        return _writes, 0
    try:
        shared: Any = client.get(SHARED_KEY)
        return _writes, int(shared or 0)
    except (redis.RedisError, ValueError):
        return _writes, -1


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, or the one kept under ``name`` when nothing was written since.

    The answer is shared by every caller: treat it as read-only (copy lists before changing
    them)."""
    seen = writes_seen()
    now = time.monotonic()
    kept = _entries.get(name)
    if kept is not None and kept[0] == seen and now - kept[1] < MAX_AGE and seen[1] >= 0:
        return kept[2]
    value = compute()
    if seen[1] >= 0 and writes_seen() == seen:  # nothing written while it was computed
        _entries[name] = (seen, now, value)
    return value


def forget() -> None:
    """Drop everything kept (tests that change the clock or the settings)."""
    _entries.clear()


def writes(statement: str) -> bool:
    """Whether a statement can change data: a query (``WITH … SELECT`` included) cannot."""
    head = statement.lstrip()[:9].upper()
    if head.startswith("WITH"):
        return _CHANGES.search(statement.upper()) is not None
    return not head.startswith(_READ_ONLY)


@event.listens_for(Engine, "after_cursor_execute")
def _note_write(conn, _cursor, statement: str, *_args) -> None:
    if writes(statement):
        conn.info[_WROTE] = True
        _bump()


def announce_write() -> None:
    """A change made outside the database (a session ended in Redis) or committed: this
    process and, through Redis, every worker compute their kept answers again."""
    _bump()
    client = get_redis()
    if client is not None:
        try:
            client.incr(SHARED_KEY)
        except redis.RedisError:  # the write stands; others see it within MAX_AGE
            log.warning("could not announce a write to the other workers", exc_info=True)


def _wrote(conn) -> bool:
    """Whether the ending transaction wrote; True when the connection cannot say (reading
    ``info`` of a connection lost with the database would try to reconnect, and an error
    here would turn the database's outage into a 500)."""
    try:
        return bool(conn.info.pop(_WROTE, False))
    except Exception:
        return True


@event.listens_for(Engine, "commit")
def _after_commit(conn) -> None:
    if _wrote(conn):
        announce_write()


@event.listens_for(Engine, "rollback")
def _after_rollback(conn) -> None:
    if _wrote(conn):
        _bump()
