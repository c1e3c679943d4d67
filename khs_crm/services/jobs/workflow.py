"""The job workflow: which status may follow which and for whom, and who is on the crew.

One table, used by the REST API, the office and field UIs, and the sync engine alike.
Moving a job to the status it already has is not a move: it is allowed and writes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import (
    ActivityAction,
    CrewRemoval,
    Job,
    JobAssignment,
    JobStatus,
    Role,
    User,
)
from khs_crm.services.core import activity
from khs_crm.services.core.access import OFFICE_ROLES, get_visible_job, is_office, require_office
from khs_crm.services.core.common import apply_changes, check_version, mark_written
from khs_crm.services.core.errors import Conflict, Forbidden, ValidationFailed
from khs_crm.services.core.versioning import next_version

S = JobStatus

# from status: (moves owners and admins may make, moves an assigned worker may make)
WORKFLOW: dict[JobStatus, tuple[tuple[JobStatus, ...], tuple[JobStatus, ...]]] = {
    S.lead: ((S.quoted, S.cancelled), ()),
    S.quoted: ((S.scheduled, S.lead, S.cancelled), ()),
    S.scheduled: ((S.in_progress, S.on_hold, S.quoted, S.cancelled), (S.in_progress,)),
    S.in_progress: ((S.on_hold, S.completed, S.cancelled), (S.on_hold, S.completed)),
    S.on_hold: ((S.in_progress, S.scheduled, S.cancelled), (S.in_progress,)),
    S.completed: ((S.in_progress,), ()),
    S.cancelled: ((S.lead,), ()),
}

# How a status reads inside a sentence (translated where it is shown: ``khs_crm.i18n``).
LABELS = {
    S.lead: N_("lead"),
    S.quoted: N_("quoted"),
    S.scheduled: N_("scheduled"),
    S.in_progress: N_("in progress"),
    S.on_hold: N_("on hold"),
    S.completed: N_("completed"),
    S.cancelled: N_("cancelled"),
}

# Jobs whose work is over: off the crews' lists and the office schedule.
CLOSED: tuple[JobStatus, ...] = (S.completed, S.cancelled)
# Jobs with work still to come: the supply run buys for these.
UPCOMING: tuple[JobStatus, ...] = (S.scheduled, S.in_progress, S.on_hold)


def _status(value: JobStatus | str, field: str = "status") -> JobStatus:
    try:
        return JobStatus(value)
    except ValueError as exc:
        allowed = ", ".join(s.value for s in JobStatus)
        raise ValidationFailed(
            f"Status must be one of: {allowed}.", details=[{"field": field, "message": allowed}]
        ) from exc


def _is_office_role(role: Role | str) -> bool:
    return Role(role) in OFFICE_ROLES


def allowed_moves(status: JobStatus | str, role: Role | str) -> list[str]:
    """The statuses a user of this role may move a job in ``status`` to, in table order."""
    office, worker = WORKFLOW[_status(status)]
    return [s.value for s in (office if _is_office_role(role) else worker)]


def explain_move(
    from_status: JobStatus | str, to_status: JobStatus | str, role: Role | str
) -> str | None:
    """None when the move is allowed; otherwise a sentence a person can act on."""
    current, target = _status(from_status), _status(to_status)
    if current == target:
        return None
    moves = allowed_moves(current, role)
    if target.value in moves:
        return None
    options = ", ".join(LABELS[S(m)] for m in moves)
    if not _is_office_role(role):
        if not moves:
            return f"Only the office can change the status of a {LABELS[current]} job."
        return (
            f"Only the office can move a {LABELS[current]} job to {LABELS[target]}; "
            f"you can move it to: {options}."
        )
    return f"A {LABELS[current]} job cannot move to {LABELS[target]}; it can move to: {options}."


def check_move(from_status: JobStatus | str, to_status: JobStatus | str, role: Role | str) -> None:
    """Raise when the move is not allowed for this role.

    Conflict (409) whose details list the allowed next states, one per entry as
    ``{"field": "status", "message": state}``. A worker asking for a move from a status
    where workers have no moves at all (lead, quoted, completed, cancelled) gets
    Forbidden (403) instead: there is nothing they could pick.
    """
    reason = explain_move(from_status, to_status, role)
    if reason is None:
        return
    moves = allowed_moves(from_status, role)
    if not moves:
        raise Forbidden(reason)
    raise Conflict(reason, details=[{"field": "status", "message": m} for m in moves])


def change_status(
    session: Session,
    *,
    job_id: uuid.UUID,
    status: JobStatus | str,
    actor: User,
    expected_version: int | None = None,
) -> Job:
    """Move a visible job to a new status under the workflow table.

    Raises NotFound (not visible), PreconditionFailed (stale If-Match), Conflict or
    Forbidden (see ``check_move``). Records ``status_version`` (the new version) and
    whether the office made the move, for the sync engine's conflict rule.
    """
    job = get_visible_job(session, job_id=job_id, user=actor)
    check_version(job, expected_version)
    target = _status(status)
    check_move(job.status, target, actor.role)
    if target == job.status:
        return job
    apply_changes(
        session, job, {"status": target}, actor=actor, entity="job", action=ActivityAction.status
    )
    job.status_version = job.version
    job.status_changed_by_office = is_office(actor)
    session.add(job)
    session.flush()
    return job


# Crew ---------------------------------------------------------------------------------


def crew_ids(session: Session, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The assigned user ids of each job, in one query."""
    crews: dict[uuid.UUID, list[uuid.UUID]] = {job_id: [] for job_id in job_ids}
    if job_ids:
        rows = session.exec(
            select(JobAssignment.job_id, JobAssignment.user_id)
            .where(col(JobAssignment.job_id).in_(job_ids))
            .order_by(col(JobAssignment.created_at), col(JobAssignment.user_id))
        ).all()
        for job_id, user_id in rows:
            crews[job_id].append(user_id)
    return crews


