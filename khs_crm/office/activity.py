"""The activity log and the sync conflicts, written as sentences a person can read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import (
    ActivityLog,
    ChangeOrder,
    Customer,
    Estimate,
    Invoice,
    Job,
    JobNote,
    JobStatus,
    Material,
    Payment,
    Photo,
    TimeEntry,
    User,
)
from khs_crm.office.views import status_label, when
from khs_crm.services.core.activity import SYSTEM_FIELDS

ENTITIES = ("customer", "job", "material", "note", "photo", "user", "payment", "time_entry")
# Numbered documents: named by their number ("E-0001"), each on a job, each with its page.
DOCUMENTS: dict[str, tuple[Any, str]] = {
    "estimate": (Estimate, "/estimates/"),
    "invoice": (Invoice, "/invoices/"),
    "change_order": (ChangeOrder, "/change-orders/"),
}
KIND_WORDS = {
    "change_order": N_("change order"),
    "time_entry": N_("time entry"),
    "time_settings": N_("time settings"),
    "company": N_("company settings"),
}
# Rows without a page of their own open the screen that holds them.
NAMELESS = ("payment", "time_settings", "company", "time_entry", "timesheet")
SCREENS = {
    "user": "/people",
    "time_entry": "/timesheets",
    "timesheet": "/timesheets",
    "time_settings": "/timesheets",
    "company": "/settings/company",
}
FIELD_NAMES = {
    "scheduled_start": N_("start"),
    "scheduled_end": N_("end"),
    "site_address": N_("site address"),
    "assigned_user_ids": N_("crew"),
    "customer_id": N_("customer"),
}
SHORT = 40


class ActivityRow(BaseModel):
    id: str
    when: str
    who: str
    summary: str
    href: str


@dataclass
class Labels:
    """Names of everything a page of activity mentions, loaded in a few queries."""

    names: dict[uuid.UUID, str] = field(default_factory=dict)
    job_of: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    users: dict[uuid.UUID, str] = field(default_factory=dict)
    # A payment opens its invoice.
    invoice_of: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    def of(self, entity_id: uuid.UUID) -> str:
        return self.names.get(entity_id, "")


def _load(session: Session, model, columns, ids: set[uuid.UUID]) -> list[tuple]:
    if not ids:
        return []
    return list(session.exec(select(*columns).where(col(model.id).in_(list(ids)))).all())


def load_labels(session: Session, refs: list[tuple[str, uuid.UUID]], user_ids: set) -> Labels:
    by_kind: dict[str, set[uuid.UUID]] = {kind: set() for kind in ENTITIES}
    for kind, entity_id in refs:
        by_kind.setdefault(kind, set()).add(entity_id)
    labels = Labels()
    for row_id, name in _load(session, Customer, (Customer.id, Customer.name), by_kind["customer"]):
        labels.names[row_id] = name
    for kind, model in (("material", Material), ("note", JobNote), ("photo", Photo)):
        for row in _load(session, model, (model.id, model.job_id), by_kind[kind]):
            labels.job_of[row[0]] = row[1]
    for row_id, name in _load(session, Material, (Material.id, Material.name), by_kind["material"]):
        labels.names[row_id] = name
    _load_money_and_time(session, by_kind, labels)
    job_ids = by_kind["job"] | set(labels.job_of.values())
    for row_id, title in _load(session, Job, (Job.id, Job.title), job_ids):
        labels.names[row_id] = title
    people = by_kind["user"] | {u for u in user_ids if u}
    for row_id, name in _load(session, User, (User.id, User.name), people):
        labels.users[row_id] = name
        labels.names.setdefault(row_id, name)
    return labels


def _load_money_and_time(session: Session, by_kind: dict[str, set], labels: Labels) -> None:
    """Documents by number on their job; a payment as its invoice's; time on its job."""
    for kind, (model, _page) in DOCUMENTS.items():
        for row_id, number, job_id in _load(
            session, model, (model.id, model.number, model.job_id), by_kind.get(kind, set())
        ):
            labels.names[row_id], labels.job_of[row_id] = number, job_id
    if by_kind["payment"]:
        paid = session.exec(
            select(Payment.id, Invoice.id, Invoice.number, Invoice.job_id)
            .join(Invoice, col(Invoice.id) == Payment.invoice_id)
            .where(col(Payment.id).in_(list(by_kind["payment"])))
        ).all()
        for row_id, invoice_id, number, job_id in paid:
            labels.names[row_id], labels.job_of[row_id] = number, job_id
            labels.invoice_of[row_id] = invoice_id
    for row_id, job_id in _load(
        session, TimeEntry, (TimeEntry.id, TimeEntry.job_id), by_kind["time_entry"]
    ):
        labels.job_of[row_id] = job_id


