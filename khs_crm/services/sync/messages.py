"""Why device work was refused, as a code with parameters, and the words for it.

The code and its parameters are what the ledger and the conflict record keep; the sentence
is made when someone reads it, in the reader's language (``render``): the push answers a
phone in its user's language. Labels name things as people know them: "Quartz countertop
on Porch rebuild", not "a material".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from khs_crm.i18n import DEFAULT_LANGUAGE, N_, gettext
from khs_crm.models import (
    ChangeOrder,
    Customer,
    Job,
    JobNote,
    Material,
    Photo,
    SyncConflict,
    TimeEntry,
)
from khs_crm.services.jobs.workflow import LABELS
from khs_crm.settings import get_settings

DELETED = "deleted_by_office"
OFFICE_STATUS_WINS = "office_status_wins"
MOVE_NOT_ALLOWED = "move_not_allowed"
# The time clock's refusals (services/time/): params hold the other entry's job and its
# start and end as company-time text ("2026-12-01 08:00").
TIME_OVERLAP = "time_overlap"
TIME_OFFICE_OVERLAP = "time_office_overlap"
TIME_ALREADY_OPEN = "time_already_open"
TIME_WEEK_APPROVED = "time_week_approved"
TIME_IN_FUTURE = "time_in_future"
TIME_NOT_YOURS = "time_not_yours"
TIME_TIMES_INVALID = "time_times_invalid"
# Change orders (services/change_orders/): params hold the change order's label.
CO_SIGNED = "change_order_signed"
CO_CHANGED = "change_order_changed"
CO_PRICE_NOT_ALLOWED = "change_order_price_not_allowed"
# A change order refused before the server made its row (no number yet).
NEW_CHANGE_ORDER = N_("This change order")

TEMPLATES: dict[str, str] = {
    DELETED: N_("{label} was deleted by the office; your {attempt} was not applied."),
    OFFICE_STATUS_WINS: N_(
        "The office moved {label} to {current} after you did; your move to {wanted} was not "
        "applied."
    ),
    MOVE_NOT_ALLOWED: N_(
        "{label} cannot move from {current} to {wanted}; your move was not applied."
    ),
    TIME_OVERLAP: N_(
        "This time overlaps your time on {job} from {start} to {end}; it was not saved."
    ),
    TIME_OFFICE_OVERLAP: N_(
        "This time overlaps time the office entered for you on {job} from {start} to {end}; "
        "the office will review yours."
    ),
    TIME_ALREADY_OPEN: N_(
        "You are already clocked in on {job} since {start}; clock out of it first."
    ),
    TIME_WEEK_APPROVED: N_(
        "The week of {week} is already approved; your time on {job} was kept for the office "
        "to review."
    ),
    TIME_IN_FUTURE: N_(
        "This time ({time}) is ahead of the server's clock; check the phone's date and time."
    ),
    TIME_NOT_YOURS: N_("You can record only your own time."),
    TIME_TIMES_INVALID: N_(
        "These times do not fit together: a time ends before it starts or a break falls outside it."
    ),
    CO_SIGNED: N_(
        "{label} is signed and can no longer be changed; your change was kept for the office. "
        "Write a new change order for the correction."
    ),
    CO_CHANGED: N_(
        "{label} changed between what the customer read and the signature; the signature was "
        "not applied and was kept for the office to review."
    ),
    CO_PRICE_NOT_ALLOWED: N_(
        "You may not price change orders: leave the prices out and the office will price it."
    ),
}
NOT_APPLIED = N_("This change was not applied.")
# A row the device's user may not see is answered as one that does not exist, in these words.
NOT_FOUND = {
    "customer": N_("This customer does not exist."),
    "job": N_("This job does not exist."),
    "material": N_("This material does not exist."),
    "note": N_("This note does not exist."),
    "photo": N_("This photo does not exist."),
    "time_entry": N_("This time entry does not exist."),
    "change_order": N_("This change order does not exist."),
    "row": N_("This does not exist."),
}
CLASHES = N_("This change clashes with existing data.")
# What the device tried, in a word (kept as this English word in the params, shown in the
# reader's language).
ATTEMPTS = (N_("tick"), N_("untick"), N_("status change"), N_("change"))


def render(code: str, params: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    """The sentence for a refusal code, in the reader's language."""
    words = {}
    for key, value in params.items():
        if key in ("current", "wanted"):
            value = gettext(LABELS.get(value, value), language)
        elif key == "attempt" and value in ATTEMPTS:
            value = gettext(value, language)
        words[key] = value
    template = TEMPLATES.get(code)
    if template is None:
        return gettext(NOT_APPLIED, language)
    try:
        return gettext(template, language, **words)
    except (KeyError, IndexError):
        return gettext(NOT_APPLIED, language)


