"""Materials' unit costs: what the company pays, office only. Kept beside the material
(``material_costs``), never on the synced row, so no phone ever holds one."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, Material, MaterialCost, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import require_office
from khs_crm.services.core.versioning import lock_writes


def unit_costs(session: Session, material_ids: list[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """The known unit costs of these materials, by material id."""
    if not material_ids:
        return {}
    rows = session.exec(
        select(MaterialCost).where(col(MaterialCost.material_id).in_(material_ids))
    ).all()
    return {row.material_id: row.unit_cost for row in rows}


def set_unit_cost(
    session: Session, *, material: Material, unit_cost: Decimal | None, actor: User
) -> Decimal | None:
    """Set a material's unit cost (None: unknown), logged on the job's timeline."""
    require_office(actor, "set costs")
    lock_writes(session)
    row = session.get(MaterialCost, material.id)
    old = row.unit_cost if row is not None else None
    if old == unit_cost:
        return unit_cost
    if unit_cost is None:
        session.delete(row)
    else:
        row = row or MaterialCost(material_id=material.id, unit_cost=unit_cost)
        row.unit_cost, row.updated_at = unit_cost, utcnow()
        session.add(row)
    activity.record(
        session,
        actor=actor,
        entity="material",
        entity_id=material.id,
        action=ActivityAction.update,
        changes=activity.diff({"unit_cost": (_text(old), _text(unit_cost))}),
        job_id=material.job_id,
    )
    session.flush()
    return unit_cost


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"
