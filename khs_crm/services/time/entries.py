"""Time entries: a phone's punches (through sync) and the office's entries and edits (through
the API), each checked by the same rules (services/time/checks.py, rules.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, TimeEntry, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import get_visible_job, is_office
from khs_crm.services.core.common import check_version, mark_written, stamp_fields
from khs_crm.services.core.errors import Forbidden, NotFound, id_taken
from khs_crm.services.sync import messages
from khs_crm.services.time import checks, location, rules
from khs_crm.services.time.checks import TimeRefused
from khs_crm.services.time.schemas import TimeEntryChanges, TimeEntryCreate, TimeEntryEdit

ENTITY = "time_entry"
FAR = date(9000, 1, 1)  # later days read as this one (date arithmetic stays in range)
NOT_FOUND = messages.NOT_FOUND[ENTITY]
# What the activity log keeps of an entry (the times, as ISO text, and the job).
LOGGED = ("job_id", "started_at", "ended_at", "breaks", "note")


def get_entry(session: Session, *, entry_id: uuid.UUID, user: User) -> TimeEntry:
    """An entry the user may see (the office: all; a worker: their own), deleted ones too."""
    entry = session.get(TimeEntry, entry_id)
    if entry is None or not (is_office(user) or entry.user_id == user.id):
        raise NotFound(NOT_FOUND)
    return entry


def _person(session: Session, user_id: uuid.UUID) -> User:
    person = session.get(User, user_id)
    if person is None:
        raise NotFound("Person not found.")
    return person


def create_entry(
    session: Session, *, data: TimeEntryCreate, actor: User, by_device: bool
) -> TimeEntry:
    """A new entry. From a device (``by_device``): the actor's own, on a job they may see,
    its times the device's, stamped with where they were if they share it (``data`` a
    ``DeviceTimeCreate``); from the office: anyone's, on any live job. Refused (409) when
    its times do not fit, are ahead of the server's clock or overlap the person's others;
    a device's punch into an approved week is refused with ``keep`` (kept for the office)."""
    if by_device and data.user_id != actor.id:
        raise Forbidden(messages.render(messages.TIME_NOT_YOURS, {}))
    if not by_device:
        _person(session, data.user_id)
    get_visible_job(session, job_id=data.job_id, user=actor)
    if data.id is not None and session.get(TimeEntry, data.id) is not None:
        raise id_taken()
    now = utcnow()
    breaks = [rules.Break(b.started_at, b.ended_at) for b in data.breaks]
    checks.check_times(data.started_at, data.ended_at, breaks, now)
    entry = TimeEntry(
        id=data.id or uuid.uuid4(),
        user_id=data.user_id,
        job_id=data.job_id,
        started_at=data.started_at,
        ended_at=data.ended_at,
        breaks=rules.breaks_json(breaks),
        note=data.note,
        received_at=now,
        source="device" if by_device else "office",
        created_by=actor.id,
    )
    for name, value in (location.stamp_fields(session, data, actor) if by_device else {}).items():
        setattr(entry, name, value)
    approved = checks.week_approved(session, entry.user_id, entry.started_at)
    if by_device and approved:
        checks.check_week(session, entry, entry.started_at)
    checks.check_overlap(session, entry, by_device=by_device)
    entry.approved = approved
    late = [rules.LATE] if by_device and rules.synced_late(entry.ended_at, now) else []
    entry.flags = _flags(entry, *late, *([rules.AFTER_APPROVAL] if approved else []))
    mark_written(session, entry)
    activity.record(
        session,
        actor=actor,
        entity=ENTITY,
        entity_id=entry.id,
        action=ActivityAction.create,
        changes=activity.created({name: _logged(getattr(entry, name)) for name in LOGGED}),
        job_id=entry.job_id,
    )
    session.flush()
    return entry


def device_update(
    session: Session, *, entry: TimeEntry, changes: TimeEntryChanges, actor: User
) -> TimeEntry:
    """A phone's change to its user's own entry (clock out, a break, a note, where they
    were: ``changes`` a ``DeviceTimeChanges``). Into an approved week: refused and kept for
    the office."""
    if entry.user_id != actor.id:
        raise NotFound(NOT_FOUND)
    if changes.user_id is not None and changes.user_id != actor.id:
        raise Forbidden(messages.render(messages.TIME_NOT_YOURS, {}))
    fields = {**_fields(changes), **location.stamp_fields(session, changes, actor)}
    if "job_id" in fields and fields["job_id"] != entry.job_id:
        get_visible_job(session, job_id=fields["job_id"], user=actor)
    checks.check_week(session, entry, entry.started_at, fields.get("started_at", entry.started_at))
    return _change(session, entry, fields, actor=actor, by_device=True)


