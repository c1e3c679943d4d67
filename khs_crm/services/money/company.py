"""The company's settings: what its documents say about it, and their defaults."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from khs_crm.models import ActivityAction, CompanySettings, Role, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.common import check_version
from khs_crm.services.core.errors import Forbidden
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money.schemas import CompanyUpdate

COMPANY_ID = 1
# The activity log names rows by UUID: the company's is a fixed one.
COMPANY_ENTITY = uuid.UUID(int=COMPANY_ID)


def get_company(session: Session) -> CompanySettings:
    """The settings row (the defaults, not yet saved, before the owner first saves them)."""
    return session.get(CompanySettings, COMPANY_ID) or CompanySettings(id=COMPANY_ID)


def update_company(
    session: Session, *, data: CompanyUpdate, actor: User, expected_version: int | None = None
) -> CompanySettings:
    """Change the company's settings (owner only: an admin gets Forbidden), logged."""
    if actor.role != Role.owner:
        raise Forbidden("Only the owner can change the company's settings.")
    lock_writes(session)
    company = get_company(session)
    check_version(company, expected_version)
    changed = {}
    for field, value in data.model_dump(exclude_unset=True).items():
        old = getattr(company, field)
        if old != value:
            changed[field] = (old, value)
            setattr(company, field, value)
    if changed:
        saved(session, company, actor, {k: (str(o), str(n)) for k, (o, n) in changed.items()})
    return company


def saved(
    session: Session, company: CompanySettings, actor: User, changes: dict[str, tuple[str, str]]
) -> CompanySettings:
    """A change of the settings (or the logo beside them): a new version, logged."""
    company.version += 1
    company.updated_at = utcnow()
    session.add(company)
    activity.record(
        session,
        actor=actor,
        entity="company",
        entity_id=COMPANY_ENTITY,
        action=ActivityAction.update,
        changes=activity.diff(changes),
    )
    session.flush()
    return company