DATE_FIELDS = ("scheduled_start", "scheduled_end", "purchased_at", "taken_at")


def display(field_name: str, value: Any, limit: int = 300) -> str:
    """A stored value as a person reads it: dates in the company's zone, statuses named."""
    if value is None or value == "":
        return N_("(empty)")
    if isinstance(value, bool):
        return N_("Yes") if value else N_("No")
    if isinstance(value, int | float):
        return f"{value:g}"
    if field_name in DATE_FIELDS and isinstance(value, str):
        try:
            return when(datetime.fromisoformat(value))
        except ValueError:
            return value
    if field_name == "status" and isinstance(value, str) and value in JobStatus.__members__:
        return status_label(value)
    text = str(value)
    return text[:limit] + "…" if len(text) > limit else text


def _short(field_name: str, value: Any) -> str:
    text = display(field_name, value, SHORT)
    bare = text == "(empty)" or field_name in DATE_FIELDS or isinstance(value, int | float)
    return text if bare else f"“{text}”"


def old_new(change: Any) -> tuple[Any, Any] | None:
    """A logged change ``{"old", "new"}`` as (old, new); None for anything else."""
    if isinstance(change, dict) and set(change) == {"old", "new"}:
        return change["old"], change["new"]
    return None


def _new(changes: dict[str, Any], field_name: str, default: Any = None) -> Any:
    pair = old_new(changes.get(field_name))
    return default if pair is None or pair[1] is None else pair[1]


def _crew_ids(changes: dict[str, Any]) -> set[uuid.UUID]:
    pair = old_new(changes.get("assigned_user_ids"))
    if pair is None or not all(side is None or isinstance(side, list) for side in pair):
        return set()
    return {uuid.UUID(str(u)) for side in pair for u in side or []}


def _crew_change(change: dict[str, Any], labels: Labels) -> str:
    pair = old_new(change) or (None, None)
    before, after = ({uuid.UUID(str(u)) for u in side or []} for side in pair)
    added = ", ".join(sorted(labels.users.get(u, "someone") for u in after - before))
    removed = ", ".join(sorted(labels.users.get(u, "someone") for u in before - after))
    parts = [f"put {added} on" if added else "", f"took {removed} off" if removed else ""]
    return " and ".join(p for p in parts if p)


def _update(kind: str, name: str, changes: dict[str, Any], labels: Labels) -> str:
    changes = {k: v for k, v in changes.items() if k not in SYSTEM_FIELDS} or changes
    if "purchased" in changes and set(changes) <= {"purchased", "purchased_at", "purchased_by"}:
        bought = _new(changes, "purchased")
        return f"marked {name} {'purchased' if bought else 'not purchased'}"
    if set(changes) == {"assigned_user_ids"} and _crew_ids(changes):
        return f"{_crew_change(changes['assigned_user_ids'], labels)} {kind} {name}"
    if len(changes) == 1:
        ((key, change),) = changes.items()
        pair = old_new(change)
        if pair is not None and key not in ("notes", "description"):
            label = FIELD_NAMES.get(key, key.replace("_", " "))
            old, new = _short(key, pair[0]), _short(key, pair[1])
            return f"changed the {label} of {kind} {name} from {old} to {new}"
    fields = [FIELD_NAMES.get(k, k.replace("_", " ")) for k in changes]
    return f"changed the {', '.join(fields)} of {kind} {name}"


