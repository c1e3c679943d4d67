"""Shared API shapes: camelCase models, the record base, the success and error envelopes,
pagination and the one list shape.

Routes answer with ``JSONResponse`` bodies built by ``ok``/``page_response`` (those bytes are
the contract); the models here describe the same bodies in ``/api/openapi.json``.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from pydantic.alias_generators import to_camel

from khs_crm.api.envelope import STATUS_CODES, meta
from khs_crm.services.core.schemas import Language as Language  # the routes read it here
from khs_crm.services.core.schemas import NoNul as NoNul  # the routes read it here
from khs_crm.services.search.totals import TOTAL_CAP, is_capped

T = TypeVar("T")


class CamelModel(BaseModel):
    """JSON in camelCase, Python in snake_case; unknown fields are rejected (422)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True
    )

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class Meta(CamelModel):
    """When the answer was made, and the API's version."""

    timestamp: datetime
    version: str = Field(examples=["1.0"])


class Envelope(CamelModel, Generic[T]):
    """The success envelope: ``{"data": ..., "meta": {...}}``."""

    data: T
    meta: Meta


class Pagination(CamelModel):
    page: int = Field(ge=1)
    page_size: int = Field(ge=1, le=100)
    total: int = Field(ge=0, description="Exact up to 1,000; more than that reads as 1,000.")
    total_pages: int = Field(ge=0)
    total_capped: bool = Field(
        default=False,
        description=(
            "Present (true) only when more than 1,000 match: total and totalPages are then "
            "lower bounds, and pages past totalPages may still hold rows."
        ),
    )


class Page(CamelModel, Generic[T]):
    """The one list shape: ``{"data": [...], "pagination": {...}, "meta": {...}}``."""

    data: list[T]
    pagination: Pagination
    meta: Meta


class ErrorDetail(CamelModel):
    field: str
    message: str


ERROR_CODES: list[JsonValue] = [*sorted(set(STATUS_CODES.values()))]


class ErrorBody(CamelModel):
    code: str = Field(json_schema_extra={"enum": ERROR_CODES})
    message: str
    details: list[ErrorDetail]


class ErrorEnvelope(CamelModel):
    """The error envelope every refusal leaves in: ``{"error": {code, message, details}}``."""

    error: ErrorBody


class PageParams(BaseModel):
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=100)] = 25,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


def paginated(items: list[dict[str, Any]], *, params: PageParams, total: int) -> dict[str, Any]:
    """The one list shape: data + pagination; a total above TOTAL_CAP (a capped count, or
    an exact one) is answered as TOTAL_CAP with ``totalCapped: true``."""
    capped = is_capped(total)
    total = min(total, TOTAL_CAP)
    pagination: dict[str, Any] = {
        "page": params.page,
        "pageSize": params.page_size,
        "total": total,
        "totalPages": math.ceil(total / params.page_size) if total else 0,
    }
    if capped:
        pagination["totalCapped"] = True
    return {"data": items, "pagination": pagination}


class Resource(CamelModel):
    """What every stored record answers with."""

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


class Tombstone(CamelModel):
    """A soft-deleted record, as a delete answers it."""

    id: uuid.UUID
    version: int
    deleted_at: datetime


def page_response(items: list[dict[str, Any]], *, params: PageParams, total: int) -> JSONResponse:
    """A page of results in the one list shape, with the usual meta."""
    return JSONResponse({**paginated(items, params=params, total=total), "meta": meta()})


def deleted_json(row: Any) -> dict[str, Any]:
    """A tombstone as the API shows it."""
    return {"id": str(row.id), "version": row.version, "deletedAt": row.deleted_at.isoformat()}
