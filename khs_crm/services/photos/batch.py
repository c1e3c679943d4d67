"""Several photos at once, from the office's job page.

Each file is stored exactly like one sent to ``POST /api/jobs/{jobId}/photos``: through
``photos.upload_photo``, under a new id, with the same checks, server-made keys and thumbnail.
A file the service refuses is named with the service's reason; the other files are kept.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from typing import BinaryIO

from pydantic import ValidationError
from sqlmodel import Session

from khs_crm.models import Photo, User
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.core.errors import ServiceError, ValidationFailed, error_details
from khs_crm.services.photos.images import MAX_PHOTO_BYTES
from khs_crm.services.photos.service import PhotoMeta, upload_photo

MAX_BATCH_FILES = 10
# The most one batch's files can weigh: every file at the largest a photo may be.
MAX_BATCH_BYTES = MAX_BATCH_FILES * MAX_PHOTO_BYTES


@dataclass(frozen=True)
class PhotoFile:
    """One chosen file: the name the person knows it by, and where its bytes are (Reflex's
    upload leaves each file in a temporary file on disk: 1 MB of it in memory at most).

    The batch reads one file at a time, each at most one byte past the largest photo, so a
    batch costs the memory of one photo, not of all of them."""

    name: str
    source: BinaryIO

    @classmethod
    def of(cls, name: str, data: bytes) -> PhotoFile:
        return cls(name, io.BytesIO(data))

    def read(self) -> bytes:
        return self.source.read(MAX_PHOTO_BYTES + 1)


@dataclass
class BatchOutcome:
    """The photos stored, and one "name: reason" line for each file that was refused."""

    stored: list[Photo] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def upload_photos(
    session: Session,
    *,
    job_id: uuid.UUID,
    files: list[PhotoFile],
    tag: str,
    caption: str,
    actor: User,
) -> BatchOutcome:
    """Store each file as a new photo of a visible job, all with one tag and caption.

    Every photo commits on its own. A file that is not a whole JPEG/PNG/WebP/HEIC image
    within the limits is reported by name and the rest are still stored. A job the actor
    cannot see (404), no files or more than ``MAX_BATCH_FILES``, or a bad tag or caption
    (422) refuse the whole batch before anything is stored.
    """
    get_visible_job(session, job_id=job_id, user=actor)
    if not files:
        raise ValidationFailed("Choose the photos to upload first.")
    if len(files) > MAX_BATCH_FILES:
        raise ValidationFailed(f"Upload at most {MAX_BATCH_FILES} photos at once.")
    values = {"id": uuid.uuid4(), "tag": tag or "progress", "caption": caption}
    try:
        meta = PhotoMeta.model_validate(values)
    except ValidationError as exc:
        details = error_details(exc.errors())
        message = f"Check the photos: {details[0]['message']}"
        raise ValidationFailed(message, details=details) from exc
    outcome = BatchOutcome()
    for file in files:
        one = meta.model_copy(update={"id": uuid.uuid4()})
        try:
            stored = upload_photo(session, job_id=job_id, meta=one, data=file.read(), actor=actor)
        except ServiceError as exc:
            outcome.refused.append(f"{file.name}: {exc.message}")
        else:
            outcome.stored.append(stored.photo)
    return outcome
