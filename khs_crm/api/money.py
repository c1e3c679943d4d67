"""/api money shapes, and the money routes that are not an estimate's or an invoice's: the
company's settings, a job's money card, materials' unit costs, the accountant's CSV files.

Every money route is office-only: a worker gets 404, as for a route that does not exist.
Amounts are strings ("1234.50") both ways."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field
from pydantic.config import JsonDict

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.models import (
    CompanySettings,
    DocumentLine,
    Estimate,
    EstimateStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    Material,
    Payment,
    PaymentMethod,
)
from khs_crm.services.core.errors import NotFound
from khs_crm.services.jobs.materials import get_visible_material, list_materials
from khs_crm.services.money import company as company_service
from khs_crm.services.money import exports, summary
from khs_crm.services.money.documents import money_text, number_text
from khs_crm.services.money.estimates import status_of
from khs_crm.services.money.invoices import is_overdue
from khs_crm.services.money.logo import LOGO_TYPE, logo_bytes
from khs_crm.services.money.schemas import CompanyUpdate, UnitCostIn
from khs_crm.services.money.units import set_unit_cost, unit_costs

router = APIRouter(tags=["money"])
AMOUNT: JsonDict = {"examples": ["1234.50"], "pattern": r"^-?[0-9]+\.[0-9]{2}$"}


def Amount() -> Any:  # noqa: N802 (a field maker, read as a type)
    return Field(json_schema_extra=AMOUNT)


class LineOut(CamelModel):
    id: uuid.UUID
    kind: LineKind
    description: str
    quantity: str
    unit: str
    unit_price: str = Amount()
    taxable: bool
    amount: str = Amount()
    source_line_id: uuid.UUID | None


class DocumentOut(CamelModel):
    id: uuid.UUID
    job_id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    tax_rate: str
    notes: str
    lines: list[LineOut]
    subtotal: str = Amount()
    tax: str = Amount()
    total: str = Amount()
    version: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    deleted_at: datetime | None
    link_active: bool = Field(description="Whether the customer link works (see /send).")


class Approval(CamelModel):
    name: str
    at: datetime


class EstimateOut(DocumentOut):
    status: EstimateStatus
    valid_until: date | None
    revises_id: uuid.UUID | None
    approval: Approval | None
    declined_at: datetime | None
    decline_reason: str | None


class InvoiceOut(DocumentOut):
    kind: InvoiceKind
    status: InvoiceStatus
    estimate_id: uuid.UUID | None
    percent: str | None
    due_date: date | None
    paid: str = Amount()
    balance: str = Amount()
    overdue: bool


class LinkOut(CamelModel):
    url: str = Field(description="The customer's link; shown once (sending again makes a new one).")


class SentEstimate(CamelModel):
    estimate: EstimateOut
    link: LinkOut


class SentInvoice(CamelModel):
    invoice: InvoiceOut
    link: LinkOut


class PaymentOut(CamelModel):
    id: uuid.UUID
    invoice_id: uuid.UUID
    amount: str = Amount()
    method: PaymentMethod
    received_at: datetime
    reference: str
    created_at: datetime


class PaymentResult(CamelModel):
    payment: PaymentOut
    invoice: InvoiceOut


class CompanyOut(CamelModel):
    name: str
    address: str
    phone: str
    default_tax_rate: str
    estimate_valid_days: int
    payment_terms_days: int
    deposit_percent: str
    estimate_prefix: str
    invoice_prefix: str
    version: int


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


def line_json(line: DocumentLine) -> dict[str, Any]:
    return {
        "id": str(line.id),
        "kind": str(line.kind),
        "description": line.description,
        "quantity": number_text(line.quantity),
        "unit": line.unit,
        "unitPrice": money_text(line.unit_price),
        "taxable": line.taxable,
        "amount": money_text(line.amount),
        "sourceLineId": str(line.source_line_id) if line.source_line_id else None,
    }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _document_json(doc: Estimate | Invoice, lines: list[DocumentLine]) -> dict[str, Any]:
    return {
        "id": str(doc.id),
        "jobId": str(doc.job_id),
        "customerId": str(doc.customer_id),
        "number": doc.number,
        "taxRate": number_text(doc.tax_rate),
        "notes": doc.notes,
        "lines": [line_json(line) for line in lines],
        "subtotal": money_text(doc.subtotal),
        "tax": money_text(doc.tax),
        "total": money_text(doc.total),
        "version": doc.version,
        "createdAt": _iso(doc.created_at),
        "updatedAt": _iso(doc.updated_at),
        "sentAt": _iso(doc.sent_at),
        "deletedAt": _iso(doc.deleted_at),
        "linkActive": doc.link_hash is not None,
    }


def estimate_json(estimate: Estimate, lines: list[DocumentLine]) -> dict[str, Any]:
    approval = None
    if estimate.approved_at is not None:
        approval = {"name": estimate.approved_name or "", "at": _iso(estimate.approved_at)}
    return {
        **_document_json(estimate, lines),
        "status": str(status_of(estimate)),
        "validUntil": _iso(estimate.valid_until),
        "revisesId": str(estimate.revises_id) if estimate.revises_id else None,
        "approval": approval,
        "declinedAt": _iso(estimate.declined_at),
        "declineReason": estimate.decline_reason,
    }


def invoice_json(invoice: Invoice, lines: list[DocumentLine]) -> dict[str, Any]:
    return {
        **_document_json(invoice, lines),
        "kind": str(invoice.kind),
        "status": str(invoice.status),
        "estimateId": str(invoice.estimate_id) if invoice.estimate_id else None,
        "percent": number_text(invoice.percent),
        "dueDate": _iso(invoice.due_date),
        "paid": money_text(invoice.paid),
        "balance": money_text(invoice.total - invoice.paid),
        "overdue": is_overdue(invoice),
    }


def payment_json(payment: Payment) -> dict[str, Any]:
    return {
        "id": str(payment.id),
        "invoiceId": str(payment.invoice_id),
        "amount": money_text(payment.amount),
        "method": str(payment.method),
        "receivedAt": _iso(payment.received_at),
        "reference": payment.reference,
        "createdAt": _iso(payment.created_at),
    }


def _company_json(company: CompanySettings) -> dict[str, Any]:
    return {
        "name": company.name,
        "address": company.address,
        "phone": company.phone,
        "defaultTaxRate": number_text(company.default_tax_rate),
        "estimateValidDays": company.estimate_valid_days,
        "paymentTermsDays": company.payment_terms_days,
        "depositPercent": number_text(company.deposit_percent),
        "estimatePrefix": company.estimate_prefix,
        "invoicePrefix": company.invoice_prefix,
        "version": company.version,
    }


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


@router.get("/company", response_model=Envelope[CompanyOut], responses=errors(*SIGNED_IN, 404))
def read_company(user: OfficeUser, session: SessionDep) -> JSONResponse:
    """The company's settings (office); the defaults until the owner first saves them."""
    return ok(_company_json(company_service.get_company(session)))


