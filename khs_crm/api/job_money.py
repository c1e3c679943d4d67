"""/api job money: a job's money card (approved value, invoiced, paid, cost, margin) and what
its materials cost the company. Office only (a worker gets 404); amounts are strings."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.money import AMOUNT, Amount
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.models import Material
from khs_crm.services.jobs.materials import get_visible_material, list_materials
from khs_crm.services.money import summary
from khs_crm.services.money.documents import money_text
from khs_crm.services.money.schemas import UnitCostIn
from khs_crm.services.money.units import set_unit_cost, unit_costs

router = APIRouter(tags=["money"])


class JobMoneyOut(CamelModel):
    job_id: uuid.UUID
    approved_estimate_id: uuid.UUID | None
    approved_value: str = Amount()
    invoiced: str = Amount()
    paid: str = Amount()
    balance: str = Amount()
    materials_cost: str = Amount()
    labor_cost: str = Amount()
    margin: str = Amount()
    change_orders_value: str = Field(
        json_schema_extra=AMOUNT,
        description="Approved change orders' totals, included in approvedValue (approved "
        "estimate + change orders).",
    )


class MaterialCostOut(CamelModel):
    id: uuid.UUID
    job_id: uuid.UUID
    name: str
    quantity: float
    unit: str
    unit_cost: str | None
    cost: str | None = Field(description="quantity × unit cost, to the cent")


def _cost_json(material: Material, unit_cost: Decimal | None) -> dict[str, Any]:
    cost = None
    if unit_cost is not None:
        cost = summary.rules.line_amount(Decimal(str(material.quantity)), unit_cost)
    return {
        "id": str(material.id),
        "jobId": str(material.job_id),
        "name": material.name,
        "quantity": material.quantity,
        "unit": material.unit,
        "unitCost": money_text(unit_cost),
        "cost": money_text(cost),
    }


@router.get(
    "/jobs/{job_id}/money",
    response_model=Envelope[JobMoneyOut],
    responses=errors(*SIGNED_IN, 404, 422),
)
def job_money(job_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The job's money card: approved value, invoiced, paid, balance, cost and margin."""
    card = summary.job_money(session, job_id=job_id, user=user)
    return ok(
        {
            "jobId": str(job_id),
            "approvedEstimateId": str(card.approved_estimate_id)
            if card.approved_estimate_id
            else None,
            **{
                key: money_text(getattr(card, name))
                for key, name in (
                    ("approvedValue", "approved_value"),
                    ("invoiced", "invoiced"),
                    ("paid", "paid"),
                    ("balance", "balance"),
                    ("materialsCost", "materials_cost"),
                    ("laborCost", "labor_cost"),
                    ("margin", "margin"),
                    ("changeOrdersValue", "change_orders_value"),
                )
            },
        }
    )


@router.get(
    "/jobs/{job_id}/material-costs",
    response_model=Envelope[list[MaterialCostOut]],
    responses=errors(*SIGNED_IN, 404, 422),
)
def material_costs(job_id: uuid.UUID, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The job's materials with what each costs the company (office only)."""
    materials = list_materials(session, job_id=job_id, user=user)
    costs = unit_costs(session, [m.id for m in materials])
    return ok([_cost_json(m, costs.get(m.id)) for m in materials])


@router.put(
    "/materials/{material_id}/unit-cost",
    response_model=Envelope[MaterialCostOut],
    responses=errors(*WRITE, *BODY, 404),
)
def change_unit_cost(
    material_id: uuid.UUID, body: UnitCostIn, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Set what the company pays per unit of a material (null: unknown); logged."""
    material = get_visible_material(session, material_id=material_id, user=user)
    cost = set_unit_cost(session, material=material, unit_cost=body.unit_cost, actor=user)
    return ok(_cost_json(material, cost))
