"""Fixed-window counters for rate limits: Redis when configured, in-process otherwise."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import redis

from khs_crm.integrations.redis import get_redis

log = logging.getLogger("khs_crm.limits")

_lock = threading.Lock()
_local: dict[str, tuple[float, int]] = {}


def _local_hit(key: str, window: int, amount: int) -> tuple[int, int]:
    now = time.monotonic()
    with _lock:
        started, count = _local.get(key, (now, 0))
        if now - started >= window:
            started, count = now, 0
        count += amount
        _local[key] = (started, count)
        return count, max(1, int(window - (now - started)) + 1)


def hit(key: str, window: int = 60, amount: int = 1) -> tuple[int, int]:
    """Add ``amount`` to the counter for ``key``; return (count in this window, seconds left).

    With Redis the count is shared by every app process. When Redis is down the limit falls
    back to this process's own counter: it still limits, it never lets everything through.
    """
    client = get_redis()
    if client is not None:
        try:
            full = f"khs:rl:{key}"
            pipe = client.pipeline()
            pipe.incrby(full, amount)
            pipe.expire(full, window, nx=True)
            pipe.ttl(full)
            count, _, ttl = pipe.execute()
            return int(count), max(1, int(ttl))
        except redis.RedisError:
            log.warning("rate limit store unreachable; using the in-process counter")
    return _local_hit(key, window, amount)


def peek(key: str, window: int = 60) -> tuple[int, int]:
    """The current count for ``key`` without adding to it."""
    return hit(key, window, amount=0)


def clear(key: str) -> None:
    """Forget the counter for ``key``."""
    with _lock:
        _local.pop(key, None)
    client = get_redis()
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            client.delete(f"khs:rl:{key}")


def clear_all_local() -> None:
    """Forget every in-process counter (tests)."""
    with _lock:
        _local.clear()