def _user_sentence(action: str, name: str, changes: dict[str, Any]) -> str:
    sentences = {
        "create": f"added {name} as {_new(changes, 'role', 'a user')}",
        "deactivate": f"deactivated {name}",
        "reset_password": f"reset the password of {name}",
        "calendar_issue": f"issued a calendar link for {name}",
        "calendar_revoke": f"turned off the calendar link of {name}",
    }
    if action in sentences:
        return sentences[action]
    if old_new(changes.get("active")) == (False, True):
        return f"reactivated {name}"
    role = old_new(changes.get("role"))
    if role:
        return f"changed the role of {name} from {role[0]} to {role[1]}"
    return f"changed the details of {name}"


def sentence(row: ActivityLog, labels: Labels) -> str:
    """What happened, e.g. "moved job “Deck build” from Lead to Quoted"."""
    changes = row.changes or {}
    kind = KIND_WORDS.get(row.entity, row.entity)
    title = labels.of(row.entity_id) or _new(changes, "name") or _new(changes, "title")
    name = f"“{title or '…'}”"
    if row.entity in NAMELESS:
        # "added payment on invoice “INV-0002”", "changed the overtime hours of time settings"
        name = f"on invoice “{title}”" if row.entity == "payment" and title else ""
        return " ".join(_sentence(row, kind, name, labels).split())
    return _sentence(row, kind, name, labels)


def _sentence(row: ActivityLog, kind: str, name: str, labels: Labels) -> str:
    action, changes = row.action, row.changes or {}
    job_id = labels.job_of.get(row.entity_id)
    on_job = f" on job “{labels.of(job_id)}”" if job_id else ""
    if kind == "user":
        return _user_sentence(action, name, changes)
    if kind == "note" and action == "create":
        return f"added a note{on_job}: {_short('body', _new(changes, 'body', ''))}"
    if kind == "photo" and action == "create":
        return f"added a photo{on_job}"
    moved = old_new(changes.get("status"))
    if action == "status" and moved and kind == "job":
        return f"moved job {name} from {status_label(moved[0])} to {status_label(moved[1])}"
    if moved and row.entity in DOCUMENTS:  # "marked invoice “INV-0001” partially paid"
        return f"marked {kind} {name} {str(moved[1]).replace('_', ' ')}{on_job}"
    if action == "assign" and _crew_ids(changes):
        return f"{_crew_change(changes['assigned_user_ids'], labels)} job {name}"
    verbs = {"create": "added", "import": "imported", "delete": "deleted"}
    if action in verbs:
        return f"{verbs[action]} {kind} {name}{on_job}"
    return _update(kind, name, changes, labels) + on_job


def href(row: ActivityLog, labels: Labels) -> str:
    if row.entity == "customer":
        return f"/customers/{row.entity_id}"
    if row.entity == "job":
        return f"/jobs/{row.entity_id}"
    if row.entity in DOCUMENTS:
        return DOCUMENTS[row.entity][1] + str(row.entity_id)
    if row.entity == "payment" and row.entity_id in labels.invoice_of:
        return f"/invoices/{labels.invoice_of[row.entity_id]}"
    if row.entity in SCREENS:
        return SCREENS[row.entity]
    job_id = labels.job_of.get(row.entity_id)
    return f"/jobs/{job_id}" if job_id else ""


def activity_rows(
    session: Session, rows: list[tuple[ActivityLog, str | None]]
) -> list[ActivityRow]:
    """Sentences for a page of activity rows."""
    refs = [(row.entity, row.entity_id) for row, _ in rows]
    crew_ids = {u for row, _ in rows for u in _crew_ids(row.changes or {})}
    labels = load_labels(session, refs, crew_ids)
    return [
        ActivityRow(
            id=str(row.id),
            when=when(row.created_at),
            who=name or N_("The system"),
            summary=sentence(row, labels),
            href=href(row, labels),
        )
        for row, name in rows
    ]
