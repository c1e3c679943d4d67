"""What a customer does through a link: read the estimate or invoice, approve or decline the
estimate (once). The token is the only key; an unknown, revoked or superseded one is missing."""

from __future__ import annotations

from sqlmodel import Session

from khs_crm.models import ActivityAction, Estimate, EstimateStatus, Invoice
from khs_crm.models.base import utcnow
from khs_crm.services.core.errors import Conflict, NotFound
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money import documents
from khs_crm.services.money.estimates import status_of


def estimate_for_link(session: Session, *, token: str) -> Estimate:
    """The estimate behind a customer link, or NotFound."""
    estimate = documents.by_token(session, Estimate, token)
    if estimate is None:
        raise NotFound("This link does not work any more.")
    return estimate


def invoice_for_link(session: Session, *, token: str) -> Invoice:
    """The invoice behind a customer link, or NotFound."""
    invoice = documents.by_token(session, Invoice, token)
    if invoice is None:
        raise NotFound("This link does not work any more.")
    return invoice


def _answerable(session: Session, token: str) -> Estimate:
    lock_writes(session)
    estimate = estimate_for_link(session, token=token)
    session.refresh(estimate)
    if status_of(estimate) != EstimateStatus.sent:
        raise Conflict(
            "This estimate has already been answered or is no longer open.",
            details=[{"field": "status", "message": str(status_of(estimate))}],
        )
    return estimate


def approve(session: Session, *, token: str, name: str, ip: str, user_agent: str) -> Estimate:
    """The customer approves a sent estimate, once: their name, the time, IP and browser are
    kept. 409 when it is not open (answered, expired); 404 for a dead link."""
    estimate = _answerable(session, token)
    estimate.status = EstimateStatus.approved
    estimate.approved_at = utcnow()
    estimate.approved_name = name[:200]
    estimate.approved_ip = ip[:64]
    estimate.approved_user_agent = user_agent[:500]
    documents.save(
        session,
        estimate,
        actor=None,
        action=ActivityAction.status,
        changes={"status": ("sent", "approved"), "approved_name": (None, estimate.approved_name)},
    )
    return estimate


def decline(session: Session, *, token: str, reason: str) -> Estimate:
    """The customer declines a sent estimate (a reason is optional); once, as approval."""
    estimate = _answerable(session, token)
    estimate.status = EstimateStatus.declined
    estimate.declined_at = utcnow()
    estimate.decline_reason = reason[:2000]
    documents.save(
        session,
        estimate,
        actor=None,
        action=ActivityAction.status,
        changes={"status": ("sent", "declined"), "reason": (None, estimate.decline_reason)},
    )
    return estimate
