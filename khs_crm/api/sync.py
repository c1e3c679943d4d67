"""/api/sync: push device operations, pull changes, status and the conflict review."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError

from khs_crm.api.body_limits import SYNC_PUSH_LIMIT
from khs_crm.api.change_orders import change_order_json
from khs_crm.api.customers import customer_json
from khs_crm.api.deps import CurrentUser, OfficeUser, SessionDep
from khs_crm.api.envelope import ApiError, ok
from khs_crm.api.jobs import job_json
from khs_crm.api.materials import material_json
from khs_crm.api.notes import note_json
from khs_crm.api.openapi import json_body
from khs_crm.api.photos import photo_json
from khs_crm.api.responses import BODY, SIGNED_IN, WRITE, errors
from khs_crm.api.schemas import (
    CamelModel,
    Envelope,
    NoNul,
    Page,
    PageParams,
    page_params,
    page_response,
)
from khs_crm.api.sync_shapes import ConflictOut, Pulled, Pushed, SyncStatus, conflict_json
from khs_crm.api.time_entries import time_entry_json
from khs_crm.i18n import N_, gettext
from khs_crm.models.base import utcnow
from khs_crm.services.core.errors import error_details
from khs_crm.services.core.versioning import current_version
from khs_crm.services.sync import conflicts as sync_conflicts
from khs_crm.services.sync import pull as sync_pull
from khs_crm.services.sync import push as sync_service
from khs_crm.services.sync.apply import Operation
from khs_crm.settings import get_settings

# What a malformed operation is answered with (in the pusher's language).
NOT_VALID = N_("This operation is not valid.")
router = APIRouter(prefix="/sync", tags=["sync"])

MAX_OPERATIONS = 500
MAX_INT = 2**31 - 1  # versions and seqs are 32-bit integer columns


class PushOperation(CamelModel):
    op_id: uuid.UUID
    seq: int = Field(ge=0, le=MAX_INT)
    entity: Literal[
        "customer", "job", "material", "note", "photo", "time_entry", "change_order", "user"
    ]
    entity_id: uuid.UUID
    action: Literal["create", "update", "delete"]
    changes: dict[str, Any] = Field(default_factory=dict)
    base_version: int | None = Field(default=None, ge=0, le=MAX_INT)
    client_timestamp: str | None = Field(default=None, max_length=64)


class PushBody(CamelModel):
    client_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    operations: list[dict[str, Any]] = Field(
        max_length=MAX_OPERATIONS,
        description=(
            "Each {opId, seq, entity, entityId, action, changes, baseVersion, clientTimestamp};"
            " one that is not valid is answered `rejected`, the others still apply. A device"
            " changes its own user only: `user`/`update` with `{language, shareLocation}`."
            " Its user's time: `time_entry` create/update (docs/time.md). Change orders:"
            " `change_order` create/update (docs/change_orders.md)."
        ),
    )


class Resolution(CamelModel):
    keep: Literal["server", "client"]


def row_json(entity: str, row: Any, context: sync_pull.RowContext) -> dict[str, Any]:
    """A row as the REST API shows it (tombstones too); ``context``: the crews and authors
    of the page's rows, looked up beforehand for all of them at once."""
    if entity == "customer":
        return customer_json(row)
    if entity == "job":
        return job_json(row, context.crews[row.id])
    if entity == "material":
        return material_json(row)
    if entity == "note":
        return note_json(row, context.authors.get(row.author_id) if row.author_id else None)
    if entity == "time_entry":
        return time_entry_json(row)
    if entity == "change_order":
        return change_order_json(row)
    return photo_json(row)


def _with_deleted(data: dict[str, Any], row: Any) -> dict[str, Any]:
    deleted = getattr(row, "deleted_at", None)
    data["deletedAt"] = deleted.isoformat() if deleted else None
    return data


def _shows_row(result: sync_service.OpResult) -> bool:
    return result.status != "applied" and result.row is not None


def _result_json(result: sync_service.OpResult, context: sync_pull.RowContext) -> dict[str, Any]:
    server_row = None
    if _shows_row(result):
        server_row = _with_deleted(row_json(result.entity, result.row, context), result.row)
    return {
        "opId": str(result.op_id),
        "status": result.status,
        "version": result.version,
        "conflicts": result.conflicts,
        "serverRow": server_row,
        "error": result.error,
        "conflictId": str(result.conflict_id) if result.conflict_id else None,
    }


