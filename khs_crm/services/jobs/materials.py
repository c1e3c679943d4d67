"""Materials: each job's checklist of what to buy, kept by the office and the crew."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from khs_crm.models import ActivityAction, Job, Material, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import assigned, get_visible_job, is_office, require_office
from khs_crm.services.core.common import apply_changes, check_version, mark_written, soft_delete
from khs_crm.services.core.errors import NotFound, ValidationFailed, id_taken
from khs_crm.services.core.versioning import reserve_versions
from khs_crm.services.jobs.schemas import MAX_QUANTITY as MAX_QUANTITY  # read here too
from khs_crm.services.jobs.schemas import MaterialChanges, MaterialCreate


def _visible_materials(user: User) -> SelectOfScalar[Material]:
    query = (
        select(Material)
        .join(Job, col(Job.id) == Material.job_id)
        .where(col(Material.deleted_at).is_(None), col(Job.deleted_at).is_(None))
    )
    return query if is_office(user) else query.where(assigned(col(Job.id), user))


def get_visible_material(session: Session, *, material_id: uuid.UUID, user: User) -> Material:
    """The live material of a job the user may see, or NotFound."""
    material = session.exec(_visible_materials(user).where(Material.id == material_id)).first()
    if material is None:
        raise NotFound("Material not found.")
    return material


def visible_materials(
    session: Session, *, ids: list[uuid.UUID], user: User
) -> dict[uuid.UUID, Material]:
    """The live materials among ``ids`` on jobs the user may see, in one query."""
    query = _visible_materials(user).where(col(Material.id).in_(ids))
    return {material.id: material for material in session.exec(query).all()}


def list_materials(session: Session, *, job_id: uuid.UUID, user: User) -> list[Material]:
    """The live materials of a visible job, oldest first (the order they were added)."""
    get_visible_job(session, job_id=job_id, user=user)
    return list(
        session.exec(
            select(Material)
            .where(Material.job_id == job_id, col(Material.deleted_at).is_(None))
            .order_by(col(Material.created_at), col(Material.id))
        ).all()
    )


def _with_stamps(material: Material, changes: dict[str, Any], actor: User) -> dict[str, Any]:
    """Add purchased_at / purchased_by when ``purchased`` flips; clear them when unset."""
    if "purchased" not in changes or changes["purchased"] == material.purchased:
        return changes
    if changes["purchased"]:
        return {**changes, "purchased_at": utcnow(), "purchased_by": actor.id}
    return {**changes, "purchased_at": None, "purchased_by": None}


def _check_new_ids(session: Session, items: list[MaterialCreate]) -> None:
    ids = [item.id for item in items if item.id is not None]
    if len(ids) != len(set(ids)):
        raise ValidationFailed(
            "The same material id appears twice.", details=[{"field": "id", "message": "repeated"}]
        )
    taken = session.exec(select(Material.id).where(col(Material.id).in_(ids))).all() if ids else []
    if taken:
        raise id_taken()


def add_materials(
    session: Session, *, job_id: uuid.UUID, items: list[MaterialCreate], actor: User
) -> list[Material]:
    """Add materials to a visible job, all or none. Workers on the crew may add."""
    get_visible_job(session, job_id=job_id, user=actor)
    _check_new_ids(session, items)
    created = []
    for item, version in zip(items, reserve_versions(session, len(items)), strict=True):
        fields = item.model_dump(exclude={"id"})
        material = Material(id=item.id or uuid.uuid4(), job_id=job_id, name=item.name)
        for field, value in _with_stamps(material, fields, actor).items():
            setattr(material, field, value)
        mark_written(session, material, version=version)
        activity.record(
            session,
            actor=actor,
            entity="material",
            entity_id=material.id,
            action=ActivityAction.create,
            changes=activity.created({"job_id": job_id, **fields}),
            job_id=job_id,
        )
        created.append(material)
    session.flush()
    return created


def update_material(
    session: Session,
    *,
    material_id: uuid.UUID,
    data: MaterialChanges,
    actor: User,
    expected_version: int | None = None,
) -> Material:
    """Change one material of a visible job. 404 / 412 / 422 as usual."""
    material = get_visible_material(session, material_id=material_id, user=actor)
    check_version(material, expected_version)
    change_material(session, material, data.model_dump(exclude_unset=True), actor=actor)
    session.flush()
    return material


def change_material(
    session: Session,
    material: Material,
    changes: dict[str, Any],
    *,
    actor: User,
    version: int | None = None,
    locked: bool = False,
) -> dict[str, Any]:
    """Set a material's fields, versioned and logged; the purchase stamps follow
    ``purchased``. ``version``/``locked`` as for ``mark_written``. Does not flush."""
    return apply_changes(
        session,
        material,
        _with_stamps(material, changes, actor),
        actor=actor,
        entity="material",
        version=version,
        locked=locked,
    )


def bulk_update_materials(
    session: Session, *, ids: list[uuid.UUID], data: MaterialChanges, actor: User
) -> list[Material]:
    """Apply the same change to several materials, all or none.

    Any id that is missing, deleted or on a job the user cannot see: NotFound, and
    nothing changes. The result keeps the order of ``ids`` (repeats removed).
    """
    wanted = list(dict.fromkeys(ids))
    found = visible_materials(session, ids=wanted, user=actor)
    missing = [str(material_id) for material_id in wanted if material_id not in found]
    if missing:
        raise NotFound(
            "Material not found.", details=[{"field": "ids", "message": m} for m in missing]
        )
    requested = data.model_dump(exclude_unset=True)
    for material_id in wanted:
        change_material(session, found[material_id], requested, actor=actor)
    session.flush()
    return [found[material_id] for material_id in wanted]


def delete_material(
    session: Session, *, material_id: uuid.UUID, actor: User, expected_version: int | None = None
) -> Material:
    """Soft-delete a material (office only). A worker on the crew gets Forbidden."""
    material = get_visible_material(session, material_id=material_id, user=actor)
    require_office(actor, "delete materials")
    check_version(material, expected_version)
    soft_delete(session, material, actor=actor, entity="material")
    session.flush()
    return material
