"""Job notes: what the office and the crew write down about a job."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, JobNote, User
from khs_crm.services.core import activity
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.core.common import mark_written
from khs_crm.services.core.errors import id_taken
from khs_crm.services.jobs.schemas import NoteCreate


def list_notes(
    session: Session, *, job_id: uuid.UUID, user: User, offset: int, limit: int
) -> tuple[list[tuple[JobNote, str | None]], int]:
    """One page of a visible job's live notes, newest first, each with its author's name."""
    get_visible_job(session, job_id=job_id, user=user)
    live = (col(JobNote.job_id) == job_id) & col(JobNote.deleted_at).is_(None)
    total = session.exec(select(func.count()).select_from(JobNote).where(live)).one()
    rows = session.exec(
        select(JobNote, User.name)
        .outerjoin(User, col(User.id) == JobNote.author_id)
        .where(live)
        .order_by(col(JobNote.created_at).desc(), col(JobNote.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return [(note, name) for note, name in rows], total


def add_note(session: Session, *, job_id: uuid.UUID, data: NoteCreate, actor: User) -> JobNote:
    """Add a note to a visible job (workers on the crew too)."""
    get_visible_job(session, job_id=job_id, user=actor)
    if data.id is not None and session.get(JobNote, data.id) is not None:
        raise id_taken()
    note = JobNote(id=data.id or uuid.uuid4(), job_id=job_id, author_id=actor.id, body=data.body)
    mark_written(session, note)
    activity.record(
        session,
        actor=actor,
        entity="note",
        entity_id=note.id,
        action=ActivityAction.create,
        changes=activity.created({"job_id": job_id, "body": data.body}),
        job_id=job_id,
    )
    session.flush()
    return note
