"""/api job notes: what the office and the crew write down about a job."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from khs_crm.api.deps import CurrentUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import Envelope, Page, PageParams, Resource, page_params, page_response
from khs_crm.models import JobNote
from khs_crm.services.jobs import notes as note_service

router = APIRouter(tags=["notes"])


class NoteOut(Resource):
    job_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str | None = None
    body: str


def note_json(note: JobNote, author_name: str | None) -> dict:
    out = NoteOut.model_validate(note)
    out.author_name = author_name
    return out.dump()


@router.get(
    "/jobs/{job_id}/notes", response_model=Page[NoteOut], responses=errors(*SIGNED_IN, 404, 422)
)
def list_notes(
    job_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
) -> JSONResponse:
    """A visible job's notes, newest first, paged."""
    rows, total = note_service.list_notes(
        session, job_id=job_id, user=user, offset=params.offset, limit=params.page_size
    )
    return page_response([note_json(n, name) for n, name in rows], params=params, total=total)


@router.post(
    "/jobs/{job_id}/notes",
    status_code=201,
    response_model=Envelope[NoteOut],
    responses=errors(*WRITE, *BODY, 404, 409),
)
def add_note(
    job_id: uuid.UUID, body: note_service.NoteCreate, user: CurrentUser, session: SessionDep
) -> JSONResponse:
    """Add a note to a visible job (workers on the crew too)."""
    note = note_service.add_note(session, job_id=job_id, data=body, actor=user)
    return ok(note_json(note, user.name), 201)
