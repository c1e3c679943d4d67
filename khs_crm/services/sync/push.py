"""The server half of sync: apply pushed operations exactly once, in server order.

One transaction per push, owned by the caller (the push route), and a savepoint per
operation: an operation and its ledger row (and any conflict record) are written together
or not at all; a refused or failing operation rolls back only its own savepoint. Nothing is
acknowledged before the commit: a crash mid-push loses the whole push, and the device's
retry applies it again (the ledger answers ``duplicate`` only for committed operations).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from khs_crm.i18n import gettext
from khs_crm.models import SyncOperation, User
from khs_crm.services.change_orders.prices import as_seen_by
from khs_crm.services.change_orders.refusals import PriceNotAllowed
from khs_crm.services.core.common import forget_written
from khs_crm.services.core.errors import NotFound, ServiceError
from khs_crm.services.core.versioning import current_version, lock_writes, reserve_versions
from khs_crm.services.jobs import materials
from khs_crm.services.ops import metrics as ops_metrics
from khs_crm.services.sync import messages as sync_messages
from khs_crm.services.sync.apply import (
    MODELS,
    Operation,
    Refused,
    handler_for,
    material_changes,
    material_item,
    refused_conflict,
    visible_row,
)
from khs_crm.services.sync.merge import payload_hash
from khs_crm.services.time.checks import TimeRefused

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
    conflict_id: uuid.UUID | None = None

    def ledger(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "version": self.version,
            "conflicts": self.conflicts,
            "error": self.error,
            "conflictId": str(self.conflict_id) if self.conflict_id else None,
        }


def _error(code: str, message: str, details: list | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or []}


def push(
    session: Session, *, user: User, client_id: str, operations: list[Operation]
) -> list[OpResult]:
    """Apply each operation in ``seq`` order; a bad one never fails the others.

    Takes the write lock first, so every row an operation reads is the committed one and no
    other writer changes it before this push commits. Does not commit.
    """
    lock_writes(session)
    ordered = sorted(operations, key=lambda op: op.seq)
    ledger = _ledger_rows(session, ordered)
    results: list[OpResult] = []
    done: set[uuid.UUID] = set()
    for run in _runs(ordered, ledger):
        applied = _apply_run(session, user, client_id, run) if len(run) > 1 else None
        if applied is None:  # one operation, or a run one of whose operations fails
            applied = []
            for op in run:
                new = op.op_id not in ledger and op.op_id not in done
                applied.append(apply_one(session, user=user, client_id=client_id, op=op, new=new))
                done.add(op.op_id)
        done.update(op.op_id for op in run)
        results.extend(applied)
    ops_metrics.sync_results(r.status for r in results)
    return _without_money(session, user, results)


def _without_money(session: Session, user: User, results: list[OpResult]) -> list[OpResult]:
    """Change orders sent back as this user may receive them (services/change_orders/prices)."""
    orders = [r for r in results if r.entity == "change_order" and r.row is not None]
    for result, row in zip(orders, as_seen_by(session, user, [r.row for r in orders]), strict=True):
        result.row = row
    return results


def _ledger_rows(session: Session, ops: list[Operation]) -> dict[uuid.UUID, SyncOperation]:
    """The ledger rows of the push's opIds that were applied before, in one query."""
    ids = list({op.op_id for op in ops})
    found = session.exec(select(SyncOperation).where(col(SyncOperation.op_id).in_(ids))).all()
    return {row.op_id: row for row in found}


def _runs(ops: list[Operation], ledger: dict[uuid.UUID, SyncOperation]) -> list[list[Operation]]:
    """The operations cut into runs that may be applied together: consecutive new material
    creates on one job (a list typed offline), consecutive edits of different materials
    (ticks as bought); every other operation alone."""
    runs: list[list[Operation]] = []
    last_key: str | None = None
    seen: set[uuid.UUID] = set()
    in_run: set[uuid.UUID] = set()
    for op in ops:
        key = _run_key(op, ledger, seen)
        seen.add(op.op_id)
        if key is not None and key == last_key and op.entity_id not in in_run:
            runs[-1].append(op)
        else:
            runs.append([op])
            in_run = set()
        in_run.add(op.entity_id)
        last_key = key
    return runs


def _run_key(op: Operation, ledger: dict, seen: set[uuid.UUID]) -> str | None:
    """What a run of this operation shares (a create's job); None: it goes alone."""
    if op.entity != "material" or op.op_id in ledger or op.op_id in seen:
        return None
    if op.action == "update":
        return "update"
    job_id = op.changes.get("jobId")
    return f"create {job_id}" if op.action == "create" and isinstance(job_id, str) else None


class _OneByOne(Exception):
    """An operation of a run needs its own answer (missing, deleted, merged with conflicts)."""


def _apply_run(
    session: Session, user: User, client_id: str, run: list[Operation]
) -> list[OpResult] | None:
    """Apply a run in one savepoint, its statements shared: creates take one visibility
    check, one id check and one block of versions; edits read their rows in one query.
    Each row still gets its own version, activity and ledger row, inserted together. None
    (and nothing written) when any operation of the run fails or needs its own answer: the
    caller then applies them one by one."""
    forget_written(session)
    apply = _create_materials if run[0].action == "create" else _edit_materials
    try:
        with session.begin_nested():
            results = apply(session, user, run)
            for op, result in zip(run, results, strict=True):
                _add_ledger(session, result, user, client_id, op, payload_hash(op.raw))
            session.flush()
    except (_OneByOne, ServiceError, IntegrityError):
        return None
    finally:
        forget_written(session)
    return results