def active_workers(session: Session, user_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """The ids, repeats removed; ValidationFailed naming any that is not an active worker."""
    wanted = list(dict.fromkeys(user_ids))
    found = set(
        session.exec(
            select(User.id).where(
                col(User.id).in_(wanted), User.role == Role.worker, col(User.active).is_(True)
            )
        ).all()
    )
    bad = [str(user_id) for user_id in wanted if user_id not in found]
    if bad:
        raise ValidationFailed(
            f"Only active workers can be assigned; not: {', '.join(bad)}.",
            details=[{"field": "userIds", "message": user_id} for user_id in bad],
        )
    return wanted


def set_crew(session: Session, job: Job, user_ids: list[uuid.UUID]) -> dict[str, Any]:
    """Replace the crew rows (no commit); returns the activity change, empty when none."""
    current = crew_ids(session, [job.id])[job.id]
    if set(current) == set(user_ids):
        return {}
    for user_id in set(current) - set(user_ids):
        session.delete(session.get(JobAssignment, (job.id, user_id)))
        # Their devices learn of it on the next pull ("remove", see services/sync/pull.py).
        session.add(CrewRemoval(job_id=job.id, user_id=user_id, version=next_version(session)))
    for user_id in user_ids:
        if user_id not in current:
            version = next_version(session)
            session.add(JobAssignment(job_id=job.id, user_id=user_id, version=version))
    return {"assigned_user_ids": [current, user_ids]}


def assign_crew(
    session: Session,
    *,
    job_id: uuid.UUID,
    user_ids: list[uuid.UUID],
    actor: User,
    expected_version: int | None = None,
) -> Job:
    """Replace a job's crew with these active workers (office only).

    Each new assignment row takes a version, and the job takes one too, so a device
    pulling changes notices the crew moved. An unchanged crew writes nothing.
    """
    job = get_visible_job(session, job_id=job_id, user=actor)
    require_office(actor, "assign crews")
    check_version(job, expected_version)
    crew = active_workers(session, user_ids)
    if set(crew_ids(session, [job.id])[job.id]) == set(crew):
        return job
    # Claim the job's new version before touching its crew: of two crew changes made from the
    # same version, the second stops here (412) instead of racing on the crew rows.
    mark_written(session, job)
    change = set_crew(session, job, crew)
    if change:
        activity.record(
            session,
            actor=actor,
            entity="job",
            entity_id=job.id,
            action=ActivityAction.assign,
            changes=activity.diff(change),
        )
        session.flush()
    return job
