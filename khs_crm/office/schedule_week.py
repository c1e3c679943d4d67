"""The schedule's week: a row per worker, a column per day, each job card flagged when its
person is double-booked, on-hold jobs told apart, and the jobs still waiting for a date."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from khs_crm.i18n import N_
from khs_crm.models import Customer, Job, JobStatus, Role, User
from khs_crm.office.schedule import scheduled_between, today
from khs_crm.office.views import Page, company_tz, local, page_info, status_label, time_label
from khs_crm.services.jobs import schedule as booking_rules
from khs_crm.services.jobs.calendar_feed import users_with_feeds
from khs_crm.services.jobs.workflow import crew_ids

# How many waiting jobs the side list shows (the jobs list has them all).
WAITING_ROWS = 40
# Statuses of jobs that wait for a date: quoted (sent), scheduled (agreed) and on hold.
WAITING = (JobStatus.quoted, JobStatus.scheduled, JobStatus.on_hold, JobStatus.in_progress)


class WeekDay(BaseModel):
    label: str
    iso: str
    today: bool
    weekend: bool


class WeekCard(BaseModel):
    job_id: str
    title: str
    customer: str
    time: str
    status: str
    status_label: str
    on_hold: bool
    version: int
    day: str  # the cell's day (ISO): a move shifts the job by the days between
    worker_id: str  # the cell's row ("" for "No crew yet")
    clash: str  # "Also on Deck repair (9:00 AM – 12:00 PM)", "" when not double-booked
    key: str


class WeekCell(BaseModel):
    day: str
    worker_id: str
    cards: list[WeekCard]


class WeekRow(BaseModel):
    worker_id: str
    worker: str
    has_feed: bool
    clash: str  # "Double-booked on Tue 2, Wed 3", "" when not
    days: list[WeekCell]


class WaitingCard(BaseModel):
    job_id: str
    title: str
    customer: str
    status: str
    status_label: str
    version: int


def _window(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    return f"{time_label(start)} – {time_label(end)}" if end else time_label(start)


def week_days(first: date) -> list[WeekDay]:
    now = today()
    return [
        WeekDay(label=f"{d:%a} {d.day}", iso=d.isoformat(), today=d == now, weekend=d.weekday() > 4)
        for d in (first + timedelta(days=i) for i in range(7))
    ]


def _bounds(first: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(), company_tz())
    return start, start + timedelta(days=7)


def _workers(session: Session, page: int, page_size: int) -> tuple[list[User], int]:
    where = (User.role == Role.worker, col(User.active).is_(True))
    total = session.exec(select(func.count()).select_from(User).where(*where)).one()
    rows = session.exec(
        select(User)
        .where(*where)
        .order_by(col(User.name), col(User.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def _days_covered(job: Job, first: date) -> list[int]:
    assert job.scheduled_start is not None, "scheduled_between reads scheduled jobs only"
    start = local(job.scheduled_start).date()
    end = local(job.scheduled_end).date() if job.scheduled_end else start
    return [i for i in range(7) if start <= first + timedelta(days=i) <= end]


def _clash_text(others: list[booking_rules.Booking]) -> str:
    if not others:
        return ""
    return N_("Double-booked: also on {jobs}").format(jobs=", ".join(b.title for b in others))


def _card(job: Job, customer: str, day: date, worker: uuid.UUID | None, clash: str) -> WeekCard:
    return WeekCard(
        job_id=str(job.id),
        title=job.title,
        customer=customer,
        time=_window(job.scheduled_start, job.scheduled_end),
        status=JobStatus(job.status).value,
        status_label=status_label(job.status),
        on_hold=job.status == JobStatus.on_hold,
        version=job.version,
        day=day.isoformat(),
        worker_id=str(worker or ""),
        clash=clash,
        key=f"{job.id}-{job.version}-{day}-{worker or ''}",
    )


def _row_clash(cells: list[WeekCell]) -> str:
    days = [f"{date.fromisoformat(c.day):%a} {date.fromisoformat(c.day).day}" for c in cells]
    return N_("Double-booked on {days}").format(days=", ".join(days)) if days else ""


def week_board(
    session: Session, *, first: date, page: int, page_size: int
) -> tuple[list[WeekDay], list[WeekRow], Page]:
    """Rows of active workers (one page of them), a column per day, and a "No crew yet" row;
    every card whose person is on another job at the same time says which."""
    workers, total = _workers(session, page, page_size)
    start, end = _bounds(first)
    rows = scheduled_between(session, start, end, limit=2000)
    crew_of = crew_ids(session, [job.id for job, _ in rows])
    clashes = booking_rules.clashes(
        booking_rules.bookings(session, start=start, end=end, user_ids=[w.id for w in workers])
    )
    days = [first + timedelta(days=i) for i in range(7)]
    cells: dict[uuid.UUID | None, list[list[WeekCard]]] = {
        w.id: [[] for _ in days] for w in workers
    }
    cells[None] = [[] for _ in days]
    for job, customer in rows:
        crew: Sequence[uuid.UUID | None] = crew_of.get(job.id) or [None]
        for person in crew:
            if person not in cells:
                continue
            clash = _clash_text(clashes.get((person, job.id), [])) if person else ""
            for i in _days_covered(job, first):
                cells[person][i].append(_card(job, customer, days[i], person, clash))
    feeds = users_with_feeds(session, [w.id for w in workers])
    grid = [_row(str(w.id), w.name, w.id in feeds, days, cells[w.id]) for w in workers]
    if any(cells[None]):
        grid.append(_row("", N_("No crew yet"), False, days, cells[None]))
    return week_days(first), grid, page_info(page, page_size, total)


def _row(
    worker_id: str, name: str, feed: bool, days: list[date], cards: list[list[WeekCard]]
) -> WeekRow:
    cells = [
        WeekCell(day=d.isoformat(), worker_id=worker_id, cards=c)
        for d, c in zip(days, cards, strict=True)
    ]
    clash = _row_clash([c for c in cells if any(card.clash for card in c.cards)])
    return WeekRow(worker_id=worker_id, worker=name, has_feed=feed, clash=clash, days=cells)


def waiting_jobs(session: Session, *, limit: int = WAITING_ROWS) -> tuple[list[WaitingCard], int]:
    """Live jobs that wait for a date (quoted, agreed or on hold), oldest first, and how many."""
    where = (
        col(Job.deleted_at).is_(None),
        col(Job.scheduled_start).is_(None),
        col(Job.status).in_(WAITING),
    )
    total = session.exec(select(func.count()).select_from(Job).where(*where)).one()
    rows = session.exec(
        select(Job, Customer.name)
        .join(Customer, col(Customer.id) == Job.customer_id)
        .where(*where)
        .order_by(col(Job.created_at), col(Job.id))
        .limit(limit)
    ).all()
    cards = [
        WaitingCard(
            job_id=str(job.id),
            title=job.title,
            customer=name,
            status=JobStatus(job.status).value,
            status_label=status_label(job.status),
            version=job.version,
        )
        for job, name in rows
    ]
    return cards, total


class MoveRequest(BaseModel):
    """A drop on the week, or the "Move to…" dialog's choice, read from its form."""

    job_id: uuid.UUID
    version: int
    to_day: date
    from_day: date | None = None
    leaving: uuid.UUID | None = None
    joining: uuid.UUID | None = None


def move_request(form: dict) -> MoveRequest | None:
    """The move a form asks for; None when it is not one (a hand-made or broken request)."""
    raw = {key: str(form.get(key, "") or "").strip() for key in MOVE_FIELDS}
    try:
        return MoveRequest(
            job_id=uuid.UUID(raw["job"]),
            version=int(raw["version"]),
            to_day=date.fromisoformat(raw["to_day"]),
            from_day=date.fromisoformat(raw["from_day"]) if raw["from_day"] else None,
            leaving=uuid.UUID(raw["from_worker"]) if raw["from_worker"] else None,
            joining=uuid.UUID(raw["to_worker"]) if raw["to_worker"] else None,
        )
    except ValueError:
        return None


# The names a move form sends (the drop form's hidden inputs, the dialog's fields).
MOVE_FIELDS = ("job", "version", "from_day", "from_worker", "to_day", "to_worker")