def _create_materials(session: Session, user: User, run: list[Operation]) -> list[OpResult]:
    parsed = [material_item(op) for op in run]
    items = [item for _, item in parsed]
    rows = materials.add_materials(session, job_id=parsed[0][0], items=items, actor=user)
    return [
        OpResult(op.op_id, "applied", row.version, [], op.entity, row)
        for op, row in zip(run, rows, strict=True)
    ]


def _edit_materials(session: Session, user: User, run: list[Operation]) -> list[OpResult]:
    """Edits of materials read after the push took the writers' lock (no compare-and-swap
    needed); any missing, deleted or conflicting one sends the run back one by one."""
    found = materials.visible_materials(session, ids=[op.entity_id for op in run], user=user)
    versions = iter(reserve_versions(session, len(run)))
    results = []
    for op in run:
        row = found.get(op.entity_id)
        if row is None:
            raise _OneByOne
        to_apply, conflicts = material_changes(op, row)
        if conflicts:
            raise _OneByOne
        materials.change_material(
            session, row, to_apply, actor=user, version=next(versions), locked=True
        )
        results.append(OpResult(op.op_id, "applied", row.version, [], op.entity, row))
    return results


def apply_one(
    session: Session, *, user: User, client_id: str, op: Operation, new: bool = False
) -> OpResult:
    """Apply one operation exactly once, in its own savepoint, its ledger row beside it.

    ``new``: the caller already knows the opId has no ledger row (no lookup)."""
    digest = payload_hash(op.raw)
    earlier = None if new else session.get(SyncOperation, op.op_id)
    if earlier is not None:
        return _replay(session, earlier, op, digest)
    forget_written(session)  # each operation is one unit of work: one new version per row
    try:
        with session.begin_nested():
            result = _apply(session, op, user)
            _write_ledger(session, result, user, client_id, op, digest)
        return result
    except Refused as refused:
        forget_written(session)
        return _refused(session, refused, user, client_id, op, digest)
    except ServiceError as exc:
        forget_written(session)
        error = _error(exc.code, *exc.said(user.language))
        if isinstance(exc, TimeRefused | PriceNotAllowed):  # a rule's code, for the phone's words
            error |= {"reason": exc.reason, "params": exc.params}
        row = None if isinstance(exc, NotFound) else visible_row(session, op, user)
        result = OpResult(op.op_id, "rejected", None, [], op.entity, row, error)
    except IntegrityError:
        forget_written(session)
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
            _error("CONFLICT", gettext(sync_messages.CLASHES, user.language)),
        )
    with session.begin_nested():
        _write_ledger(session, result, user, client_id, op, digest)
    return result


def _apply(session: Session, op: Operation, user: User) -> OpResult:
    row, conflicts = handler_for(op)(session, op, user)
    session.flush()
    return OpResult(op.op_id, "applied", row.version, _conflicts_json(conflicts), op.entity, row)


def _refused(session, refused: Refused, user, client_id, op, digest) -> OpResult:
    """Keep refused work for the office and answer ``conflict`` with the record's id."""
    with session.begin_nested():
        record = refused_conflict(session, op, refused, user)
        session.add(record)
        error = _error("CONFLICT", _refusal_for(session, refused, op, user))
        error |= {"reason": refused.reason, "params": refused.params}
        version = refused.row.version if refused.row is not None else None
        result = OpResult(
            op.op_id, "conflict", version, [], op.entity, refused.row, error, record.id
        )
        _write_ledger(session, result, user, client_id, op, digest)
    return result


def _refusal_for(session: Session, refused: Refused, op: Operation, user: User) -> str:
    """The refusal's sentence in the pusher's language (the record keeps code and params)."""
    params = dict(refused.params)
    if "label" in params and op.entity != "job":
        params["label"] = sync_messages.label(session, op.entity, refused.row, user.language)
    return sync_messages.render(refused.reason, params, user.language)


def _write_ledger(session, result: OpResult, user, client_id, op, digest) -> None:
    _add_ledger(session, result, user, client_id, op, digest)
    session.flush()


def _add_ledger(session, result: OpResult, user, client_id, op, digest) -> None:
    session.add(
        SyncOperation(
            op_id=op.op_id,
            client_id=client_id,
            user_id=user.id,
            seq=op.seq,
            payload_hash=digest,
            status=result.status,
            result=result.ledger(),
        )
    )


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
    conflict_id = first.get("conflictId")
    return OpResult(
        op.op_id,
        "duplicate",
        first.get("version"),
        first.get("conflicts") or [],
        op.entity,
        _current_row(session, op) if first.get("status") != "rejected" else None,
        first.get("error"),
        uuid.UUID(conflict_id) if conflict_id else None,
    )


def _current_row(session: Session, op: Operation) -> Any:
    model = MODELS.get(op.entity)
    return session.get(model, op.entity_id) if model else None


def _conflicts_json(conflicts) -> list[dict[str, Any]]:
    from khs_crm.services.sync.apply import _jsonable

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
            func.lag(SyncOperation.seq).over(order_by=col(SyncOperation.seq)).label("prev"),
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
