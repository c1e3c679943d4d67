"""Thumbnails, made off the request path by the background job queue.

A photo starts ``pending``; the job writes ``thumbs/<jobId>/<photoId>-<nonce>.webp`` and marks
the row ``ready`` (or ``failed``) with a new version, so devices learn of it through sync.
The write lock is taken before the row is read, so a thumbnail finishing while the photo is
deleted either lands before the delete (which then removes it) or sees the tombstone (and
removes its own file).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from typing import Any

from sqlmodel import Session, col, select

from khs_crm.db import session_scope
from khs_crm.integrations import jobqueue
from khs_crm.integrations.storage import get_storage
from khs_crm.models import ActivityAction, Photo
from khs_crm.services.core import activity
from khs_crm.services.core.common import mark_written, stamp_fields
from khs_crm.services.core.errors import PreconditionFailed
from khs_crm.services.ops import metrics as ops_metrics
from khs_crm.services.photos.images import CONTENT_TYPES, THUMBNAIL_TYPE, make_thumbnail

log = logging.getLogger("khs_crm.photos")

JOB_NAME = "photo.thumbnail"


def queue_thumbnail(photo: Photo) -> None:
    """Ask the background queue for this photo's thumbnail (a no-op unless it is pending).

    When the queue cannot be reached the photo stays ``pending``; ``requeue_pending`` asks
    again later. The upload itself never fails for want of a thumbnail.
    """
    if photo.thumbnail_status != "pending":
        return
    try:
        jobqueue.enqueue(JOB_NAME, {"photoId": str(photo.id)})
    except Exception:
        log.warning("could not queue the thumbnail of photo %s", photo.id, exc_info=True)


def requeue_pending(session: Session, *, limit: int = 500) -> int:
    """Queue thumbnails for live photos still ``pending`` (after a crash or a queue outage)."""
    rows = session.exec(
        select(Photo)
        .where(Photo.thumbnail_status == "pending", col(Photo.deleted_at).is_(None))
        .limit(limit)
    ).all()
    for photo in rows:
        queue_thumbnail(photo)
    return len(rows)


def _finish(photo_id: uuid.UUID, thumb_key: str | None, status: str) -> bool:
    """Record the outcome on a still-pending, live photo; False when it is gone or done.

    A caption edit at the same moment makes the version check fail: read again and retry.
    """
    for _attempt in range(3):
        try:
            return _finish_once(photo_id, thumb_key, status)
        except PreconditionFailed:
            continue
    return False


def _finish_once(photo_id: uuid.UUID, thumb_key: str | None, status: str) -> bool:
    with session_scope() as session:
        photo = session.get(Photo, photo_id)
        if photo is None or photo.deleted_at is not None or photo.thumbnail_status != "pending":
            return False
        pairs = {"thumbnail_key": (None, thumb_key), "thumbnail_status": ("pending", status)}
        photo.thumbnail_key = thumb_key
        photo.thumbnail_status = status
        mark_written(session, photo)
        stamp_fields(photo, pairs)
        activity.record(
            session,
            actor=None,
            entity="photo",
            entity_id=photo.id,
            action=ActivityAction.housekeeping,
            changes=activity.diff(pairs),
            job_id=photo.job_id,
        )
        return True


def _pending(photo_id: uuid.UUID) -> Photo | None:
    with session_scope() as session:
        photo = session.get(Photo, photo_id)
        if photo is None or photo.deleted_at is not None or photo.thumbnail_status != "pending":
            return None
        return photo


def build_thumbnail(payload: dict[str, Any]) -> None:
    """Job handler: make and store one photo's WebP thumbnail, then mark the row."""
    photo = _pending(uuid.UUID(str(payload["photoId"])))
    if photo is None:
        return
    storage = get_storage()
    try:
        thumb = make_thumbnail(storage.get(photo.storage_key), CONTENT_TYPES[photo.content_type])
    except Exception:
        log.warning("no thumbnail for photo %s", photo.id, exc_info=True)
        ops_metrics.photo_failed("thumbnail")
        _finish(photo.id, None, "failed")
        return
    key = f"thumbs/{photo.job_id}/{photo.id}-{secrets.token_hex(4)}.webp"
    storage.put(key, thumb, THUMBNAIL_TYPE)
    try:
        kept = _finish(photo.id, key, "ready")
    except BaseException:
        storage.delete(key)
        raise
    if not kept:
        storage.delete(key)


jobqueue.register(JOB_NAME, build_thumbnail)
