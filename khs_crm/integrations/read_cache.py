"""Company-wide figures kept between writes: the office dashboard read once, not per tab.

Every office tab that opens the dashboard asks the same questions (counts, today, the week,
money owed); with many tabs open, answering each one from the database is most of what a page
load costs (BENCHMARKS.md, office capacity). ``cached(name, compute)`` answers from memory
while nothing has been written since it was computed:

- Every statement that can change data (anything but SELECT, SHOW, EXPLAIN, PRAGMA, BEGIN,
  SAVEPOINT, RELEASE, SET) moves this process's write count on, and so does the commit or
  rollback of a transaction that wrote, so the next read computes again.
- With Redis configured (several workers), a commit that wrote is also announced on a Redis
  channel. Each process counts the announcements it hears from a listener thread, so a read
  asks Redis nothing: a write in any worker is seen by every worker as soon as its message
  arrives (well under a millisecond on one box; a request answered in that instant may still
  get the figures kept before it). While the listener is not subscribed (starting, or Redis
  lost) nothing is kept. Without Redis the app is one process (Reflex's memory state needs
  it) and the local count is exact.
- Writes by another program with no Redis to tell (a ``khs-crm`` command beside a running
  app) are seen within ``MAX_AGE`` seconds at the latest.

Only figures that are the same for every office user belong here; nothing per person.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from sqlalchemy import Engine, event

from khs_crm.integrations.redis import get_redis

T = TypeVar("T")
MAX_AGE = 30.0
ANNOUNCE = "khs:writes"  # the channel a commit that wrote is announced on (+ ":<db>")
_READ_ONLY = ("SELECT", "SHOW", "EXPLAIN", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "SET")
_WROTE = "khs_wrote"
_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b")

_local = itertools.count(1)
_writes = 0
_lock = threading.Lock()
_entries: dict[str, tuple[tuple[int, int], float, Any, str]] = {}
log = logging.getLogger("khs_crm.read_cache")


def _bump() -> None:
    global _writes
    with _lock:
        _writes = next(_local)


class _Announcements:
    """How many writes of other workers this process has heard of: a daemon thread listens
    on the Redis channel that ``announce_write`` publishes to. ``heard`` is -1 while it is
    not subscribed (starting, or Redis lost), so that nothing is kept then."""

    RETRY = 1.0  # seconds between attempts while Redis cannot be reached

    def __init__(self) -> None:
        self.heard = -1
        self._last = 0  # never goes back: a new subscription must not reuse an old count
        self._client: redis.Redis | None = None
        self._pid = 0
        self._guard = threading.Lock()

    def count(self, client: redis.Redis) -> int:
        if self._client is not client or self._pid != os.getpid():  # workers are forked
            with self._guard:
                if self._client is not client or self._pid != os.getpid():
                    self.heard, self._client, self._pid = -1, client, os.getpid()
                    threading.Thread(
                        target=self._follow, args=(client,), name="khs-writes", daemon=True
                    ).start()
        return self.heard

    def _following(self, client: redis.Redis) -> bool:
        return self._client is client and self._pid == os.getpid()

    def _follow(self, client: redis.Redis) -> None:
        while self._following(client):
            try:
                self._listen(client)
            except (redis.RedisError, OSError):
                if self.heard >= 0:  # once per loss, not once per attempt
                    log.warning("lost the other workers' writes; listening again", exc_info=True)
            self._hear(client, None)
            time.sleep(self.RETRY)

    def _hear(self, client: redis.Redis, message: dict[str, Any] | None) -> None:
        """Count a message (None: the listener is not subscribed), unless another listener
        has taken over (a new client, a forked worker)."""
        with self._guard:
            if not self._following(client):
                return
            if message is None:
                self.heard = -1
            elif message["type"] == "subscribe" or (
                message["type"] == "message" and self.heard >= 0
            ):
                # A (re)subscription counts as a write: what was announced while nobody
                # listened is unknown, so nothing kept before it may be used after it.
                self._last += 1
                self.heard = self._last

    def _listen(self, client: redis.Redis) -> None:
        listener = client.pubsub()
        try:
            listener.subscribe(channel(client))
            while self._following(client):
                message = listener.get_message(timeout=self.RETRY)  # None when quiet
                if message is not None:
                    self._hear(client, message)
        finally:
            listener.close()


_announcements = _Announcements()


def channel(client: redis.Redis) -> str:
    """The channel of this database's writes (channels are shared by Redis's databases)."""
    return f"{ANNOUNCE}:{client.connection_pool.connection_kwargs.get('db', 0)}"


def writes_seen() -> tuple[int, int]:
    """(this process's write count, how many announced writes it has heard of, or 0 without
    Redis); -1 while Redis is configured but not listened to (then nothing is kept)."""
    client = get_redis()
    if client is None:
        return _writes, 0
    return _writes, _announcements.count(client)


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, or the one kept under ``name`` when nothing was written since.

    The answer is shared by every caller: treat it as read-only (copy lists before changing
    them)."""
    return stamped(name, compute)[0]


def stamped(name: str, compute: Callable[[], T]) -> tuple[T, str]:
    """``cached``, and a stamp naming that one computation: the same stamp means the very
    same answer (a screen already showing it need not be sent it again). An answer that was
    not kept gets a stamp of its own."""
    seen = writes_seen()
    now = time.monotonic()
    kept = _entries.get(name)
    if kept is not None and kept[0] == seen and now - kept[1] < MAX_AGE and seen[1] >= 0:
        return kept[2], kept[3]
    value = compute()
    stamp = uuid.uuid4().hex  # unique across processes and restarts (tabs keep stamps)
    if seen[1] >= 0 and writes_seen() == seen:  # nothing written while it was computed
        _entries[name] = (seen, now, value, stamp)
    return value, stamp


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
            client.publish(channel(client), "wrote")
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
