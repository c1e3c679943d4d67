"""What estimates and invoices share: their lines, totals, customer links and log rows."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, select

from khs_crm.models import ActivityAction, DocumentLine, Estimate, Invoice, LineKind, User
from khs_crm.models.base import utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.money import rules
from khs_crm.settings import get_settings

Document = Estimate | Invoice
TOKEN_BYTES = 32  # 256 bits: a link nobody can guess

LINK_REVOKED = {"link": ("active", "revoked")}


def today() -> date:
    """Today in the company's time zone (validity and due dates are days there)."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def money_text(value: Decimal | None) -> str | None:
    """An amount as the API writes it: ``"1234.50"``."""
    return None if value is None else f"{value:.2f}"


def number_text(value: Decimal | None) -> str | None:
    """A quantity or rate without trailing zeros beyond what it needs: ``"2.5"``, ``"8.25"``."""
    if value is None:
        return None
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _owner(doc: Document) -> dict[str, uuid.UUID]:
    return {"estimate_id": doc.id} if isinstance(doc, Estimate) else {"invoice_id": doc.id}


def lines_of(session: Session, doc: Document) -> list[DocumentLine]:
    """A document's lines in their order."""
    owner = col(DocumentLine.estimate_id if isinstance(doc, Estimate) else DocumentLine.invoice_id)
    query = select(DocumentLine).where(owner == doc.id).order_by(col(DocumentLine.position))
    return list(session.exec(query).all())


def replace_lines(session: Session, doc: Document, lines: Sequence[Any]) -> list[DocumentLine]:
    """Put these lines on the document in place of its old ones; amounts per the rules.
    A line is anything with a line's fields (an ``ItemLine``, a ``DocumentLine``, a share)."""
    owner = col(DocumentLine.estimate_id if isinstance(doc, Estimate) else DocumentLine.invoice_id)
    session.exec(delete(DocumentLine).where(owner == doc.id))
    rows = []
    for position, line in enumerate(lines):
        row = DocumentLine(
            **_owner(doc),
            position=position,
            kind=LineKind(line.kind),
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            taxable=line.taxable,
            amount=rules.line_amount(line.quantity, line.unit_price),
            source_line_id=getattr(line, "source_line_id", None),
        )
        session.add(row)
        rows.append(row)
    return rows


def set_totals(doc: Document, result: rules.Totals) -> None:
    """Store the totals; a negative or too large total is refused (422)."""
    problem = rules.total_problem(result)
    if problem == "negative":
        raise ValidationFailed(
            "A document's total cannot be below zero: make the discount smaller.",
            details=[{"field": "lines", "message": "The total would be below zero."}],
        )
    if problem == "too_large":
        raise ValidationFailed(
            "The total is larger than the system can hold.",
            details=[{"field": "lines", "message": "The total is too large."}],
        )
    doc.subtotal, doc.tax, doc.total = result.subtotal, result.tax, result.total


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(doc: Document) -> str:
    """A fresh customer link token for the document (the old one stops working); only its
    hash is kept, so the token is shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    doc.link_hash = hash_token(token)
    return token


def by_token(session: Session, model: type[Document], token: str) -> Any:
    """The live document whose link this is, or None (unknown, revoked or deleted)."""
    if not token or len(token) > 100:
        return None
    found = session.exec(select(model).where(model.link_hash == hash_token(token))).first()
    return found if found is not None and found.deleted_at is None else None


def plain(value: Any) -> Any:
    """A value as the activity log's JSON keeps it (an amount as its text)."""
    return f"{value:f}" if isinstance(value, Decimal) else value


def log(
    session: Session,
    *,
    actor: User | None,
    doc: Document,
    action: ActivityAction,
    changes: dict[str, tuple[Any, Any]] | None = None,
    created: dict[str, Any] | None = None,
) -> None:
    """The activity row of a money change, on the document's job's timeline."""
    entity = "estimate" if isinstance(doc, Estimate) else "invoice"
    if created is not None:
        said = activity.created({k: plain(v) for k, v in created.items()})
    else:
        said = activity.diff({k: (plain(o), plain(n)) for k, (o, n) in (changes or {}).items()})
    activity.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=doc.id,
        action=action,
        changes=said,
        job_id=doc.job_id,
    )


def touch(doc: Document) -> None:
    """A new version of the document (If-Match reads it)."""
    doc.version += 1
    doc.updated_at = utcnow()


def save(
    session: Session,
    doc: Document,
    *,
    actor: User | None,
    action: ActivityAction,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Keep a change to the document: a new version, its activity row, flushed."""
    touch(doc)
    session.add(doc)
    log(session, actor=actor, doc=doc, action=action, changes=changes)
    session.flush()


def revoke_link(session: Session, doc: Document, *, actor: User) -> None:
    """The document's customer link stops working (404); sending it again makes a new one."""
    if doc.link_hash is not None:
        doc.link_hash = None
        save(session, doc, actor=actor, action=ActivityAction.update, changes=LINK_REVOKED)
