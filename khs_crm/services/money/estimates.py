"""Estimates: drafted per job, sent to the customer as a link, approved or declined there.

``draft → sent → approved | declined | expired`` (expired: a sent estimate past its
``validUntil``, read so, never written); ``revise`` makes a new draft that supersedes a sent
one. Only a draft is edited or deleted (409 otherwise); a deleted draft keeps its number.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import (
    ActivityAction,
    Estimate,
    EstimateStatus,
    JobStatus,
    Material,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.core.access import get_visible_job
from khs_crm.services.core.common import check_version
from khs_crm.services.core.errors import Conflict, NotFound
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.jobs import workflow
from khs_crm.services.money import documents, numbering, rules
from khs_crm.services.money.company import get_company
from khs_crm.services.money.schemas import EstimateCreate, EstimateIn, ItemLine
from khs_crm.services.money.units import unit_costs

MIN_QUANTITY = Decimal("0.001")


def status_of(estimate: Estimate) -> EstimateStatus:
    """The estimate's status as people read it: a sent one past its date is expired."""
    if (
        estimate.status == EstimateStatus.sent
        and estimate.valid_until is not None
        and estimate.valid_until < documents.today()
    ):
        return EstimateStatus.expired
    return estimate.status


def get_estimate(session: Session, *, estimate_id: uuid.UUID) -> Estimate:
    """A live estimate, or NotFound."""
    estimate = session.get(Estimate, estimate_id)
    if estimate is None or estimate.deleted_at is not None:
        raise NotFound("Estimate not found.")
    return estimate


def _draft(session: Session, estimate_id: uuid.UUID, expected: int | None) -> Estimate:
    lock_writes(session)
    estimate = get_estimate(session, estimate_id=estimate_id)
    session.refresh(estimate)
    check_version(estimate, expected)
    if estimate.status != EstimateStatus.draft:
        raise Conflict(
            "Only a draft estimate can be changed; revise it to make a new draft.",
            details=[{"field": "status", "message": str(status_of(estimate))}],
        )
    return estimate


def material_lines(session: Session, job_id: uuid.UUID) -> list[ItemLine]:
    """A line per live material of the job: its quantity, unit and unit cost as the price
    (a new estimate "from materials", and the editor's "Add the job's materials")."""
    materials = session.exec(
        select(Material)
        .where(Material.job_id == job_id, col(Material.deleted_at).is_(None))
        .order_by(col(Material.created_at), col(Material.id))
    ).all()
    costs = unit_costs(session, [m.id for m in materials])
    return [
        ItemLine(
            kind="material",
            description=m.name[:500],
            quantity=max(
                MIN_QUANTITY, Decimal(str(m.quantity)).quantize(MIN_QUANTITY, ROUND_HALF_UP)
            ),
            unit=m.unit,
            unit_price=costs.get(m.id, Decimal("0")),
            taxable=True,
        )
        for m in materials
    ]


def _fill(session: Session, estimate: Estimate, data: EstimateIn, lines: list[Any]) -> None:
    company = get_company(session)
    estimate.tax_rate = data.tax_rate if data.tax_rate is not None else company.default_tax_rate
    estimate.valid_until = data.valid_until or documents.today() + timedelta(
        days=company.estimate_valid_days
    )
    estimate.notes = data.notes
    rows = documents.replace_lines(session, estimate, lines)
    documents.set_totals(estimate, rules.totals(rows, estimate.tax_rate))


def create_estimate(
    session: Session,
    *,
    job_id: uuid.UUID,
    data: EstimateCreate,
    actor: User,
    copied: list[Any] | None = None,
) -> Estimate:
    """A new draft estimate for a job, numbered ``E-0001``…, logged. ``copied``: the lines
    of the estimate it revises."""
    job = get_visible_job(session, job_id=job_id, user=actor)
    lock_writes(session)
    value = numbering.next_number(session, "estimate")
    estimate = Estimate(
        job_id=job.id,
        customer_id=job.customer_id,
        number=numbering.format_number(get_company(session).estimate_prefix, value),
        created_by=actor.id,
    )
    session.add(estimate)
    lines = list(data.lines) + (material_lines(session, job.id) if data.from_materials else [])
    lines += copied or []
    _fill(session, estimate, data, lines)
    documents.log(
        session,
        actor=actor,
        doc=estimate,
        action=ActivityAction.create,
        created={"number": estimate.number, "total": estimate.total},
    )
    session.flush()
    return estimate


def update_estimate(
    session: Session,
    *,
    estimate_id: uuid.UUID,
    data: EstimateIn,
    actor: User,
    expected_version: int | None = None,
) -> Estimate:
    """Replace a draft's lines, rate, date and notes (409 unless draft; 412 if stale)."""
    estimate = _draft(session, estimate_id, expected_version)
    old_total = estimate.total
    _fill(session, estimate, data, list(data.lines))
    documents.save(
        session,
        estimate,
        actor=actor,
        action=ActivityAction.update,
        changes={"total": (old_total, estimate.total)},
    )
    return estimate


