"""The optional Redis connection (cache, limits, tokens, Reflex state)."""

from __future__ import annotations

from functools import lru_cache

import redis

from khs_crm.settings import get_settings


@lru_cache
def get_redis() -> redis.Redis | None:
    """Return a client for KHS_REDIS_URL, or None when Redis is not configured."""
    url = get_settings().redis_url
    if not url:
        return None
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def ping() -> str:
    """Return "ok", "disabled" (not configured) or "down"."""
    client = get_redis()
    if client is None:
        return "disabled"
    try:
        return "ok" if client.ping() else "down"
    except redis.RedisError:
        return "down"
