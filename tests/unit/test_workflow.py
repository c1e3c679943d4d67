"""The job workflow table and the status-change service."""

from __future__ import annotations

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog, Job, JobStatus, Role
from khs_crm.services.core.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from khs_crm.services.jobs import workflow
from tests.support.workflow_table import OFFICE_MOVES, WORKER_MOVES

S = JobStatus
OFFICE = OFFICE_MOVES
WORKER = WORKER_MOVES


@pytest.mark.parametrize("status", list(JobStatus))
@pytest.mark.parametrize("role", [Role.owner, Role.admin, "owner", "admin"])
def test_office_moves_match_the_table(status, role):
    assert workflow.allowed_moves(status, role) == [s.value for s in OFFICE[status]]


@pytest.mark.parametrize("status", list(JobStatus))
def test_worker_moves_match_the_table(status):
    assert workflow.allowed_moves(status.value, Role.worker) == [
        s.value for s in WORKER.get(status, [])
    ]


@pytest.mark.parametrize("current", list(JobStatus))
@pytest.mark.parametrize("target", list(JobStatus))
@pytest.mark.parametrize("role", [Role.owner, Role.worker])
def test_explain_move_is_none_exactly_for_allowed_moves(current, target, role):
    table = OFFICE if role == Role.owner else WORKER
    allowed = current == target or target in table.get(current, [])
    reason = workflow.explain_move(current, target, role)
    assert (reason is None) is allowed
    if not allowed:
        assert target.value.replace("_", " ") in reason or "Only the office" in reason


def test_explain_move_tells_the_office_where_it_can_go():
    reason = workflow.explain_move("lead", "completed", "admin")
    assert reason == "A lead job cannot move to completed; it can move to: quoted, cancelled."


def test_explain_move_tells_a_worker_what_they_may_do():
    reason = workflow.explain_move("scheduled", "cancelled", "worker")
    assert reason == (
        "Only the office can move a scheduled job to cancelled; you can move it to: in progress."
    )
    assert workflow.explain_move("lead", "quoted", "worker") == (
        "Only the office can change the status of a lead job."
    )


def test_check_move_conflict_lists_allowed_states():
    with pytest.raises(Conflict) as caught:
        workflow.check_move("in_progress", "lead", "owner")
    assert caught.value.details == [
        {"field": "status", "message": "on_hold"},
        {"field": "status", "message": "completed"},
        {"field": "status", "message": "cancelled"},
    ]


def test_check_move_worker_with_no_moves_is_forbidden():
    with pytest.raises(Forbidden):
        workflow.check_move("completed", "in_progress", "worker")
    with pytest.raises(Conflict) as caught:
        workflow.check_move("on_hold", "cancelled", "worker")
    assert caught.value.details == [{"field": "status", "message": "in_progress"}]


def test_unknown_status_is_a_validation_error():
    from khs_crm.services.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        workflow.allowed_moves("archived", "owner")


def test_change_status_records_version_and_who_moved_it(session, cast):
    job = workflow.change_status(
        session, job_id=cast.job.id, status="in_progress", actor=cast.worker_a
    )
    assert job.status == S.in_progress
    assert job.status_version == job.version > 0
    assert job.status_changed_by_office is False
    job = workflow.change_status(session, job_id=job.id, status="on_hold", actor=cast.admin)
    assert job.status_changed_by_office is True
    assert job.status_version == job.version
    rows = session.exec(select(ActivityLog).where(ActivityLog.entity_id == job.id)).all()
    assert [(r.action, r.changes) for r in rows] == [
        ("status", {"status": {"old": "scheduled", "new": "in_progress"}}),
        ("status", {"status": {"old": "in_progress", "new": "on_hold"}}),
    ]


def test_change_status_to_the_same_status_writes_nothing(session, cast):
    before = cast.job.version
    job = workflow.change_status(session, job_id=cast.job.id, status="scheduled", actor=cast.owner)
    assert job.version == before
    assert session.exec(select(ActivityLog)).all() == []


def test_change_status_checks_visibility_and_version(session, cast):
    with pytest.raises(NotFound):
        workflow.change_status(
            session, job_id=cast.job.id, status="in_progress", actor=cast.worker_b
        )
    with pytest.raises(PreconditionFailed):
        workflow.change_status(
            session,
            job_id=cast.job.id,
            status="in_progress",
            actor=cast.owner,
            expected_version=cast.job.version - 1,
        )
    assert session.get(Job, cast.job.id).status == S.scheduled
