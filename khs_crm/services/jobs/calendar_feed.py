"""Private iCalendar feeds: one secret link per person, listing the jobs they are on.

The link is the only credential (calendar apps cannot sign in), so it is long and random,
stored only as its SHA-256, revocable, and re-issued by the office when it leaks.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from khs_crm.models import (
    ActivityAction,
    CalendarToken,
    Customer,
    Job,
    JobAssignment,
    JobStatus,
    User,
)
from khs_crm.models.base import utcnow
from khs_crm.services.auth.privilege import check_may_manage
from khs_crm.services.core import activity
from khs_crm.services.core.errors import NotFound

TOKEN_BYTES = 32
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)
DEFAULT_LENGTH = timedelta(hours=1)
MAX_OCTETS = 75
PRODID = "-//KHS CRM//Job schedule//EN"


def token_hash(token: str) -> str:
    """The SHA-256 hex digest stored for a feed token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _live_tokens(user_id: uuid.UUID):
    return select(CalendarToken).where(
        CalendarToken.user_id == user_id, col(CalendarToken.revoked_at).is_(None)
    )


def _revoke_all(session: Session, user_id: uuid.UUID) -> int:
    count = 0
    for row in session.exec(_live_tokens(user_id)).all():
        row.revoked_at = utcnow()
        session.add(row)
        count += 1
    return count


def _target(session: Session, user_id: uuid.UUID, actor: User) -> User:
    """The person whose links change; Forbidden unless the actor may manage them."""
    check_may_manage(actor, None, None)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    check_may_manage(actor, user, None)
    return user


def issue_token(session: Session, *, user_id: uuid.UUID, actor: User) -> str:
    """A new feed token for the user; any earlier one stops working.

    Owners issue anyone's link, admins only workers' (``privilege.may_manage``). Returns the
    token itself: it is shown once and never stored.
    """
    user = _target(session, user_id, actor)
    _revoke_all(session, user.id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(CalendarToken(user_id=user.id, token_hash=token_hash(token), created_by=actor.id))
    activity.record(
        session, actor=actor, entity="user", entity_id=user.id, action=ActivityAction.calendar_issue
    )
    session.flush()
    return token


def revoke_tokens(session: Session, *, user_id: uuid.UUID, actor: User) -> int:
    """Stop every feed link of the user (as ``issue_token``); returns how many were live."""
    user = _target(session, user_id, actor)
    count = _revoke_all(session, user.id)
    if count:
        activity.record(
            session,
            actor=actor,
            entity="user",
            entity_id=user.id,
            action=ActivityAction.calendar_revoke,
        )
    session.flush()
    return count


def revoke_on_deactivation(session: Session, *, user_id: uuid.UUID) -> None:
    """A deactivated person's links stop for good: reactivation does not bring them back.

    Part of the deactivation (``users.update_user``), which checks and logs it.
    """
    _revoke_all(session, user_id)


def users_with_feeds(session: Session, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these users have a live feed link."""
    wanted = list(user_ids)
    if not wanted:
        return set()
    rows = session.exec(
        select(CalendarToken.user_id).where(
            col(CalendarToken.user_id).in_(wanted), col(CalendarToken.revoked_at).is_(None)
        )
    ).all()
    return set(rows)


def feed_owner(session: Session, token: str) -> User:
    """The active user behind a live token; NotFound for anything else."""
    if not token or len(token) > 128:
        raise NotFound("Not found.")
    row = session.exec(
        select(CalendarToken).where(
            CalendarToken.token_hash == token_hash(token), col(CalendarToken.revoked_at).is_(None)
        )
    ).first()
    user = session.get(User, row.user_id) if row else None
    if user is None or not user.active:
        raise NotFound("Not found.")
    return user


def feed_jobs(session: Session, user: User, now: datetime) -> list[tuple[Job, str]]:
    """The user's scheduled, live, not cancelled jobs near ``now``, with customer names."""
    rows = session.exec(
        select(Job, Customer.name)
        .join(Customer, col(Customer.id) == Job.customer_id)
        .join(JobAssignment, col(JobAssignment.job_id) == Job.id)
        .where(
            JobAssignment.user_id == user.id,
            col(Job.deleted_at).is_(None),
            col(Job.scheduled_start).is_not(None),
            Job.status != JobStatus.cancelled,
            col(Job.scheduled_start) >= now - FEED_PAST,
            col(Job.scheduled_start) <= now + FEED_FUTURE,
        )
        .order_by(col(Job.scheduled_start), col(Job.id))
    ).all()
    return [(job, name) for job, name in rows]


def calendar_for_token(session: Session, *, token: str, now: datetime | None = None) -> str:
    """The iCalendar text of a live token's feed; NotFound for an unknown or revoked one."""
    user = feed_owner(session, token)
    now = now or utcnow()
    return render_calendar(f"KHS jobs: {user.name}", feed_jobs(session, user, now), now)


# iCalendar (RFC 5545) ---------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a character."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20261127T140000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(job: Job, customer_name: str, now: datetime) -> Iterator[str]:
    start = job.scheduled_start
    assert start is not None, "the feed holds scheduled jobs only (feed_jobs)"
    end = job.scheduled_end if job.scheduled_end and job.scheduled_end > start else None
    yield "BEGIN:VEVENT"
    yield f"UID:job-{job.id}@khs-crm"
    yield f"DTSTAMP:{utc_stamp(now)}"
    yield f"DTSTART:{utc_stamp(start)}"
    yield f"DTEND:{utc_stamp(end or start + DEFAULT_LENGTH)}"
    yield f"SEQUENCE:{job.version}"
    yield f"SUMMARY:{escape_text(f'{job.title} — {customer_name}')}"
    if job.site_address:
        yield f"LOCATION:{escape_text(job.site_address)}"
    if job.description:
        yield f"DESCRIPTION:{escape_text(job.description)}"
    yield f"STATUS:{'TENTATIVE' if job.status == JobStatus.on_hold else 'CONFIRMED'}"
    yield "END:VEVENT"


def render_calendar(name: str, jobs: list[tuple[Job, str]], now: datetime) -> str:
    """A VCALENDAR with one VEVENT per job; CRLF line ends, folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for job, customer_name in jobs:
        lines.extend(_event(job, customer_name, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
