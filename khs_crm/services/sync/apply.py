"""Apply one device operation through the same domain services the REST API uses."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import (
    ActivityLog,
    Job,
    JobAssignment,
    SyncConflict,
    User,
)
from khs_crm.services.change_orders import service as change_orders
from khs_crm.services.change_orders.refusals import ChangeOrderRefused
from khs_crm.services.change_orders.schemas import DeviceChangeOrder
from khs_crm.services.core.access import is_office
from khs_crm.services.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    error_details,
)
from khs_crm.services.customers import service as customers
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.jobs import materials, notes, workflow
from khs_crm.services.jobs import service as jobs
from khs_crm.services.sync import messages as sync_messages
from khs_crm.services.sync.merge import FieldConflict, merge_fields, worker_status_refused
from khs_crm.services.time import entries as time_entries
from khs_crm.services.time.checks import TimeRefused
from khs_crm.services.time.schemas import DeviceTimeChanges, DeviceTimeCreate

MODELS = sync_messages.MODELS
NOT_FOUND = sync_messages.NOT_FOUND


@dataclass
class Operation:
    op_id: uuid.UUID
    seq: int
    entity: str
    entity_id: uuid.UUID
    action: str
    changes: dict[str, Any]
    base_version: int | None
    raw: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)


class Refused(Exception):
    """A rule refused the operation (status ``conflict``); ``row`` is what stands.

    ``kind`` is ``deleted`` (an edit of a row the office deleted) or ``refused`` (a move a
    rule refused); ``reason`` and ``params`` say why (services/sync/messages.py);
    ``field``/``client_value`` name the refused field change, if one.
    """

    def __init__(
        self,
        row: Any,
        *,
        kind: str,
        reason: str,
        params: dict[str, Any],
        field: str = "",
        client_value: Any = None,
    ) -> None:
        self.message = sync_messages.render(reason, params)
        super().__init__(self.message)
        self.row = row
        self.kind = kind
        self.reason = reason
        self.params = params
        self.field = field
        self.client_value = client_value


Rules = TypeVar("Rules", bound=BaseModel)


def _parse(model: type[Rules], data: dict[str, Any]) -> Rules:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        raise ValidationFailed(
            N_("The change is not valid."), details=error_details(errors), errors=list(errors)
        ) from exc


def _existing(session: Session, op: Operation, user: User) -> Any:
    """The row the operation targets; refuses edits to deleted rows.

    Visibility first: a row the user may not see is answered exactly as one that does not
    exist (NotFound, the same words), before any other rule looks at it.
    """
    row = session.get(MODELS[op.entity], op.entity_id)
    if row is None or not _may_see(session, op.entity, row, user):
        raise NotFound(NOT_FOUND.get(op.entity, NOT_FOUND["row"]))
    if row.deleted_at is not None:
        params = {
            "label": sync_messages.label(session, op.entity, row),
            "attempt": sync_messages.attempt(op.entity, op.changes),
        }
        raise Refused(row, kind="deleted", reason=sync_messages.DELETED, params=params)
    return row


def visible_row(session: Session, op: Operation, user: User) -> Any:
    """The operation's row as it stands, if the user may see it (None otherwise)."""
    model = MODELS.get(op.entity)
    row = session.get(model, op.entity_id) if model else None
    return row if row is not None and _may_see(session, op.entity, row, user) else None


def _may_see(session: Session, entity: str, row: Any, user: User) -> bool:
    """Whether the user may see this row, deleted or not (a worker: their jobs' rows)."""
    if entity == "time_entry":  # a person's own time (the office: everyone's)
        return is_office(user) or row.user_id == user.id
    if is_office(user):
        return True
    if entity == "customer":
        job_ids = session.exec(select(Job.id).where(Job.customer_id == row.id)).all()
        return any(_assigned(session, job_id, user) for job_id in job_ids)
    return _assigned(session, row.id if entity == "job" else row.job_id, user)


def _assigned(session: Session, job_id: uuid.UUID, user: User) -> bool:
    return session.get(JobAssignment, (job_id, user.id)) is not None


def _merged(op: Operation, row: Any, changes: dict[str, Any]):
    """The changes merged with the row's fields: what to apply, what clashed."""
    current = {name: getattr(row, name) for name in changes}
    return merge_fields(
        changes=changes,
        current=current,
        field_versions=row.field_versions or {},
        base_version=op.base_version,
    )