def delete_estimate(
    session: Session, *, estimate_id: uuid.UUID, actor: User, expected_version: int | None = None
) -> Estimate:
    """Tombstone a draft: it keeps its number, so the sequence has no hole."""
    estimate = _draft(session, estimate_id, expected_version)
    estimate.deleted_at = utcnow()
    documents.save(session, estimate, actor=actor, action=ActivityAction.delete)
    return estimate


def send_estimate(session: Session, *, estimate_id: uuid.UUID, actor: User) -> tuple[Estimate, str]:
    """Mark a draft (or a sent estimate, again) sent and give it a new customer link token
    (an older link stops working). A lead job becomes quoted."""
    lock_writes(session)
    estimate = get_estimate(session, estimate_id=estimate_id)
    session.refresh(estimate)
    if status_of(estimate) not in (EstimateStatus.draft, EstimateStatus.sent):
        raise Conflict(
            "Only a draft or sent estimate can be sent.",
            details=[{"field": "status", "message": str(status_of(estimate))}],
        )
    old = estimate.status
    token = documents.new_link(estimate)
    estimate.status = EstimateStatus.sent
    estimate.sent_at = utcnow()
    changes = {"status": (old, estimate.status)}
    documents.save(session, estimate, actor=actor, action=ActivityAction.status, changes=changes)
    job = get_visible_job(session, job_id=estimate.job_id, user=actor)
    if job.status == JobStatus.lead:
        workflow.change_status(session, job_id=job.id, status=JobStatus.quoted, actor=actor)
        session.flush()
    return estimate, token


def revoke_link(session: Session, *, estimate_id: uuid.UUID, actor: User) -> Estimate:
    """The estimate's customer link stops working (404); sending again makes a new one."""
    lock_writes(session)
    estimate = get_estimate(session, estimate_id=estimate_id)
    documents.revoke_link(session, estimate, actor=actor)
    return estimate


def revise_estimate(session: Session, *, estimate_id: uuid.UUID, actor: User) -> Estimate:
    """A new draft with the same lines that supersedes a sent, declined or expired estimate
    (whose link dies). A draft or an approved estimate cannot be revised (409)."""
    lock_writes(session)
    old = get_estimate(session, estimate_id=estimate_id)
    session.refresh(old)
    if status_of(old) not in (EstimateStatus.sent, EstimateStatus.declined, EstimateStatus.expired):
        raise Conflict(
            "Only a sent, declined or expired estimate can be revised.",
            details=[{"field": "status", "message": str(status_of(old))}],
        )
    lines = [
        ItemLine.model_construct(**{f: getattr(row, f) for f in _LINE_FIELDS})
        for row in documents.lines_of(session, old)
    ]
    data = EstimateCreate(tax_rate=old.tax_rate, notes=old.notes)
    job_id = old.job_id
    new = create_estimate(session, job_id=job_id, data=data, actor=actor, copied=lines)
    new.revises_id = old.id
    previous = old.status
    old.status = EstimateStatus.superseded
    old.link_hash = None
    session.add(new)
    changes = {"status": (previous, old.status), "superseded_by": (None, new.number)}
    documents.save(session, old, actor=actor, action=ActivityAction.status, changes=changes)
    return new


_LINE_FIELDS = ("kind", "description", "quantity", "unit", "unit_price", "taxable")


def list_estimates(
    session: Session,
    *,
    job_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    status: EstimateStatus | None = None,
    include_deleted: bool = False,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[Estimate], int]:
    """A page of estimates, newest number first, and how many there are."""
    conditions: list[Any] = []
    if not include_deleted:
        conditions.append(col(Estimate.deleted_at).is_(None))
    if job_id is not None:
        conditions.append(col(Estimate.job_id) == job_id)
    if customer_id is not None:
        conditions.append(col(Estimate.customer_id) == customer_id)
    if status == EstimateStatus.expired:
        conditions += [Estimate.status == EstimateStatus.sent, _past_validity()]
    elif status == EstimateStatus.sent:
        conditions += [Estimate.status == EstimateStatus.sent, ~_past_validity()]
    elif status is not None:
        conditions.append(Estimate.status == status)
    total = session.exec(select(func.count()).select_from(Estimate).where(*conditions)).one()
    rows = session.exec(
        select(Estimate)
        .where(*conditions)
        .order_by(col(Estimate.created_at).desc(), col(Estimate.number).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def _past_validity() -> Any:
    return col(Estimate.valid_until).is_not(None) & (col(Estimate.valid_until) < documents.today())


def approved_estimate(session: Session, *, job_id: uuid.UUID) -> Estimate | None:
    """The job's approved estimate (the latest, should there be several)."""
    return session.exec(
        select(Estimate)
        .where(
            Estimate.job_id == job_id,
            Estimate.status == EstimateStatus.approved,
            col(Estimate.deleted_at).is_(None),
        )
        .order_by(col(Estimate.approved_at).desc())
    ).first()
