"""Sync conflicts for the office's review: both values, who wrote each, and when."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from pydantic.alias_generators import to_snake
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import ActivityAction, ActivityLog, SyncConflict
from khs_crm.office.activity import FIELD_NAMES, display, href, load_labels
from khs_crm.office.views import when
from khs_crm.services.sync import messages as sync_messages


class ConflictRow(BaseModel):
    id: str
    title: str
    href: str
    field: str
    server_value: str
    client_value: str
    server_by: str
    server_when: str
    client_by: str
    client_when: str
    server_current: bool
    resolved: str
    kind: str = "field"  # field | deleted | refused
    message: str = ""  # why the phone's work was not applied (deleted / refused)
    tried: str = ""  # every change the phone tried, as a person reads it
    keep_client_text: str = N_("Keep this")


def office_change_times(
    session: Session, conflicts: list[SyncConflict]
) -> dict[uuid.UUID, datetime | None]:
    """When each conflict's office value was written: the latest logged change of that field
    by that person before the conflict. One query for the whole page."""
    asked = [c for c in conflicts if c.server_user_id is not None]
    found: dict[uuid.UUID, datetime | None] = {c.id: None for c in conflicts}
    if not asked:
        return found
    rows = session.exec(
        select(
            ActivityLog.entity_id,
            ActivityLog.actor_id,
            ActivityLog.created_at,
            ActivityLog.changes,
        )
        .where(
            col(ActivityLog.entity_id).in_({c.entity_id for c in asked}),
            col(ActivityLog.actor_id).in_({c.server_user_id for c in asked}),
            col(ActivityLog.created_at) <= max(c.created_at for c in asked),
        )
        .order_by(col(ActivityLog.created_at).desc())
    ).all()
    for c in asked:
        found[c.id] = next(
            (
                at
                for entity_id, actor_id, at, changes in rows
                if entity_id == c.entity_id
                and actor_id == c.server_user_id
                and at <= c.created_at
                and c.field in (changes or {})
            ),
            None,
        )
    return found


def _who(names: dict[uuid.UUID, str], user_id: uuid.UUID | None, unknown: str) -> str:
    return names.get(user_id, unknown) if user_id is not None else unknown


def _resolution(c: SyncConflict, who: str) -> str:
    if c.resolved_at is None:
        return ""
    if c.kind == "deleted":
        kept = "left it deleted" if c.resolution == "server" else "restored it with the change"
    elif c.kind == "refused":
        kept = "dismissed it" if c.resolution == "server" else "applied the phone's change"
    else:
        kept = "kept " + ("the office's value" if c.resolution == "server" else "the phone's value")
    return f"{who} {kept} on {when(c.resolved_at)}."


KEEP_CLIENT_TEXT = {
    "deleted": N_("Restore with the crew's change"),
    "refused": N_("Apply the crew's change"),
    "field": N_("Keep this"),
}


def tried(changes: dict | None) -> str:
    """The fields a phone sent, as a person reads them ("purchased: Yes, quantity: 2")."""
    parts = []
    for key, value in (changes or {}).items():
        if key in ("jobId", "id"):
            continue
        name = to_snake(key)
        parts.append(f"{FIELD_NAMES.get(name, name.replace('_', ' '))}: {display(name, value)}")
    return ", ".join(parts)


def conflict_rows(session: Session, rows: list[SyncConflict]) -> list[ConflictRow]:
    """Both sides of each conflict, who wrote them, when, and which one stands now."""
    refs = [(c.entity, c.entity_id) for c in rows]
    people = {u for c in rows for u in (c.server_user_id, c.client_user_id, c.resolved_by) if u}
    labels = load_labels(session, refs, people)
    titles = sync_messages.labels(session, refs)
    office_times = office_change_times(session, rows)
    out = []
    for c in rows:
        row = ActivityLog(entity=c.entity, entity_id=c.entity_id, action=ActivityAction.update)
        link = href(row, labels)
        office_at = office_times[c.id]
        out.append(
            ConflictRow(
                id=str(c.id),
                title=_title(c, labels, titles),
                href=link,
                field=FIELD_NAMES.get(c.field, c.field.replace("_", " ")),
                server_value=display(c.field, c.server_value),
                client_value=display(c.field, c.client_value),
                server_by=_who(labels.users, c.server_user_id, N_("the office")),
                server_when=when(office_at) if office_at else N_("before the phone synced"),
                client_by=labels.users.get(c.client_user_id, N_("a phone")),
                client_when=when(c.created_at),
                server_current=c.kind != "field",
                resolved=_resolution(c, _who(labels.users, c.resolved_by, N_("Someone"))),
                kind=c.kind,
                message=sync_messages.render(c.reason, c.params or {}) if c.reason else "",
                tried=tried(c.changes),
                keep_client_text=KEEP_CLIENT_TEXT.get(c.kind, N_("Keep this")),
            )
        )
    return out


def _title(c: SyncConflict, labels, titles: dict[sync_messages.Ref, str]) -> str:
    if c.kind == "field":
        return f"{c.entity.capitalize()} “{labels.of(c.entity_id) or '…'}”"
    return titles[(c.entity, c.entity_id)]
