"""/api routes for customers: list, search, read, write, CSV export and import."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field

from khs_crm.api.deps import CurrentUser, IfMatch, OfficeUser, SessionDep
from khs_crm.api.envelope import ApiError, ok
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    CamelModel,
    Envelope,
    Page,
    PageParams,
    page_params,
    page_response,
)
from khs_crm.db import session_scope
from khs_crm.models import Customer
from khs_crm.services.customers import csv_transfer as customer_csv
from khs_crm.services.customers import service as customers
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.customers.search import MAX_QUERY_LENGTH

router = APIRouter(tags=["customers"])

Paging = Annotated[PageParams, Depends(page_params)]
SORT_NAMES = {
    "name": "name",
    "-name": "-name",
    "updatedAt": "updated_at",
    "-updatedAt": "-updated_at",
}
Sort = Annotated[Literal["name", "-name", "updatedAt", "-updatedAt"], Query()]
SearchText = Annotated[str, Query(max_length=MAX_QUERY_LENGTH)]


class CustomerPublic(CamelModel):
    """A customer as the API shows it."""

    id: uuid.UUID
    name: str
    phone: str
    email: str
    address: str
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime


class Imported(CamelModel):
    imported: int = Field(description="How many customers were added.")


class CustomerDeleted(CamelModel):
    id: uuid.UUID
    version: int
    deleted: bool


def customer_json(customer: Customer) -> dict[str, Any]:
    return CustomerPublic.model_validate(customer).dump()


def _one(customer: Customer, status: int = 200) -> JSONResponse:
    response = ok(customer_json(customer), status)
    response.headers["ETag"] = f'"{customer.version}"'
    if status == 201:
        response.headers["Location"] = f"/api/customers/{customer.id}"
    return response


def _page(rows: list[Customer], total: int, params: PageParams) -> JSONResponse:
    return page_response([customer_json(c) for c in rows], params=params, total=total)


@router.get("/customers", response_model=Page[CustomerPublic], responses=errors(*SIGNED_IN, 422))
def list_customers(
    user: CurrentUser, session: SessionDep, params: Paging, sort: Sort = "name"
) -> JSONResponse:
    """Customers the caller may see (workers: those of their jobs), one page."""
    rows, total = customers.list_customers(
        session, user=user, page=params.page, page_size=params.page_size, sort=SORT_NAMES[sort]
    )
    return _page(rows, total, params)


@router.get(
    "/customers/search", response_model=Page[CustomerPublic], responses=errors(*SIGNED_IN, 422)
)
def search_customers(
    user: CurrentUser, session: SessionDep, params: Paging, q: SearchText
) -> JSONResponse:
    """Customers whose name, phone, email or address contain every word of ``q``."""
    rows, total = customers.search_customers(
        session, user=user, q=q, page=params.page, page_size=params.page_size
    )
    return _page(rows, total, params)


@router.get(
    "/customers/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV download"},
        **errors(*SIGNED_IN, 404),
    },
)
def export_customers(user: OfficeUser) -> StreamingResponse:
    """Every customer as a spreadsheet-safe CSV download (office only).

    The rows are read while the response streams, so the stream has its own session (the
    request's transaction has ended by then)."""

    def chunks() -> Iterator[str]:
        with session_scope() as session:
            yield from customer_csv.export_customers_csv(session, actor=user)

    filename = f"customers-{datetime.now(UTC):%Y-%m-%d}.csv"
    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/customers/import",
    status_code=201,
    response_model=Envelope[Imported],
    responses=errors(*WRITE, *BODY, 404),
)
def import_customers(
    user: OfficeUser, session: SessionDep, file: Annotated[UploadFile, File()]
) -> JSONResponse:
    """Add the customers of an uploaded CSV: every row valid, or nothing imported."""
    content = file.file.read(customer_csv.MAX_IMPORT_BYTES + 1)
    if len(content) > customer_csv.MAX_IMPORT_BYTES:
        raise ApiError(413, "The file is larger than 5 MB.")
    imported = customer_csv.import_customers_csv(session, content=content, actor=user)
    return ok({"imported": imported}, 201)


@router.post(
    "/customers",
    status_code=201,
    response_model=Envelope[CustomerPublic],
    responses=errors(*WRITE, *BODY, 409),
)
def create_customer(user: CurrentUser, session: SessionDep, body: CustomerCreate) -> JSONResponse:
    """Add a customer (office only)."""
    return _one(customers.create_customer(session, data=body, actor=user), 201)


@router.get(
    "/customers/{customer_id}",
    response_model=Envelope[CustomerPublic],
    responses=errors(*SIGNED_IN, 404, 422),
)
def get_customer(customer_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """One customer the caller may see."""
    return _one(customers.get_customer(session, customer_id=customer_id, user=user))


@router.put(
    "/customers/{customer_id}",
    response_model=Envelope[CustomerPublic],
    responses=errors(*WRITE, *BODY, 404, 412),
)
def update_customer(
    customer_id: uuid.UUID,
    body: CustomerUpdate,
    user: CurrentUser,
    session: SessionDep,
    if_match: IfMatch,
) -> JSONResponse:
    """Change the fields sent, leave the others (office only); honours If-Match."""
    customer = customers.update_customer(
        session, customer_id=customer_id, changes=body, actor=user, expected_version=if_match
    )
    return _one(customer)


@router.delete(
    "/customers/{customer_id}",
    response_model=Envelope[CustomerDeleted],
    responses=errors(*WRITE, 404, 412, 422),
)
def delete_customer(
    customer_id: uuid.UUID, user: CurrentUser, session: SessionDep, if_match: IfMatch
) -> JSONResponse:
    """Soft-delete a customer (office only); the customer's jobs stay."""
    customer = customers.delete_customer(
        session, customer_id=customer_id, actor=user, expected_version=if_match
    )
    return ok({"id": str(customer.id), "version": customer.version, "deleted": True})
