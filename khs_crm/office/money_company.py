"""The company settings page: the settings as its form shows them, and the form read back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from khs_crm.i18n import N_
from khs_crm.models import CompanySettings
from khs_crm.services.core.errors import ValidationFailed, error_details
from khs_crm.services.money.documents import number_text
from khs_crm.services.money.schemas import CompanyUpdate

TEXTS = ("name", "address", "phone", "estimate_prefix", "invoice_prefix")
RATES = ("default_tax_rate", "deposit_percent")
DAYS = ("estimate_valid_days", "payment_terms_days")
SAID = {
    "default_tax_rate": N_(
        "Enter a percentage from 0 to 100 with at most 3 decimals, such as 8.25."
    ),
    "deposit_percent": N_("Enter a percentage from 0 to 100 with at most 3 decimals, such as 30."),
    "estimate_valid_days": N_("Enter a whole number of days from 0 to 3650."),
    "payment_terms_days": N_("Enter a whole number of days from 0 to 3650."),
    "estimate_prefix": N_("Use up to 10 letters, digits or dashes."),
    "invoice_prefix": N_("Use up to 10 letters, digits or dashes."),
}


class CompanyView(BaseModel):
    name: str = ""
    address: str = ""
    phone: str = ""
    default_tax_rate: str = ""
    estimate_valid_days: str = ""
    payment_terms_days: str = ""
    deposit_percent: str = ""
    estimate_prefix: str = ""
    invoice_prefix: str = ""
    version: int = 0


def company_view(company: CompanySettings) -> CompanyView:
    return CompanyView(
        **{name: getattr(company, name) for name in TEXTS},
        **{name: number_text(getattr(company, name)) or "0" for name in RATES},
        **{name: str(getattr(company, name)) for name in DAYS},
        version=company.version,
    )


def _days(text: str) -> Any:
    cleaned = text.strip()
    return int(cleaned) if cleaned.isdigit() and len(cleaned) < 6 else cleaned


def company_update(form: dict[str, Any]) -> CompanyUpdate:
    """The form's fields as a settings change; ValidationFailed names each field to fix."""
    values: dict[str, Any] = {}
    for name in TEXTS:
        values[name] = str(form.get(name, "")).strip()
    for name in RATES:
        values[name] = str(form.get(name, "")).strip().rstrip("%").strip() or "0"
    for name in DAYS:
        values[name] = _days(str(form.get(name, "")))
    try:
        return CompanyUpdate.model_validate(values)
    except ValidationError as exc:
        details = [
            {"field": d["field"], "message": SAID.get(d["field"], d["message"])}
            for d in error_details(exc.errors())
        ]
        raise ValidationFailed(N_("Some settings need fixing."), details=details) from exc