@router.put("/company", response_model=Envelope[CompanyOut], responses=errors(*WRITE, *BODY, 404))
def change_company(body: CompanyUpdate, user: OfficeUser, session: SessionDep) -> JSONResponse:
    """Change the company's settings (owner only: an admin gets 403); the fields sent, the
    rest stay."""
    company = company_service.update_company(session, data=body, actor=user)
    return ok(_company_json(company))


@router.get("/company/logo", include_in_schema=False)
def company_logo(user: OfficeUser) -> Response:
    """The company's logo as the documents print it (a PNG; office only, documented in
    docs/money.md); 404 when there is none. Its address carries the company's version."""
    data = logo_bytes()
    if data is None:
        raise NotFound("The company has no logo.")
    return Response(data, media_type=LOGO_TYPE, headers={"Cache-Control": "private, max-age=300"})


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


def _download(chunks: Any, name: str) -> StreamingResponse:
    filename = f"{name}-{datetime.now(UTC):%Y-%m-%d}.csv"
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV download"}
}


@router.get(
    "/invoices/export.csv",
    response_class=StreamingResponse,
    responses={**CSV, **errors(*SIGNED_IN, 404)},
)
def export_invoices(user: OfficeUser, session: SessionDep) -> StreamingResponse:
    """Every invoice for the accountant: date, number, customer, amounts, tax, status."""
    return _download(exports.invoices_csv(session), "invoices")


@router.get(
    "/payments/export.csv",
    response_class=StreamingResponse,
    responses={**CSV, **errors(*SIGNED_IN, 404)},
)
def export_payments(user: OfficeUser, session: SessionDep) -> StreamingResponse:
    """Every payment and refund for the accountant: date, invoice, customer, amount, method,
    reference."""
    return _download(exports.payments_csv(session), "payments")
