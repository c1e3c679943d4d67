"""The server half of sync: apply pushed operations exactly once, in server order.

One transaction per operation. A 1,000-operation push could be one transaction, but then one
bad operation, a lock wait or a crash would throw away (or hold up) all the others; per
operation, each acknowledged result is committed before the next starts, a crash mid-batch
loses nothing acknowledged, and the device's retry finds the committed ones in the ledger
(answered ``duplicate``) and applies only the rest.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from khs_crm.models import SyncOperation, User
from khs_crm.services.errors import ServiceError
from khs_crm.services.sync_apply import (
    MODELS,
    Operation,
    Refused,
    handler_for,
    reason_for_not_found,
    refused_conflict,
)
from khs_crm.services.sync_merge import payload_hash
from khs_crm.services.versioning import current_version

log = logging.getLogger("khs_crm.sync")


@dataclass
class OpResult:
    op_id: uuid.UUID
    status: str  # applied | duplicate | conflict | rejected
    version: int | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    entity: str = ""
    row: Any = None  # the server's row (for conflict / rejected / duplicate)
    error: dict[str, Any] | None = None

    def ledger(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "version": self.version,
            "conflicts": self.conflicts,
            "error": self.error,
        }


def _error(code: str, message: str, details: list | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or []}


def push(
    session: Session, *, user: User, client_id: str, operations: list[Operation]
) -> list[OpResult]:
    """Apply each operation in ``seq`` order; a bad one never fails the others."""
    ordered = sorted(operations, key=lambda op: op.seq)
    return [apply_one(session, user=user, client_id=client_id, op=op) for op in ordered]


def apply_one(session: Session, *, user: User, client_id: str, op: Operation) -> OpResult:
    """Apply one operation exactly once; its ledger row commits with the change."""
    digest = payload_hash(op.raw)
    earlier = session.get(SyncOperation, op.op_id)
    if earlier is not None:
        return _replay(session, earlier, op, digest)
    ledger = SyncOperation(
        op_id=op.op_id,
        client_id=client_id,
        user_id=user.id,
        seq=op.seq,
        payload_hash=digest,
        status="applied",
    )
    session.add(ledger)
    fill = _ledger_filler(ledger, op)
    event.listen(session, "before_commit", fill)
    try:
        row, conflicts = handler_for(op)(session, op, user)
        result = OpResult(
            op.op_id, "applied", row.version, _conflicts_json(conflicts), op.entity, row
        )
    except Refused as refused:
        session.rollback()
        if refused.field:
            session.add(refused_conflict(session, op, refused, user))
        result = OpResult(
            op.op_id,
            "conflict",
            refused.row.version,
            [],
            op.entity,
            refused.row,
            _error("CONFLICT", refused.message),
        )
    except ServiceError as exc:
        session.rollback()
        message = reason_for_not_found(session, op, user, exc)
        result = OpResult(
            op.op_id,
            "rejected",
            None,
            [],
            op.entity,
            _current_row(session, op),
            _error(exc.code, message, exc.details),
        )
    except IntegrityError:
        session.rollback()
        earlier = session.get(SyncOperation, op.op_id)
        if earlier is not None:  # the same op arrived twice at once: the other one won
            return _replay(session, earlier, op, digest)
        result = OpResult(
            op.op_id,
            "rejected",
            None,
            [],
            op.entity,
            None,
            _error("CONFLICT", "This change clashes with existing data."),
        )
    finally:
        event.remove(session, "before_commit", fill)
    return _record(session, ledger, result, user, client_id, op, digest)


def _ledger_filler(ledger: SyncOperation, op: Operation):
    """Write the applied result into the ledger row in the service's own commit."""
    model = MODELS.get(op.entity)

    def fill(session) -> None:
        for row in list(session.new) + list(session.dirty):
            if model is not None and isinstance(row, model) and row.id == op.entity_id:
                ledger.result = {
                    "status": "applied",
                    "version": row.version,
                    "conflicts": _conflicts_json(op.conflicts),
                    "error": None,
                }

    return fill


def _record(session, ledger, result, user, client_id, op, digest) -> OpResult:
    if result.status == "applied" and (ledger.result or {}).get("version") == result.version:
        return result  # already committed together with the change
    if result.status == "applied":
        ledger = session.get(SyncOperation, op.op_id) or ledger
    else:
        ledger = SyncOperation(
            op_id=op.op_id,
            client_id=client_id,
            user_id=user.id,
            seq=op.seq,
            payload_hash=digest,
            status=result.status,
        )
    ledger.status = result.status
    ledger.result = result.ledger()
    session.add(ledger)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        earlier = session.get(SyncOperation, op.op_id)
        if earlier is not None:
            return _replay(session, earlier, op, digest)
        raise
    return result


def _replay(session: Session, earlier: SyncOperation, op: Operation, digest: str) -> OpResult:
    if earlier.payload_hash != digest:
        return OpResult(
            op.op_id,
            "rejected",
            None,
            [],
            op.entity,
            None,
            _error("VALIDATION_ERROR", "This opId was already used for a different change."),
        )
    first = earlier.result or {}
    return OpResult(
        op.op_id,
        "duplicate",
        first.get("version"),
        first.get("conflicts") or [],
        op.entity,
        _current_row(session, op),
        first.get("error"),
    )


def _current_row(session: Session, op: Operation) -> Any:
    model = MODELS.get(op.entity)
    return session.get(model, op.entity_id) if model else None


def _conflicts_json(conflicts) -> list[dict[str, Any]]:
    from khs_crm.services.sync_apply import _jsonable

    return [
        {
            "field": c.field,
            "serverValue": _jsonable(c.server_value),
            "clientValue": _jsonable(c.client_value),
            "serverVersion": c.server_version,
        }
        for c in conflicts
    ]


@dataclass
class ClientStatus:
    cursor: int
    last_seq: int | None
    gaps: list[list[int]]


def client_status(session: Session, *, user: User, client_id: str) -> ClientStatus:
    """The server cursor, this client's last acknowledged seq and any gaps in its seqs."""
    ordered = (
        select(
            SyncOperation.seq,
            func.lag(SyncOperation.seq).over(order_by=SyncOperation.seq).label("prev"),
        )
        .where(SyncOperation.client_id == client_id, SyncOperation.user_id == user.id)
        .subquery()
    )
    jumps = session.exec(
        select(ordered.c.prev, ordered.c.seq).where(ordered.c.seq > ordered.c.prev + 1)
    ).all()
    last = session.exec(
        select(func.max(col(SyncOperation.seq))).where(
            SyncOperation.client_id == client_id, SyncOperation.user_id == user.id
        )
    ).one()
    gaps = [[prev + 1, seq - 1] for prev, seq in jumps]
    return ClientStatus(current_version(session), last, gaps)
