"""Work that lives as long as an app process: the background job worker."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from sqlmodel import Session

log = logging.getLogger("khs_crm.lifespan")


@contextlib.asynccontextmanager
async def background_jobs() -> AsyncIterator[None]:
    """Start this process's job worker (thumbnails), re-queue work a crash left pending,
    and stop the worker when the process stops."""
    from khs_crm.db import get_engine
    from khs_crm.integrations import jobqueue
    from khs_crm.services.photos import thumbs as photos_thumbs

    jobqueue.get_queue()
    try:
        with Session(get_engine()) as session:
            requeued = photos_thumbs.requeue_pending(session)
        if requeued:
            log.info("re-queued %d pending thumbnails", requeued)
    except Exception:  # the app must start even if this housekeeping cannot run now
        log.exception("could not re-queue pending thumbnails")
    try:
        yield
    finally:
        jobqueue.stop_all()


def log_backend_error(exception: Exception) -> None:
    """An event handler failed unexpectedly: log it with its traceback.

    Reflex's default shows a toast through code the Content-Security-Policy blocks (eval);
    screens report expected problems themselves, and this records the unexpected ones.
    """
    log.error("event handler failed", exc_info=exception)