def attempt(entity: str, changes: dict[str, Any]) -> str:
    """What the device tried, in a word: tick, untick, status change, change."""
    if entity == "material" and changes.get("purchased") is True:
        return ATTEMPTS[0]
    if entity == "material" and changes.get("purchased") is False:
        return ATTEMPTS[1]
    if entity == "job" and "status" in changes:
        return ATTEMPTS[2]
    return ATTEMPTS[3]


MODELS: dict[str, type] = {
    "customer": Customer,
    "job": Job,
    "material": Material,
    "note": JobNote,
    "photo": Photo,
    "time_entry": TimeEntry,
    "change_order": ChangeOrder,
}


def label(session: Session, entity: str, row: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """A name a person recognises for a row, its job included for a job's parts."""
    job = session.get(Job, row.job_id) if row is not None and hasattr(row, "job_id") else None
    return _label(entity, row, job.title if job is not None else None, language)


def _label(entity: str, row: Any, job_title: str | None, language: str = DEFAULT_LANGUAGE) -> str:
    if row is None:
        return gettext(NEW_CHANGE_ORDER, language) if entity == "change_order" else entity
    if entity == "customer":
        return row.name
    if entity == "job":
        return row.title
    if entity == "time_entry":
        start = local_text(row.started_at)
        return (
            gettext(N_("Time from {start}"), language, start=start)
            if job_title is None
            else (gettext(N_("Time on {job} from {start}"), language, job=job_title, start=start))
        )
    if entity == "material":
        name = row.name
    elif entity == "change_order":
        name = gettext(N_("Change order {number}"), language, number=row.number)
    elif entity == "photo":
        name = row.caption or gettext(N_("Photo"), language)
    else:
        name = gettext(N_("Note"), language)
    if job_title is None:
        return name
    return gettext(N_("{name} on {job}"), language, name=name, job=job_title)


def local_text(moment: datetime | None) -> str:
    """A time as the company reads it: "2026-12-01 08:00" in the company's time zone."""
    if moment is None:
        return "…"
    return moment.astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%d %H:%M")


Ref = tuple[str, uuid.UUID]


def labels(session: Session, refs: Iterable[Ref]) -> dict[Ref, str]:
    """``label`` of each (entity, id), tombstones included, for a whole page at once: one
    query per kind of row, and one for the titles of their jobs."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for entity, entity_id in refs:
        wanted.setdefault(entity, set()).add(entity_id)
    rows: dict[Ref, Any] = {}
    for entity, ids in wanted.items():
        model: Any = MODELS.get(entity)
        if model is None:
            continue
        for row in session.exec(select(model).where(col(model.id).in_(ids))).all():
            rows[(entity, row.id)] = row
    job_ids = {row.job_id for row in rows.values() if hasattr(row, "job_id")}
    titles = dict(
        session.exec(select(Job.id, Job.title).where(col(Job.id).in_(job_ids))).all()
        if job_ids
        else []
    )
    out: dict[Ref, str] = {}
    for entity, ids in wanted.items():
        for entity_id in ids:
            row = rows.get((entity, entity_id))
            title = titles.get(row.job_id) if row is not None and hasattr(row, "job_id") else None
            out[(entity, entity_id)] = _label(entity, row, title)
    missing = {i for i in wanted.get("time_entry", ()) if ("time_entry", i) not in rows}
    out.update(_refused_punches(session, missing))
    return out


def _refused_punches(session: Session, ids: set[uuid.UUID]) -> dict[Ref, str]:
    """Labels of punches refused before they made a row: from what the device sent."""
    if not ids:
        return {}
    found = session.exec(
        select(SyncConflict.entity_id, SyncConflict.changes).where(
            SyncConflict.entity == "time_entry", col(SyncConflict.entity_id).in_(ids)
        )
    ).all()
    out: dict[Ref, str] = {}
    for entity_id, changes in found:
        sent = changes or {}
        try:
            job = session.get(Job, uuid.UUID(str(sent.get("jobId"))))
            start = datetime.fromisoformat(str(sent.get("startedAt")).replace("Z", "+00:00"))
        except ValueError:
            continue
        row = SimpleNamespace(started_at=start)
        out[("time_entry", entity_id)] = _label("time_entry", row, job.title if job else None)
    return out
