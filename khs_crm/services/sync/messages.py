"""Why device work was refused, as a code with parameters, and the words for it.

The code and its parameters are what the ledger and the conflict record keep; the sentence
is made when someone reads it, in the reader's language (``render``): the push answers a
phone in its user's language. Labels name things as people know them: "Quartz countertop
on Porch rebuild", not "a material".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from khs_crm.i18n import DEFAULT_LANGUAGE, N_, gettext
from khs_crm.models import Customer, Job, JobNote, Material, Photo
from khs_crm.services.jobs.workflow import LABELS

DELETED = "deleted_by_office"
OFFICE_STATUS_WINS = "office_status_wins"
MOVE_NOT_ALLOWED = "move_not_allowed"

TEMPLATES: dict[str, str] = {
    DELETED: N_("{label} was deleted by the office; your {attempt} was not applied."),
    OFFICE_STATUS_WINS: N_(
        "The office moved {label} to {current} after you did; your move to {wanted} was not "
        "applied."
    ),
    MOVE_NOT_ALLOWED: N_(
        "{label} cannot move from {current} to {wanted}; your move was not applied."
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
}


def label(session: Session, entity: str, row: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """A name a person recognises for a row, its job included for a job's parts."""
    job = session.get(Job, row.job_id) if row is not None and hasattr(row, "job_id") else None
    return _label(entity, row, job.title if job is not None else None, language)


def _label(entity: str, row: Any, job_title: str | None, language: str = DEFAULT_LANGUAGE) -> str:
    if row is None:
        return entity
    if entity == "customer":
        return row.name
    if entity == "job":
        return row.title
    if entity == "material":
        name = row.name
    elif entity == "photo":
        name = row.caption or gettext(N_("Photo"), language)
    else:
        name = gettext(N_("Note"), language)
    if job_title is None:
        return name
    return gettext(N_("{name} on {job}"), language, name=name, job=job_title)


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
    return out