def _parse_operations(
    raw_ops: list[dict[str, Any]], language: str
) -> tuple[list[Operation], list[dict]]:
    """The operations to apply, and an answer for each malformed one (in the pusher's words)."""
    parsed: list[Operation] = []
    bad: list[dict[str, Any]] = []
    for index, raw in enumerate(raw_ops):
        try:
            op = PushOperation.model_validate(raw)
        except ValidationError as exc:
            op_id = raw.get("opId") if isinstance(raw, dict) else None
            details = error_details(exc.errors(), prefix=f"operations[{index}].", language=language)
            bad.append(
                {
                    "opId": op_id,
                    "status": "rejected",
                    "version": None,
                    "conflicts": [],
                    "serverRow": None,
                    "error": {
                        "code": "VALIDATION_ERROR",
                        "message": gettext(NOT_VALID, language),
                        "details": details,
                    },
                }
            )
            continue
        parsed.append(
            Operation(
                op.op_id,
                op.seq,
                op.entity,
                op.entity_id,
                op.action,
                op.changes,
                op.base_version,
                raw,
            )
        )
    return parsed, bad


@router.post(
    "/push",
    response_model=Envelope[Pushed],
    responses=errors(*WRITE, *BODY),
    openapi_extra=json_body(PushBody),
)
async def push(request: Request, user: CurrentUser, session: SessionDep) -> JSONResponse:
    """Apply a device's operations exactly once; one result per operation."""
    body = await request.body()
    if len(body) > SYNC_PUSH_LIMIT:
        raise ApiError(413, "A push may carry at most 5 MB; send fewer operations at a time.")
    try:
        data = PushBody.model_validate_json(body)
    except ValidationError as exc:
        details = error_details(exc.errors())
        raise ApiError(422, "The push is not valid.", details=details) from exc
    operations, bad = _parse_operations(data.operations, user.language)

    def work() -> list[dict[str, Any]]:
        results = sync_service.push(
            session, user=user, client_id=data.client_id, operations=operations
        )
        shown = [(r.entity, r.row) for r in results if _shows_row(r)]
        context = sync_pull.row_context(session, shown)
        return [_result_json(r, context) for r in results]

    results = await run_in_threadpool(work)
    cursor = await run_in_threadpool(current_version, session)
    return ok({"results": results + bad, "cursor": cursor})


@router.get("/pull", response_model=Envelope[Pulled], responses=errors(*SIGNED_IN, 422))
def pull(
    user: CurrentUser,
    session: SessionDep,
    cursor: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=10000)] = 500,
    scope: Annotated[Literal["week", "all"], Query()] = "week",
) -> JSONResponse:
    """Every change the user may see after ``cursor``, in version order."""
    page = sync_pull.pull(
        session, user=user, cursor=cursor, limit=limit, scope=scope, tz_name=get_settings().timezone
    )
    changes = []
    for change in page.changes:
        row = None
        if change.row is not None:
            row = _with_deleted(row_json(change.entity, change.row, page.context), change.row)
        changes.append(
            {
                "entity": change.entity,
                "entityId": str(change.entity_id),
                "action": change.action,
                "version": change.version,
                "row": row,
            }
        )
    return ok({"changes": changes, "cursor": page.cursor, "hasMore": page.has_more})


@router.get("/status", response_model=Envelope[SyncStatus], responses=errors(*SIGNED_IN, 422))
def status(
    user: CurrentUser,
    session: SessionDep,
    client_id: Annotated[str, Query(alias="clientId", max_length=64), NoNul] = "",
) -> JSONResponse:
    """Server cursor and time, this client's last acknowledged seq, open conflicts."""
    info = sync_service.client_status(session, user=user, client_id=client_id)
    return ok(
        {
            "cursor": info.cursor,
            "serverTime": utcnow().isoformat(),
            "lastAckedSeq": info.last_seq,
            "seqGaps": info.gaps,
            "openConflicts": sync_conflicts.open_count(session, user=user),
        }
    )


@router.get("/conflicts", response_model=Page[ConflictOut], responses=errors(*SIGNED_IN, 422))
def conflicts(
    user: CurrentUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    state: Annotated[Literal["open", "all"], Query()] = "open",
) -> JSONResponse:
    """Sync conflicts for review (office: all of them; a worker: their own)."""
    rows, total = sync_conflicts.list_conflicts(
        session, user=user, open_only=state == "open", offset=params.offset, limit=params.page_size
    )
    context = sync_conflicts.describe(session, rows)
    items = [conflict_json(c, context, user.language) for c in rows]
    return page_response(items, params=params, total=total)


@router.post(
    "/conflicts/{conflict_id}/resolve",
    response_model=Envelope[ConflictOut],
    responses=errors(*WRITE, *BODY, 404, 409, 412),
)
def resolve(
    conflict_id: uuid.UUID, body: Resolution, user: OfficeUser, session: SessionDep
) -> JSONResponse:
    """Keep the server's or the device's value."""
    row = sync_conflicts.resolve(session, conflict_id=conflict_id, keep=body.keep, actor=user)
    return ok(conflict_json(row, sync_conflicts.describe(session, [row])))
