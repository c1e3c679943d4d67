"""Materials' unit costs: what the company pays, office only, never sent to the field app."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session

from khs_crm.models import ActivityAction, Material, User
from khs_crm.services.core import activity
from khs_crm.services.core.access import require_office
from khs_crm.services.core.versioning import lock_writes


def set_unit_cost(
    session: Session, *, material: Material, unit_cost: Decimal | None, actor: User
) -> Material:
    """Set a material's unit cost (None: unknown), logged. The material's sync version does
    not move: the field app never holds the cost, so it has nothing new to pull."""
    require_office(actor, "set costs")
    lock_writes(session)
    session.refresh(material)
    old = material.unit_cost
    if old != unit_cost:
        material.unit_cost = unit_cost
        session.add(material)
        activity.record(
            session,
            actor=actor,
            entity="material",
            entity_id=material.id,
            action=ActivityAction.update,
            changes=activity.diff(
                {
                    "unit_cost": (
                        None if old is None else f"{old:f}",
                        None if unit_cost is None else f"{unit_cost:f}",
                    )
                }
            ),
            job_id=material.job_id,
        )
        session.flush()
    return material