def office_edit(
    session: Session,
    *,
    entry_id: uuid.UUID,
    data: TimeEntryEdit,
    actor: User,
    expected_version: int | None = None,
) -> TimeEntry:
    """The office's edit of anyone's entry, with its reason (logged with the old and new
    times). Flags it ``edited``, and ``after_approval`` in an approved week."""
    entry = get_entry(session, entry_id=entry_id, user=actor)
    if entry.deleted_at is not None:
        raise NotFound(NOT_FOUND)
    check_version(entry, expected_version)
    fields = _fields(
        TimeEntryChanges.model_validate(data.model_dump(exclude={"reason"}, exclude_unset=True))
    )
    if "user_id" in fields:
        _person(session, fields["user_id"])
    if "job_id" in fields:
        get_visible_job(session, job_id=fields["job_id"], user=actor)
    return _change(session, entry, fields, actor=actor, by_device=False, reason=data.reason)


def _fields(changes: TimeEntryChanges) -> dict[str, Any]:
    fields = changes.model_dump(exclude_unset=True, exclude=set(location.STAMPS))
    if "breaks" in fields:
        breaks = [rules.Break(b.started_at, b.ended_at) for b in changes.breaks or []]
        fields["breaks"] = rules.breaks_json(breaks)
    return fields


def _change(
    session: Session,
    entry: TimeEntry,
    fields: dict[str, Any],
    *,
    actor: User,
    by_device: bool,
    reason: str | None = None,
) -> TimeEntry:
    old = {name: getattr(entry, name) for name in ("user_id", *LOGGED, *location.STAMPS)}
    changed = {name: value for name, value in fields.items() if old.get(name) != value}
    if not changed and by_device:
        return entry
    for name, value in changed.items():
        setattr(entry, name, value)
    now = utcnow()
    breaks = rules.breaks_of(entry.breaks)
    checks.check_times(entry.started_at, entry.ended_at, breaks, now)
    checks.check_overlap(session, entry, by_device=by_device)
    approved = checks.week_approved(session, entry.user_id, entry.started_at)
    added = []
    if by_device and "ended_at" in changed and rules.synced_late(entry.ended_at, now):
        added.append(rules.LATE)
    if not by_device:
        added.append(rules.EDITED)
        if approved or entry.approved:
            added.append(rules.AFTER_APPROVAL)
    entry.approved = approved
    entry.flags = _flags(entry, *added)
    mark_written(session, entry)
    stamp_fields(entry, changed)
    log = activity.diff({n: (_logged(old[n]), _logged(v)) for n, v in changed.items()})
    if reason is not None:
        log["reason"] = {"old": None, "new": reason}
    activity.record(
        session,
        actor=actor,
        entity=ENTITY,
        entity_id=entry.id,
        action=ActivityAction.update,
        changes=log,
        job_id=entry.job_id,
    )
    session.flush()
    return entry


def _flags(entry: TimeEntry, *added: str) -> list[str]:
    state = rules.state_flags(entry.started_at, entry.ended_at, utcnow(), checks.timezone())
    events = [flag for flag in entry.flags or [] if flag in rules.EVENT_FLAGS]
    return rules.with_flags(events, *added, *state)


def _logged(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value.isoformat() if isinstance(value, datetime) else value


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Company days ``first``..``last`` (inclusive) as UTC times [from, to)."""
    tz = checks.timezone()
    first = min(first, FAR) if first else None
    last = min(last, FAR) if last else None
    start = rules.local_midnight(first, tz) if first else None
    end = rules.local_midnight(last + timedelta(days=1), tz) if last else None
    return start, end


def list_entries(
    session: Session,
    *,
    user: User,
    user_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    first: date | None = None,
    last: date | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[TimeEntry], int]:
    """Live entries starting in company days ``first``..``last``, oldest first (a worker:
    only their own, whatever ``user_id`` asks)."""
    query = select(TimeEntry).where(col(TimeEntry.deleted_at).is_(None))
    if not is_office(user):
        user_id = user.id if user_id in (None, user.id) else uuid.UUID(int=0)
    if user_id is not None:
        query = query.where(TimeEntry.user_id == user_id)
    if job_id is not None:
        query = query.where(TimeEntry.job_id == job_id)
    start, end = day_bounds(first, last)
    if start is not None:
        query = query.where(col(TimeEntry.started_at) >= start)
    if end is not None:
        query = query.where(col(TimeEntry.started_at) < end)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(TimeEntry.started_at), col(TimeEntry.id)).offset(offset).limit(limit)
    ).all()
    return list(rows), total


__all__ = [
    "TimeRefused",
    "create_entry",
    "device_update",
    "get_entry",
    "list_entries",
    "office_edit",
]
