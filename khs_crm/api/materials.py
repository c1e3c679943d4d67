"""/api materials: each job's checklist, for the office and the crew on the job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, TypeAdapter, ValidationError

from khs_crm.api.deps import CurrentUser, IfMatch, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.openapi import json_body
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope, Resource, Tombstone, deleted_json
from khs_crm.models import Material
from khs_crm.services.jobs import materials as material_service
from khs_crm.services.jobs.materials import MaterialChanges, MaterialCreate

router = APIRouter(tags=["materials"])

MAX_BATCH = 200
_ONE = TypeAdapter(MaterialCreate)
_MANY = TypeAdapter(Annotated[list[MaterialCreate], Field(min_length=1, max_length=MAX_BATCH)])
# What the body may be, for /api/openapi.json (the route validates it itself, as _ONE or _MANY).
_ONE_OR_MANY = (
    MaterialCreate | Annotated[list[MaterialCreate], Field(min_length=1, max_length=MAX_BATCH)]
)


class MaterialOut(Resource):
    job_id: uuid.UUID
    name: str
    quantity: float
    unit: str
    supplier: str
    purchased: bool
    purchased_at: datetime | None
    purchased_by: uuid.UUID | None
    notes: str


class BulkUpdate(CamelModel):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    changes: MaterialChanges


def material_json(material: Material) -> dict[str, Any]:
    return MaterialOut.model_validate(material).dump()


@router.get(
    "/jobs/{job_id}/materials",
    response_model=Envelope[list[MaterialOut]],
    responses=errors(*SIGNED_IN, 404, 422),
)
def list_materials(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """Every live material of a visible job, in the order they were added (not paged)."""
    rows = material_service.list_materials(session, job_id=job_id, user=user)
    return ok([material_json(m) for m in rows])


@router.post(
    "/jobs/{job_id}/materials",
    status_code=201,
    response_model=Envelope[MaterialOut | list[MaterialOut]],
    responses=errors(*WRITE, *BODY, 404, 409),
    openapi_extra=json_body(_ONE_OR_MANY),
)
def add_materials(
    job_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    body: Annotated[Any, Body(description="one material, or an array of up to 200")],
) -> JSONResponse:
    """Add one material (object in, object out) or several (array in, array out), all or none."""
    many = isinstance(body, list)
    try:
        items = _MANY.validate_python(body) if many else [_ONE.validate_python(body)]
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    created = material_service.add_materials(session, job_id=job_id, items=items, actor=user)
    data = [material_json(m) for m in created]
    return ok(data if many else data[0], 201)


@router.put(
    "/materials/bulk-update",
    response_model=Envelope[list[MaterialOut]],
    responses=errors(*WRITE, *BODY, 404, 412),
)
def bulk_update(body: BulkUpdate, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """The same change to several materials; any id not found: 404 and nothing changes."""
    rows = material_service.bulk_update_materials(
        session, ids=body.ids, data=body.changes, actor=user
    )
    return ok([material_json(m) for m in rows])


@router.put(
    "/materials/{material_id}",
    response_model=Envelope[MaterialOut],
    responses=errors(*WRITE, *BODY, 404, 412),
)
def update_material(
    material_id: uuid.UUID,
    body: MaterialChanges,
    user: CurrentUser,
    session: SessionDep,
    expected: IfMatch,
) -> JSONResponse:
    """Change some of a material's fields; ``purchased`` stamps who bought it and when."""
    material = material_service.update_material(
        session, material_id=material_id, data=body, actor=user, expected_version=expected
    )
    return ok(material_json(material))


@router.delete(
    "/materials/{material_id}",
    response_model=Envelope[Tombstone],
    responses=errors(*WRITE, 404, 412, 422),
)
def delete_material(
    material_id: uuid.UUID, user: CurrentUser, session: SessionDep, expected: IfMatch
) -> JSONResponse:
    """Soft-delete a material (office only)."""
    material = material_service.delete_material(
        session, material_id=material_id, actor=user, expected_version=expected
    )
    return ok(deleted_json(material))
