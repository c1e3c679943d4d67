"""/api CSV exports for the accountant: every invoice, every payment and refund, as files
named by the day (office only: a worker gets 404)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from khs_crm.api.deps import OfficeUser, SessionDep
from khs_crm.api.responses import SIGNED_IN, errors
from khs_crm.services.money import exports

router = APIRouter(tags=["money"])


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
