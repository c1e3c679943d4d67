"""A tiny background job queue: work that should not hold up a request (thumbnails).

With KHS_REDIS_URL set, jobs go on a Redis list that every app process drains with one worker
thread (``BLMOVE`` into a per-worker "processing" list, removed when done), so a job queued by
one process may run in another. Without Redis, jobs run on one in-process worker thread.

Jobs are a registered name plus a JSON payload; handlers open their own database session.
A handler's exception is logged and the job dropped: handlers record their own failures.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol, cast

from khs_crm.services.ops import metrics
from khs_crm.settings import get_settings

log = logging.getLogger("khs_crm.jobs")

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, Handler] = {}
_queues: dict[str, JobQueue] = {}
_lock = threading.Lock()

REDIS_KEY = "khs:jobs"


def register(name: str, handler: Handler) -> None:
    """Make ``handler(payload)`` run for jobs queued under ``name``."""
    _handlers[name] = handler


def run_job(name: str, payload: dict[str, Any]) -> None:
    """Run one job now, in this thread; errors are logged, never raised."""
    handler = _handlers.get(name)
    if handler is None:
        log.error("no handler registered for job %r", name)
        return
    try:
        handler(payload)
    except Exception:
        log.exception("job %r failed", name)
        metrics.job_ran(name, failed=True)
        return
    metrics.job_ran(name, failed=False)


class JobQueue(Protocol):
    def enqueue(self, name: str, payload: dict[str, Any]) -> None: ...
    def join(self, timeout: float = 10.0) -> bool: ...
    def stop(self) -> None: ...


class LocalQueue:
    """One daemon worker thread over an in-process queue (the one-machine default)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="khs-jobs", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                run_job(*item)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def enqueue(self, name: str, payload: dict[str, Any]) -> None:
        """Queue a job for the worker thread."""
        self._queue.put((name, payload))

    def join(self, timeout: float = 10.0) -> bool:
        """Wait until every queued job has run; False when ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self) -> None:
        self._queue.put(None)


class RedisQueue:
    """Jobs on a Redis list, shared by every app process; one worker thread per process."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._processing = f"{REDIS_KEY}:processing:{uuid.uuid4().hex}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="khs-jobs-redis", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                # redis-py types every reply as sync-or-async; this client is sync: bytes.
                moved = self._redis.blmove(REDIS_KEY, self._processing, 1, "RIGHT", "LEFT")
                raw = cast(bytes | None, moved)
            except Exception:
                log.warning("job queue: Redis unreachable, retrying", exc_info=True)
                self._stopping.wait(1)
                continue
            if raw is None:
                continue
            try:
                job = json.loads(raw)
                run_job(job["name"], job["payload"])
            finally:
                # redis-py's stubs say str; the value is any encodable, bytes included.
                self._redis.lrem(self._processing, 1, raw)  # type: ignore[arg-type]

    def enqueue(self, name: str, payload: dict[str, Any]) -> None:
        """Push a job on the shared list (any process's worker may take it)."""
        body = json.dumps({"id": uuid.uuid4().hex, "name": name, "payload": payload})
        self._redis.lpush(REDIS_KEY, body)

    def join(self, timeout: float = 10.0) -> bool:
        """Wait until the shared list and this worker's processing list are empty."""
        deadline = time.monotonic() + timeout
        while self._redis.llen(REDIS_KEY) or self._redis.llen(self._processing):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=3)


def get_queue() -> JobQueue:
    """The queue for the current settings (Redis when KHS_REDIS_URL is set), worker started."""
    url = get_settings().redis_url
    with _lock:
        if url not in _queues:
            _queues[url] = RedisQueue(url) if url else LocalQueue()
        return _queues[url]


def enqueue(name: str, payload: dict[str, Any]) -> None:
    """Queue a job on the configured queue."""
    get_queue().enqueue(name, payload)


def depth() -> int | None:
    """Jobs waiting (the shared Redis list, or this process's queue); None if unknown."""
    url = get_settings().redis_url
    if not url:
        local = _queues.get(url)
        return local._queue.qsize() if isinstance(local, LocalQueue) else 0
    from khs_crm.integrations.redis import get_redis

    try:
        client = get_redis()
        return int(client.llen(REDIS_KEY)) if client is not None else None  # type: ignore[arg-type]
    except Exception:
        return None


def stop_all() -> None:
    """Stop every worker thread this process started (tests, shutdown)."""
    with _lock:
        queues = list(_queues.values())
        _queues.clear()
    for q in queues:
        q.stop()
