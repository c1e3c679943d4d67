"""Job photos: upload through the app, list, read the file, change caption/tag, delete.

Who may do what: the office sees every job's photos; a worker only those of jobs they are
assigned to (anything else is "not found", like a missing row). Workers may add photos to
their jobs and change captions and tags; only the office deletes. Direct (presigned)
uploads are in ``photos_direct``; several at once from the office in ``photos_batch``; storing
new files in ``photos_store``; thumbnails in ``photos_thumbs``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from khs_crm.db import after_commit, session_scope
from khs_crm.i18n import N_
from khs_crm.integrations.storage import get_storage
from khs_crm.models import Job, Photo, User
from khs_crm.services.core.access import assigned, get_visible_job, is_office, require_office
from khs_crm.services.core.common import apply_changes, check_version, soft_delete
from khs_crm.services.core.errors import NotFound
from khs_crm.services.photos.images import CONTENT_TYPES, THUMBNAIL_TYPE
from khs_crm.services.photos.schemas import PhotoChanges, PhotoMeta, PhotoTag
from khs_crm.services.photos.store import Stored, remove_objects, store_photo

log = logging.getLogger("khs_crm.photos")

__all__ = [
    "PHOTO_TAGS",
    "PhotoChanges",
    "PhotoMeta",
    "PhotoTag",
    "ServedFile",
    "Stored",
    "delete_photo",
    "get_visible_photo",
    "list_photos",
    "served_file",
    "update_photo",
    "upload_photo",
]


# Each tag a photo may carry and the word people see for it, in the order forms offer them:
# the office's gallery and upload form, the field app (sent in its config) and the API's
# validation (``PhotoTag``) all read this one list. The words are English messages, shown in
# the reader's language through the catalogs.
PHOTO_TAGS: dict[PhotoTag, str] = {
    PhotoTag.before: N_("Before"),
    PhotoTag.progress: N_("Progress"),
    PhotoTag.after: N_("After"),
    PhotoTag.issue: N_("Issue"),
}


@dataclass
class ServedFile:
    """A stored file ready to stream: its type, a safe download name, size and bytes."""

    content_type: str
    filename: str
    size: int
    chunks: Iterator[bytes]


def _visible_photos(user: User) -> SelectOfScalar[Photo]:
    query = (
        select(Photo)
        .join(Job, col(Job.id) == Photo.job_id)
        .where(col(Photo.deleted_at).is_(None), col(Job.deleted_at).is_(None))
    )
    return query if is_office(user) else query.where(assigned(col(Job.id), user))


def get_visible_photo(session: Session, *, photo_id: uuid.UUID, user: User) -> Photo:
    """The live photo of a job the user may see, or NotFound."""
    photo = session.exec(_visible_photos(user).where(Photo.id == photo_id)).first()
    if photo is None:
        raise NotFound("Photo not found.")
    return photo


def list_photos(
    session: Session,
    *,
    job_id: uuid.UUID,
    user: User,
    tag: PhotoTag | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[Photo], int]:
    """One page of a visible job's live photos, in the order they were taken, and the total."""
    get_visible_job(session, job_id=job_id, user=user)
    conditions = [col(Photo.job_id) == job_id, col(Photo.deleted_at).is_(None)]
    if tag is not None:
        conditions.append(col(Photo.tag) == tag.value)
    total = session.exec(select(func.count()).select_from(Photo).where(*conditions)).one()
    taken = func.coalesce(col(Photo.taken_at), col(Photo.created_at))
    rows = session.exec(
        select(Photo)
        .where(*conditions)
        .order_by(taken, col(Photo.created_at), col(Photo.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def upload_photo(
    session: Session, *, job_id: uuid.UUID, meta: PhotoMeta, data: bytes, actor: User
) -> Stored:
    """Add a photo sent through the app to a visible job (workers on the crew too).

    404 for a job the actor cannot see; 413 above 15 MB; 422 for anything but a whole
    JPEG/PNG/WebP/HEIC image; the same id again: the existing photo, or 409 when it differs.
    """
    job = get_visible_job(session, job_id=job_id, user=actor)
    return store_photo(session, job=job, meta=meta, data=data, actor=actor)


def update_photo(
    session: Session,
    *,
    photo_id: uuid.UUID,
    data: PhotoChanges,
    actor: User,
    expected_version: int | None = None,
) -> Photo:
    """Change a photo's caption and/or tag. 404 / 412 / 422 as usual."""
    photo = get_visible_photo(session, photo_id=photo_id, user=actor)
    check_version(photo, expected_version)
    changes = data.model_dump(exclude_unset=True)
    if "tag" in changes:
        changes["tag"] = PhotoTag(changes["tag"]).value
    apply_changes(session, photo, changes, actor=actor, entity="photo")
    session.flush()
    return photo


def delete_photo(
    session: Session, *, photo_id: uuid.UUID, actor: User, expected_version: int | None = None
) -> Photo:
    """Soft-delete a photo (office only), then remove its file and thumbnail.

    The tombstone stays for sync and history; the files go once the delete is committed
    (a failure to remove them is logged: an orphaned file, never a row without its file).
    """
    photo = get_visible_photo(session, photo_id=photo_id, user=actor)
    require_office(actor, "delete photos")
    check_version(photo, expected_version)
    soft_delete(session, photo, actor=actor, entity="photo")
    session.flush()
    after_commit(session, lambda: _remove_files(photo.id))
    return photo


def _remove_files(photo_id: uuid.UUID) -> None:
    """Remove a deleted photo's file and thumbnail (one that landed meanwhile included)."""
    with session_scope() as session:
        photo = session.get(Photo, photo_id)
        keys = [photo.storage_key, photo.thumbnail_key] if photo is not None else []
    remove_objects(keys)


def served_file(
    session: Session, *, photo_id: uuid.UUID, user: User, thumbnail: bool = False
) -> ServedFile:
    """The photo's file (or its WebP thumbnail) for a user who may see it; NotFound otherwise."""
    photo = get_visible_photo(session, photo_id=photo_id, user=user)
    if thumbnail:
        if photo.thumbnail_status != "ready" or not photo.thumbnail_key:
            raise NotFound("This photo has no thumbnail yet.")
        key, content_type, ext = photo.thumbnail_key, THUMBNAIL_TYPE, "webp"
    else:
        kind = CONTENT_TYPES[photo.content_type]
        key, content_type, ext = photo.storage_key, kind.content_type, kind.ext
    storage = get_storage()
    info = storage.head(key)
    if info is None:
        log.error("photo %s points at a missing object %s", photo.id, key)
        raise NotFound("The photo file is missing.")
    return ServedFile(content_type, f"photo-{photo.id}.{ext}", info.size, storage.iter_bytes(key))
