"""Storing a new photo: check the bytes, strip GPS, write the object, then the row.

The object is written first and the row second; when the row cannot be written the object is
deleted again, so a failed upload leaves neither a row nor a file. Keys are made here, from
ids only (``photos/<jobId>/<photoId>-<nonce>.<ext>``): never from the client's file name.
The nonce keeps two racing uploads of one id from ever writing the same object.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from khs_crm.db import after_commit
from khs_crm.integrations.storage import get_storage
from khs_crm.models import ActivityAction, Job, Photo, User
from khs_crm.services.core import activity
from khs_crm.services.core.common import mark_written
from khs_crm.services.core.errors import Conflict, id_taken
from khs_crm.services.photos.gps import strip_gps
from khs_crm.services.photos.images import ImageInfo, can_thumbnail, inspect_image
from khs_crm.services.photos.schemas import PhotoMeta
from khs_crm.services.photos.thumbs import queue_thumbnail
from khs_crm.settings import get_settings

log = logging.getLogger("khs_crm.photos")


@dataclass
class Stored:
    """The photo, and whether this call created it (False: a retry of an earlier upload)."""

    photo: Photo
    created: bool


def new_key(folder: str, job_id: uuid.UUID, photo_id: uuid.UUID, ext: str) -> str:
    """A fresh server-made object key."""
    return f"{folder}/{job_id}/{photo_id}-{secrets.token_hex(4)}.{ext}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remove_objects(keys: list[str | None]) -> None:
    """Delete these objects; a failure is logged (an orphaned file, never a dangling row)."""
    storage = get_storage()
    for key in keys:
        if not key:
            continue
        try:
            storage.delete(key)
        except Exception:
            log.warning("could not delete stored object %s", key, exc_info=True)


def same_photo(existing: Photo, job_id: uuid.UUID, digest: str) -> Photo:
    """The existing photo when this is a retry of its upload; 409 otherwise."""
    if existing.job_id != job_id:
        raise id_taken()  # another job's photo: say nothing about it
    if existing.deleted_at is not None:
        raise Conflict(
            "This photo was deleted; it cannot be uploaded again under the same id.",
            details=[{"field": "id", "message": "deleted"}],
        )
    if existing.content_sha256 != digest:
        raise id_taken()
    return existing


@dataclass
class _File:
    info: ImageInfo
    key: str
    size: int


def _insert(
    session: Session, *, job: Job, meta: PhotoMeta, file: _File, digest: str, actor: User
) -> Photo:
    photo = Photo(
        id=meta.id,
        job_id=job.id,
        storage_key=file.key,
        content_type=file.info.kind.content_type,
        size=file.size,
        caption=meta.caption,
        tag=meta.tag.value,
        taken_at=meta.taken_at,
        uploaded_by=actor.id,
        width=file.info.width,
        height=file.info.height,
        content_sha256=digest,
        thumbnail_status="pending" if can_thumbnail(file.info.kind) else "unavailable",
    )
    mark_written(session, photo)
    fields = {"job_id": job.id, "caption": meta.caption, "tag": meta.tag.value}
    fields |= {"content_type": file.info.kind.content_type, "size": file.size}
    activity.record(
        session,
        actor=actor,
        entity="photo",
        entity_id=photo.id,
        action=ActivityAction.create,
        changes=activity.created(fields),
        job_id=job.id,
    )
    session.flush()
    return photo


def _write_file(data: bytes, job_id: uuid.UUID, photo_id: uuid.UUID, staged: str | None) -> _File:
    """Check the bytes, strip GPS (unless kept), and write the file under a fresh key."""
    info = inspect_image(data)
    served = data if get_settings().keep_photo_gps else strip_gps(data, info.kind)
    key = new_key("photos", job_id, photo_id, info.kind.ext)
    storage = get_storage()
    if staged is not None and served == data:
        storage.copy(staged, key, info.kind.content_type)
    else:
        storage.put(key, served, info.kind.content_type)
    return _File(info, key, len(served))


def store_photo(
    session: Session,
    *,
    job: Job,
    meta: PhotoMeta,
    data: bytes,
    actor: User,
    staged_key: str | None = None,
) -> Stored:
    """Check ``data``, store the file, then create the photo row.

    ``staged_key``: the same bytes already sit in storage there (a direct upload), so an
    unchanged file is copied server-side instead of sent again. The same id with the same
    bytes on the same job returns the existing photo; otherwise 409. 413 / 422 for files
    that are too large or not JPEG/PNG/WebP/HEIC images.
    """
    digest = sha256(data)
    existing = session.get(Photo, meta.id)
    if existing is not None:
        return Stored(same_photo(existing, job.id, digest), False)
    # The file is checked and written before the row: decoding takes a while and the row's
    # insert is what takes the database's write lock. At worst a failure after this leaves an
    # orphaned file, never a row without its file.
    file = _write_file(data, job.id, meta.id, staged_key)
    try:
        with session.begin_nested():  # a failed insert undoes only itself, not the batch
            photo = _insert(session, job=job, meta=meta, file=file, digest=digest, actor=actor)
    except IntegrityError:  # the same id, uploaded at the same moment: theirs won
        remove_objects([file.key])
        existing = session.get(Photo, meta.id)
        if existing is None:
            raise
        return Stored(same_photo(existing, job.id, digest), False)
    except BaseException:
        remove_objects([file.key])
        raise
    after_commit(session, lambda: queue_thumbnail(photo))
    return Stored(photo, True)
