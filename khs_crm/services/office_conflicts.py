"""Sync conflicts for the office's review: both values, who wrote each, and when."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from khs_crm.models import ActivityLog, SyncConflict
from khs_crm.services.office_activity import FIELD_NAMES, display, href, load_labels
from khs_crm.services.office_views import when


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


def office_change_time(session: Session, c: SyncConflict) -> datetime | None:
    """When the office's value was written: its latest logged change before the conflict."""
    rows = session.exec(
        select(ActivityLog.created_at, ActivityLog.changes)
        .where(
            ActivityLog.entity_id == c.entity_id,
            col(ActivityLog.created_at) <= c.created_at,
            ActivityLog.actor_id == c.server_user_id,
        )
        .order_by(col(ActivityLog.created_at).desc())
        .limit(20)
    ).all()
    return next((at for at, changes in rows if c.field in (changes or {})), None)


def _resolution(c: SyncConflict, who: str) -> str:
    if c.resolved_at is None:
        return ""
    kept = "the office's value" if c.resolution == "server" else "the phone's value"
    return f"{who} kept {kept} on {when(c.resolved_at)}."


def conflict_rows(session: Session, rows: list[SyncConflict]) -> list[ConflictRow]:
    """Both sides of each conflict, who wrote them, when, and which one stands now."""
    refs = [(c.entity, c.entity_id) for c in rows]
    people = {u for c in rows for u in (c.server_user_id, c.client_user_id, c.resolved_by) if u}
    labels = load_labels(session, refs, people)
    out = []
    for c in rows:
        link = href(ActivityLog(entity=c.entity, entity_id=c.entity_id, action="update"), labels)
        office_at = office_change_time(session, c) if c.server_user_id else None
        out.append(
            ConflictRow(
                id=str(c.id),
                title=f"{c.entity.capitalize()} “{labels.of(c.entity_id) or '…'}”",
                href=link,
                field=FIELD_NAMES.get(c.field, c.field.replace("_", " ")),
                server_value=display(c.field, c.server_value),
                client_value=display(c.field, c.client_value),
                server_by=labels.users.get(c.server_user_id, "the office"),
                server_when=when(office_at) if office_at else "before the phone synced",
                client_by=labels.users.get(c.client_user_id, "a phone"),
                client_when=when(c.created_at),
                server_current=c.kind != "field",
                resolved=_resolution(c, labels.users.get(c.resolved_by, "Someone")),
            )
        )
    return out
