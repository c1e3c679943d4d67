"""/api photos: upload (through the app or straight to S3), list, files, caption/tag, delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError

from khs_crm.api.deps import CurrentUser, IfMatch, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.openapi import BLANK_OR_VISIBLE
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    CamelModel,
    Envelope,
    Page,
    PageParams,
    Resource,
    Tombstone,
    deleted_json,
    page_params,
    page_response,
)
from khs_crm.models import Photo
from khs_crm.models.base import bound
from khs_crm.models.photo import Caption
from khs_crm.services.photos import direct as photos_direct
from khs_crm.services.photos import service as photo_service
from khs_crm.services.photos.images import MAX_PHOTO_BYTES
from khs_crm.services.photos.service import PhotoChanges, PhotoMeta, PhotoTag, ServedFile

IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The image bytes",
        "content": {t: {} for t in ("image/jpeg", "image/png", "image/webp", "image/heic")},
    },
    **errors(*SIGNED_IN, 404, 422),
}

router = APIRouter(tags=["photos"])
# The upload's form fields are read as PhotoMeta (an empty one: left out); said so here.
AS_UUID: dict[str, Any] = {"format": "uuid"}
AS_CAPTION: dict[str, Any] = {"maxLength": bound(Caption), "pattern": BLANK_OR_VISIBLE}
AS_TAG: dict[str, Any] = {"enum": ["", *(tag.value for tag in PhotoTag)]}
AS_TIME: dict[str, Any] = {"anyOf": [{"maxLength": 0}, {"format": "date-time"}]}
Paging = Annotated[PageParams, Depends(page_params)]

# Bytes served from storage must never be read as a page: no sniffing, no scripts, no frames.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    ),
    "Cache-Control": "private, max-age=86400",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class PhotoOut(Resource):
    job_id: uuid.UUID
    caption: str
    tag: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    taken_at: datetime | None
    uploaded_by: uuid.UUID | None
    file_url: str
    thumbnail_url: str | None


class PresignOut(CamelModel):
    """Where to post the file (201); all null and ``photo`` set when it was uploaded before."""

    url: str | None
    fields: dict[str, str] | None
    expires_at: datetime | None
    complete_url: str | None
    photo: PhotoOut | None


def _again(model: Any, what: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of an upload retried with an id already uploaded."""
    return {200: {"model": Envelope[model], "description": f"{what} was uploaded before."}}


def photo_json(photo: Photo) -> dict[str, Any]:
    """A photo as every route (and sync) shows it; ``thumbnailUrl`` is null until it exists."""
    ready = photo.thumbnail_status == "ready" and photo.thumbnail_key
    out = PhotoOut.model_validate(
        {
            **{
                name: getattr(photo, name) for name in PhotoOut.model_fields if hasattr(photo, name)
            },
            "file_url": f"/api/photos/{photo.id}/file",
            "thumbnail_url": f"/api/photos/{photo.id}/thumbnail" if ready else None,
        }
    )
    return out.dump()


def _meta(fields: dict[str, str]) -> PhotoMeta:
    """The form fields of an upload, empty ones left out; 422 in the usual shape when bad."""
    try:
        return PhotoMeta.model_validate({k: v for k, v in fields.items() if v != ""})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@router.get(
    "/jobs/{job_id}/photos", response_model=Page[PhotoOut], responses=errors(*SIGNED_IN, 404, 422)
)
def list_photos(
    job_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    params: Paging,
    tag: Annotated[PhotoTag | None, Query()] = None,
) -> JSONResponse:
    """A visible job's photos in the order they were taken; ``tag`` filters."""
    rows, total = photo_service.list_photos(
        session, job_id=job_id, user=user, tag=tag, offset=params.offset, limit=params.page_size
    )
    return page_response([photo_json(p) for p in rows], params=params, total=total)


@router.post(
    "/jobs/{job_id}/photos",
    status_code=201,
    response_model=Envelope[PhotoOut],
    responses={**_again(PhotoOut, "This id"), **errors(*WRITE, *BODY, 404, 409)},
)
def upload_photo(
    job_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG, WebP or HEIC; at most 15 MB")],
    photo_id: Annotated[str, Form(alias="id", max_length=64, json_schema_extra=AS_UUID)],
    caption: Annotated[str, Form(max_length=2000, json_schema_extra=AS_CAPTION)] = "",
    tag: Annotated[str, Form(max_length=32, json_schema_extra=AS_TAG)] = "",
    taken_at: Annotated[str, Form(alias="takenAt", max_length=64, json_schema_extra=AS_TIME)] = "",
) -> JSONResponse:
    """Upload one photo (multipart): 201 when new, 200 when this id was already uploaded."""
    meta = _meta({"id": photo_id, "caption": caption, "tag": tag, "takenAt": taken_at})
    data = file.file.read(MAX_PHOTO_BYTES + 1)
    stored = photo_service.upload_photo(session, job_id=job_id, meta=meta, data=data, actor=user)
    return ok(photo_json(stored.photo), 201 if stored.created else 200)


