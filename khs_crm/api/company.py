"""/api company: the company's settings (name, address, tax, numbering, terms) and its
logo as the documents print it. Office only (a worker gets 404); the owner changes them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.envelope import ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import CamelModel, Envelope
from khs_crm.models import CompanySettings
from khs_crm.services.core.errors import NotFound
from khs_crm.services.money import company as company_service
from khs_crm.services.money.documents import number_text
from khs_crm.services.money.logo import LOGO_TYPE, logo_bytes
from khs_crm.services.money.schemas import CompanyUpdate

router = APIRouter(tags=["money"])


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