def _merge(session: Session, op: Operation, row: Any, changes: dict[str, Any], user: User):
    to_apply, conflicts = _merged(op, row, changes)
    for conflict in conflicts:
        session.add(_conflict_row(session, op, conflict, user))
    op.conflicts = conflicts
    return to_apply, conflicts


def refused_conflict(session: Session, op: Operation, refused: Refused, user: User) -> SyncConflict:
    """The record of refused device work for the office: every field the device sent, the
    one at issue (if one) with both values, and why."""
    row = refused.row  # None: a refused create (a time entry's punch) has no row
    name = refused.field
    server_value = getattr(row, name) if name and row is not None else None
    version = 0 if row is None else row.version
    if name and row is not None:
        version = (row.field_versions or {}).get(name, row.version)
    conflict = FieldConflict(name, server_value, refused.client_value, version)
    record = _conflict_row(session, op, conflict, user)
    record.kind = refused.kind
    record.changes = {key: _jsonable(value) for key, value in op.changes.items()}
    record.reason = refused.reason
    record.params = refused.params
    return record


def _conflict_row(session: Session, op: Operation, c: FieldConflict, user: User) -> SyncConflict:
    return SyncConflict(
        kind="field",
        changes={key: _jsonable(value) for key, value in op.changes.items()},
        entity=op.entity,
        entity_id=op.entity_id,
        field=c.field,
        server_value=_jsonable(c.server_value),
        client_value=_jsonable(c.client_value),
        server_version=c.server_version,
        server_user_id=_last_writer(session, op.entity, op.entity_id, c.field),
        client_user_id=user.id,
        op_id=op.op_id,
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _last_writer(session: Session, entity: str, entity_id: uuid.UUID, name: str):
    rows = session.exec(
        select(ActivityLog.actor_id, ActivityLog.changes)
        .where(ActivityLog.entity == entity, ActivityLog.entity_id == entity_id)
        .order_by(col(ActivityLog.created_at).desc())
        .limit(50)
    ).all()
    return next((actor for actor, changes in rows if name in (changes or {})), None)


# Customers --------------------------------------------------------------------------------


def _customer_create(session: Session, op: Operation, user: User):
    data = _parse(CustomerCreate, {**op.changes, "id": str(op.entity_id)})
    return customers.create_customer(session, data=data, actor=user), []


def _customer_update(session: Session, op: Operation, user: User):
    row = _existing(session, op, user)
    data = _parse(CustomerUpdate, op.changes).model_dump(exclude_unset=True)
    to_apply, conflicts = _merge(session, op, row, data, user)
    row = customers.update_customer(
        session, customer_id=row.id, changes=CustomerUpdate(**to_apply), actor=user
    )
    return row, conflicts


def _customer_delete(session: Session, op: Operation, user: User):
    return customers.delete_customer(session, customer_id=op.entity_id, actor=user), []


# Jobs -------------------------------------------------------------------------------------


def _job_create(session: Session, op: Operation, user: User):
    data = _parse(jobs.JobCreate, {**op.changes, "id": str(op.entity_id)})
    return jobs.create_job(session, data=data, actor=user), []


def _job_update(session: Session, op: Operation, user: User):
    row = _existing(session, op, user)
    changes = dict(op.changes)
    status = changes.pop("status", None)
    data = _parse(jobs.JobUpdate, changes).model_dump(exclude_unset=True)
    if status is not None:
        _check_status(session, op, row, status, user)
    to_apply, conflicts = _merge(session, op, row, data, user)
    if to_apply:  # the title and the status of one operation share one new version
        row = jobs.update_job(session, job_id=row.id, data=jobs.JobUpdate(**to_apply), actor=user)
    if status is not None and status != row.status:
        row = workflow.change_status(session, job_id=row.id, status=status, actor=user)
    return row, conflicts


def _check_status(session: Session, op: Operation, job: Job, status: Any, user: User) -> None:
    params = {"label": job.title, "current": str(job.status), "wanted": str(status)}
    if worker_status_refused(
        actor_is_office=is_office(user),
        base_version=op.base_version,
        status_version=job.status_version,
        status_changed_by_office=job.status_changed_by_office,
    ):
        raise Refused(
            job,
            kind="refused",
            reason=sync_messages.OFFICE_STATUS_WINS,
            params=params,
            field="status",
            client_value=status,
        )
    if status == job.status:
        return
    try:
        workflow.check_move(job.status, status, user.role)
    except (Conflict, Forbidden) as exc:
        raise Refused(
            job,
            kind="refused",
            reason=sync_messages.MOVE_NOT_ALLOWED,
            params=params,
            field="status",
            client_value=status,
        ) from exc


def _job_delete(session: Session, op: Operation, user: User):
    return jobs.delete_job(session, job_id=op.entity_id, actor=user), []


# Materials and notes ----------------------------------------------------------------------


def _job_of(op: Operation) -> tuple[uuid.UUID, dict[str, Any]]:
    """A create's job id, and its other fields."""
    changes = dict(op.changes)
    job_id = changes.pop("jobId", None)
    if job_id is None:
        raise ValidationFailed(
            "jobId is required.", details=[{"field": "jobId", "message": "required"}]
        )
    return _uuid(job_id), changes


def material_item(op: Operation) -> tuple[uuid.UUID, materials.MaterialCreate]:
    """A material create's job id and validated fields (ValidationFailed if not valid)."""
    job_id, changes = _job_of(op)
    return job_id, _parse(materials.MaterialCreate, {**changes, "id": str(op.entity_id)})


def _material_create(session: Session, op: Operation, user: User):
    job_id, item = material_item(op)
    (row,) = materials.add_materials(session, job_id=job_id, items=[item], actor=user)
    return row, []


def material_changes(op: Operation, row: Any) -> tuple[dict[str, Any], list[FieldConflict]]:
    """A material edit's validated fields merged with the row: what to apply, what clashed."""
    return _merged(op, row, _material_fields(op))


def _material_fields(op: Operation) -> dict[str, Any]:
    return _parse(materials.MaterialChanges, op.changes).model_dump(exclude_unset=True)


def _material_update(session: Session, op: Operation, user: User):
    row = _existing(session, op, user)
    to_apply, conflicts = _merge(session, op, row, _material_fields(op), user)
    row = materials.update_material(
        session, material_id=row.id, data=materials.MaterialChanges(**to_apply), actor=user
    )
    return row, conflicts


def _material_delete(session: Session, op: Operation, user: User):
    return materials.delete_material(session, material_id=op.entity_id, actor=user), []


def _note_create(session: Session, op: Operation, user: User):
    job_id, changes = _job_of(op)
    data = _parse(notes.NoteCreate, {**changes, "id": str(op.entity_id)})
    return notes.add_note(session, job_id=job_id, data=data, actor=user), []


def _not_supported(session: Session, op: Operation, user: User):
    raise ValidationFailed(f"A device cannot {op.action} a {op.entity}.")


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed(
            "jobId must be a UUID.", details=[{"field": "jobId", "message": "not a UUID"}]
        ) from exc


Handler = Callable[[Session, Operation, User], tuple[Any, list[FieldConflict]]]

HANDLERS: dict[tuple[str, str], Handler] = {
    ("customer", "create"): _customer_create,
    ("customer", "update"): _customer_update,
    ("customer", "delete"): _customer_delete,
    ("job", "create"): _job_create,
    ("job", "update"): _job_update,
    ("job", "delete"): _job_delete,
    ("material", "create"): _material_create,
    ("material", "update"): _material_update,
    ("material", "delete"): _material_delete,
    ("note", "create"): _note_create,
}


def handler_for(op: Operation) -> Handler:
    """The function that applies this kind of operation."""
    return HANDLERS.get((op.entity, op.action), _not_supported)


# Photos: a device changes captions and tags, the office deletes; files go through /api ----


def _photo_update(session: Session, op: Operation, user: User):
    from khs_crm.services.photos import service as photos

    row = _existing(session, op, user)
    data = _parse(photos.PhotoChanges, op.changes).model_dump(exclude_unset=True)
    to_apply, conflicts = _merge(session, op, row, data, user)
    row = photos.update_photo(
        session, photo_id=row.id, data=photos.PhotoChanges(**to_apply), actor=user
    )
    return row, conflicts


def _photo_delete(session: Session, op: Operation, user: User):
    from khs_crm.services.photos import service as photos

    return photos.delete_photo(session, photo_id=op.entity_id, actor=user), []


HANDLERS[("photo", "update")] = _photo_update
HANDLERS[("photo", "delete")] = _photo_delete


# The person themself: a phone changes only its user's own settings (offline): the language
# and whether their clock-ins carry where they are (services/time/location.py) -------------
OWN_SETTINGS = {"language": str, "shareLocation": bool}


def _own_settings(session: Session, op: Operation, user: User):
    from khs_crm.services.auth import users
    from khs_crm.services.time import location

    if op.entity_id != user.id:
        raise NotFound("This user does not exist.")
    if not op.changes or not set(op.changes) <= set(OWN_SETTINGS):
        raise ValidationFailed(
            "A device changes only its user's language and location choice.",
            details=[{"field": "changes", "message": "only language, shareLocation"}],
        )
    for name, kind in OWN_SETTINGS.items():
        if name in op.changes and not isinstance(op.changes[name], kind):
            raise ValidationFailed(
                f"{name} must be a {kind.__name__}.",
                details=[{"field": name, "message": kind.__name__}],
            )
    if "language" in op.changes:
        user = users.set_own_language(session, actor=user, language=op.changes["language"])
    if "shareLocation" in op.changes:
        user = location.set_share_location(session, actor=user, share=op.changes["shareLocation"])
    return user, []


HANDLERS[("user", "update")] = _own_settings


# Time entries: a phone clocks its own user in and out (services/time/) ----------------------


def _time_refused(op: Operation, row: Any, exc: TimeRefused) -> Exception:
    """A punch a rule refused: kept for the office (``Refused``) when ``exc.keep``, else the
    rule's own refusal (rejected, with its reason)."""
    if not exc.keep:
        return exc
    return Refused(row, kind="refused", reason=exc.reason, params=exc.params)


def _time_create(session: Session, op: Operation, user: User):
    data = _parse(DeviceTimeCreate, {**op.changes, "id": str(op.entity_id)})
    try:
        return time_entries.create_entry(session, data=data, actor=user, by_device=True), []
    except TimeRefused as exc:
        raise _time_refused(op, None, exc) from exc


def _time_update(session: Session, op: Operation, user: User):
    row = _existing(session, op, user)
    changes = _parse(DeviceTimeChanges, op.changes)
    try:
        return time_entries.device_update(session, entry=row, changes=changes, actor=user), []
    except TimeRefused as exc:
        raise _time_refused(op, row, exc) from exc


HANDLERS[("time_entry", "create")] = _time_create
HANDLERS[("time_entry", "update")] = _time_update


# Change orders: a phone writes them up and the customer signs them there (services/change_orders)


def _co_refused(row: Any, exc: ChangeOrderRefused) -> Refused:
    """A change-order rule's refusal, kept for the office (a signed one edited, a signature
    over changed content): the customer's signature and the crew's work are never lost."""
    params = exc.params if row is not None else {"label": sync_messages.NEW_CHANGE_ORDER}
    return Refused(row, kind="refused", reason=exc.reason, params=params, field=exc.field)


def _co_create(session: Session, op: Operation, user: User):
    data = _parse(DeviceChangeOrder, op.changes)
    if data.job_id is None:
        raise ValidationFailed(
            "jobId is required.", details=[{"field": "jobId", "message": "required"}]
        )
    try:
        row = change_orders.create_change_order(
            session, job_id=data.job_id, data=data, actor=user, change_order_id=op.entity_id
        )
    except ChangeOrderRefused as exc:
        raise _co_refused(None, exc) from exc
    return row, []


def _co_update(session: Session, op: Operation, user: User):
    row = _existing(session, op, user)
    try:
        data = _parse(DeviceChangeOrder, op.changes)
        return change_orders.device_update(session, row=row, data=data, actor=user), []
    except ChangeOrderRefused as exc:
        raise _co_refused(row, exc) from exc
    except ValidationFailed as exc:
        if row.status != "draft":  # anything sent to a signed one is kept, valid or not
            raise _co_refused(row, change_orders.frozen(row)) from exc
        raise


HANDLERS[("change_order", "create")] = _co_create
HANDLERS[("change_order", "update")] = _co_update