@router.post(
    "/jobs/{job_id}/photos/presign",
    status_code=201,
    response_model=Envelope[PresignOut],
    responses={**_again(PresignOut, "This id"), **errors(*WRITE, *BODY, 404, 409)},
)
def presign(
    job_id: uuid.UUID, body: photos_direct.PresignRequest, user: CurrentUser, session: SessionDep
) -> JSONResponse:
    """A form to post the file straight to S3 (201); 200 with the photo if already uploaded."""
    result = photos_direct.presign_upload(session, job_id=job_id, data=body, actor=user)
    if result.photo is not None:
        done = {"url": None, "fields": None, "expiresAt": None, "completeUrl": None}
        return ok({**done, "photo": photo_json(result.photo)})
    assert result.post is not None and result.expires_at is not None
    data = {
        "url": result.post.url,
        "fields": result.post.fields,
        "expiresAt": result.expires_at.isoformat(),
        "completeUrl": f"/api/photos/{body.id}/complete",
        "photo": None,
    }
    return ok(data, 201)


@router.post(
    "/photos/{photo_id}/complete",
    status_code=201,
    response_model=Envelope[PhotoOut],
    responses={**_again(PhotoOut, "This photo"), **errors(*WRITE, 404, 409, 413, 422)},
)
def complete(photo_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """Check a file posted to S3 and create the photo: 201, or 200 when already completed."""
    stored = photos_direct.complete_upload(session, photo_id=photo_id, actor=user)
    return ok(photo_json(stored.photo), 201 if stored.created else 200)


def _stream(served: ServedFile) -> StreamingResponse:
    headers = {
        **FILE_HEADERS,
        "Content-Disposition": f'inline; filename="{served.filename}"',
        "Content-Length": str(served.size),
    }
    return StreamingResponse(served.chunks, media_type=served.content_type, headers=headers)


@router.get("/photos/{photo_id}/file", response_class=StreamingResponse, responses=IMAGE_RESPONSES)
def photo_file(photo_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> StreamingResponse:
    """The photo's bytes (GPS stripped unless KHS_KEEP_PHOTO_GPS), with its own type."""
    served = photo_service.served_file(session, photo_id=photo_id, user=user)
    return _stream(served)


@router.get(
    "/photos/{photo_id}/thumbnail", response_class=StreamingResponse, responses=IMAGE_RESPONSES
)
def photo_thumbnail(
    photo_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> StreamingResponse:
    """The WebP thumbnail (404 until it has been made)."""
    served = photo_service.served_file(session, photo_id=photo_id, user=user, thumbnail=True)
    return _stream(served)


@router.get(
    "/photos/{photo_id}", response_model=Envelope[PhotoOut], responses=errors(*SIGNED_IN, 404, 422)
)
def get_photo(photo_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """One photo's details."""
    return ok(photo_json(photo_service.get_visible_photo(session, photo_id=photo_id, user=user)))


@router.put(
    "/photos/{photo_id}",
    response_model=Envelope[PhotoOut],
    responses=errors(*WRITE, *BODY, 404, 412),
)
def update_photo(
    photo_id: uuid.UUID,
    body: PhotoChanges,
    user: CurrentUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Change the caption and/or tag."""
    photo = photo_service.update_photo(
        session, photo_id=photo_id, data=body, actor=user, expected_version=expected
    )
    return ok(photo_json(photo))


@router.delete(
    "/photos/{photo_id}",
    response_model=Envelope[Tombstone],
    responses=errors(*WRITE, 404, 412, 422),
)
def delete_photo(
    photo_id: uuid.UUID, user: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Soft-delete a photo (office only); its file and thumbnail are removed."""
    photo = photo_service.delete_photo(
        session, photo_id=photo_id, actor=user, expected_version=expected
    )
    return ok(deleted_json(photo))
