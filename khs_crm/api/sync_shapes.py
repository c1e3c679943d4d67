"""What /api/sync answers, as /api/openapi.json describes it (most bodies are built in sync.py;
a conflict's here, beside its shape)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from khs_crm.api.change_orders import ChangeOrderOut
from khs_crm.api.customers import CustomerPublic
from khs_crm.api.jobs import JobOut
from khs_crm.api.materials import MaterialOut
from khs_crm.api.notes import NoteOut
from khs_crm.api.photos import PhotoOut
from khs_crm.api.schemas import CamelModel, ErrorDetail
from khs_crm.api.time_entries import TimeEntryOut
from khs_crm.models import SyncConflict
from khs_crm.services.sync import conflicts as sync_conflicts
from khs_crm.services.sync import messages as sync_messages

Entity = Literal["customer", "job", "material", "note", "photo", "time_entry", "change_order"]


class CustomerRow(CustomerPublic):
    deleted_at: datetime | None


class JobRow(JobOut):
    deleted_at: datetime | None


class MaterialRow(MaterialOut):
    deleted_at: datetime | None


class NoteRow(NoteOut):
    deleted_at: datetime | None


class PhotoRow(PhotoOut):
    deleted_at: datetime | None


class TimeEntryRow(TimeEntryOut):
    deleted_at: datetime | None


class ChangeOrderRow(ChangeOrderOut):
    deleted_at: datetime | None


# A row as its own route shows it, tombstones too (``deletedAt``).
SyncRow = CustomerRow | JobRow | MaterialRow | NoteRow | PhotoRow | TimeEntryRow | ChangeOrderRow


class FieldConflict(CamelModel):
    """A field the device overwrote although the server had changed it since its base."""

    field: str
    server_value: Any
    client_value: Any
    server_version: int


class OpError(CamelModel):
    """Why an operation was refused; ``reason`` + ``params`` for a rule's refusal."""

    code: str
    message: str
    details: list[ErrorDetail]
    reason: str | None = None
    params: dict[str, Any] | None = None


class OpResult(CamelModel):
    op_id: Any = Field(description="The operation's opId, as sent.")
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None
    conflicts: list[FieldConflict]
    server_row: SyncRow | None
    error: OpError | None
    conflict_id: uuid.UUID | None = Field(
        default=None, description="The record kept for the office (status conflict)."
    )


class Pushed(CamelModel):
    results: list[OpResult]
    cursor: int


class Change(CamelModel):
    entity: Entity
    entity_id: uuid.UUID
    action: Literal["upsert", "delete", "remove"]
    version: int
    row: SyncRow | None


class Pulled(CamelModel):
    changes: list[Change]
    cursor: int
    has_more: bool


class SyncStatus(CamelModel):
    cursor: int
    server_time: datetime
    last_acked_seq: int | None
    seq_gaps: list[list[int]] = Field(description="[first, last] seqs never received.")
    open_conflicts: int


class ConflictOut(CamelModel):
    """A sync conflict kept for review."""

    id: uuid.UUID
    entity: Entity
    entity_id: uuid.UUID
    field: str
    kind: Literal["field", "deleted", "refused"]
    server_value: Any
    client_value: Any
    server_version: int
    server_user_id: uuid.UUID | None
    server_user_name: str | None
    client_user_id: uuid.UUID
    client_user_name: str | None
    op_id: uuid.UUID
    created_at: datetime
    resolved_at: datetime | None
    resolution: Literal["server", "client"] | None
    label: str
    changes: dict[str, Any]
    reason: str | None
    params: dict[str, Any]
    message: str | None


def conflict_json(
    c: SyncConflict, context: sync_conflicts.ConflictContext, language: str = "en"
) -> dict[str, Any]:
    """A conflict as the review answers it (ConflictOut); ``context``: names and labels;
    ``message`` in the reader's ``language``."""
    names = context.names
    return {
        "id": str(c.id),
        "entity": c.entity,
        "entityId": str(c.entity_id),
        "field": c.field,
        "kind": c.kind,
        "serverValue": c.server_value,
        "clientValue": c.client_value,
        "serverVersion": c.server_version,
        "serverUserId": str(c.server_user_id) if c.server_user_id else None,
        "serverUserName": names.get(c.server_user_id) if c.server_user_id else None,
        "clientUserId": str(c.client_user_id),
        "clientUserName": names.get(c.client_user_id),
        "opId": str(c.op_id),
        "createdAt": c.created_at.isoformat(),
        "resolvedAt": c.resolved_at.isoformat() if c.resolved_at else None,
        "resolution": c.resolution or None,
        "label": context.labels[(c.entity, c.entity_id)],
        "changes": c.changes or {},
        "reason": c.reason or None,
        "params": c.params or {},
        "message": sync_messages.render(c.reason, c.params or {}, language) if c.reason else None,
    }
