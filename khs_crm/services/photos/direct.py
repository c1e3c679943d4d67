"""Direct uploads (S3): the browser posts the file straight to the bucket.

1. ``presign_upload``: a presigned POST into ``quarantine/<userId>/<photoId>.upload`` whose
   policy pins that key, the content type, the exact size and encryption; a "ticket"
   (``quarantine/<userId>/<photoId>.json``) keeps what the client said about the photo.
2. The client posts the file to the bucket.
3. ``complete_upload``: the uploaded object is checked like any upload (size, magic bytes,
   a whole image, GPS stripped); only then is it copied out of quarantine and the row made.

Quarantine is per user, so nobody can complete (or overwrite) another user's upload.
Uploads never completed stay in quarantine: give the bucket a lifecycle rule that expires
``quarantine/`` after a day.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field
from sqlmodel import Session

from khs_crm.integrations.storage import PresignedPost, get_storage
from khs_crm.models import Photo, User
from khs_crm.models.base import utcnow
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from khs_crm.services.photos.images import check_size, kind_for_content_type, sniff
from khs_crm.services.photos.schemas import PhotoMeta
from khs_crm.services.photos.store import Stored, remove_objects, store_photo

PRESIGN_SECONDS = 15 * 60


class DirectUploadUnavailable(ServiceError):
    status = 409
    code = "DIRECT_UPLOAD_UNAVAILABLE"


class NotUploaded(Conflict):
    """Complete was called before the file reached storage (the client may retry)."""


class PresignRequest(PhotoMeta):
    """A photo the client is about to post straight to storage."""

    content_type: str = Field(min_length=1, max_length=100)
    size: int = Field(ge=0)


@dataclass
class Presigned:
    """Either a form to post the file to, or (a retry) the photo that already exists."""

    post: PresignedPost | None
    expires_at: datetime | None
    photo: Photo | None = None


def _keys(user_id: uuid.UUID, photo_id: uuid.UUID) -> tuple[str, str]:
    base = f"quarantine/{user_id}/{photo_id}"
    return f"{base}.upload", f"{base}.json"


def presign_upload(
    session: Session, *, job_id: uuid.UUID, data: PresignRequest, actor: User
) -> Presigned:
    """A presigned POST for one photo of a visible job.

    404 for a job the actor cannot see; 422 for a type other than JPEG/PNG/WebP/HEIC or
    an empty file; 413 above 15 MB; 409 when the id belongs to another (or a deleted) photo,
    or when storage is a local folder (upload through the app instead). An id already
    uploaded to this job returns that photo and no form.
    """
    job = get_visible_job(session, job_id=job_id, user=actor)
    kind = kind_for_content_type(data.content_type)
    check_size(data.size, field="size")
    existing = session.get(Photo, data.id)
    if existing is not None:
        if existing.job_id != job.id or existing.deleted_at is not None:
            raise Conflict(
                "Another photo already has this id.", details=[{"field": "id", "message": "taken"}]
            )
        return Presigned(None, None, existing)
    storage = get_storage()
    upload_key, ticket_key = _keys(actor.id, data.id)
    post = storage.presigned_post(
        upload_key, content_type=kind.content_type, size=data.size, expires_in=PRESIGN_SECONDS
    )
    if post is None:
        raise DirectUploadUnavailable(
            "Direct uploads need S3 storage; send the file to POST /api/jobs/{jobId}/photos."
        )
    ticket = {
        "jobId": str(job.id),
        "meta": data.model_dump(mode="json", by_alias=True, include=set(PhotoMeta.model_fields)),
        "contentType": kind.content_type,
        "size": data.size,
        "createdAt": utcnow().isoformat(),
    }
    storage.put(ticket_key, json.dumps(ticket).encode(), "application/json")
    return Presigned(post, utcnow() + timedelta(seconds=PRESIGN_SECONDS))


def _ticket(user_id: uuid.UUID, photo_id: uuid.UUID) -> dict[str, Any] | None:
    storage = get_storage()
    _upload, ticket_key = _keys(user_id, photo_id)
    if not storage.exists(ticket_key):
        return None
    return json.loads(storage.get(ticket_key))


def _already_done(session: Session, photo_id: uuid.UUID, actor: User) -> Stored:
    photo = session.get(Photo, photo_id)
    if photo is None or photo.uploaded_by != actor.id or photo.deleted_at is not None:
        raise NotFound("No upload is waiting for this photo; ask for a new upload form.")
    get_visible_job(session, job_id=photo.job_id, user=actor)
    return Stored(photo, False)


def _checked_bytes(upload_key: str, ticket: dict[str, Any]) -> bytes:
    storage = get_storage()
    info = storage.head(upload_key)
    if info is None:
        raise NotUploaded(
            "The file has not reached storage yet: post it to the upload form, then complete.",
            details=[{"field": "file", "message": "not uploaded"}],
        )
    check_size(info.size)
    if info.size != ticket["size"]:
        raise ValidationFailed(
            f"The uploaded file has {info.size} bytes, not the {ticket['size']} announced.",
            details=[{"field": "size", "message": "does not match the upload"}],
        )
    data = storage.get(upload_key)
    found = sniff(data)
    if found is not None and found.content_type != ticket["contentType"]:
        raise ValidationFailed(
            f"The uploaded file is {found.ext.upper()}, not the {ticket['contentType']} announced.",
            details=[{"field": "contentType", "message": "does not match the upload"}],
        )
    return data


def complete_upload(session: Session, *, photo_id: uuid.UUID, actor: User) -> Stored:
    """Check the directly uploaded file and only then create the photo row.

    404 when no upload of this id is waiting for the actor (or the job is out of reach);
    409 when the file has not arrived; 413 / 422 for a file that fails the checks (the
    upload is then discarded). Completing twice returns the photo made the first time.
    """
    ticket = _ticket(actor.id, photo_id)
    if ticket is None:
        return _already_done(session, photo_id, actor)
    upload_key, ticket_key = _keys(actor.id, photo_id)
    job = get_visible_job(session, job_id=uuid.UUID(ticket["jobId"]), user=actor)
    meta = PhotoMeta.model_validate(ticket["meta"])
    try:
        data = _checked_bytes(upload_key, ticket)
        stored = store_photo(
            session, job=job, meta=meta, data=data, actor=actor, staged_key=upload_key
        )
    except NotUploaded:
        raise
    except ServiceError:  # the file failed a check: nothing of it is kept
        remove_objects([upload_key, ticket_key])
        raise
    remove_objects([upload_key, ticket_key])
    return stored
