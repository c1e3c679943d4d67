"""Double bookings in words: the dashboard's sentences and the job page's crew warnings,
all read through the one rule in ``services.jobs.schedule``."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import Job
from khs_crm.office.schedule import today
from khs_crm.office.views import Option, company_tz, local, schedule_text, time_label
from khs_crm.services.jobs import schedule as rules
from khs_crm.services.jobs.workflow import crew_ids

# How far ahead the dashboard looks for double bookings.
AHEAD_DAYS = 14
# The most sentences the dashboard shows (the schedule shows every one).
DASHBOARD_ROWS = 10


class ClashLink(BaseModel):
    job_id: str
    title: str
    when: str


class DayClash(BaseModel):
    sentence: str
    week: str  # the schedule's week holding it (ISO Monday)
    key: str
    jobs: list[ClashLink]


class CrewClash(BaseModel):
    user_id: str
    text: str
    jobs: list[ClashLink]


def _link(booking: rules.Booking) -> ClashLink:
    return ClashLink(
        job_id=str(booking.job_id),
        title=booking.title,
        when=schedule_text(booking.start, booking.end),
    )


def _day_phrase(moment: datetime) -> str:
    at = local(moment)
    delta = (at.date() - today()).days
    if delta == 0:
        return N_("today")
    if delta == 1:
        return N_("tomorrow")
    return N_("on {day}").format(day=f"{at:%A, %b} {at.day}")


def sentence(clash: rules.DoubleBooking) -> str:
    """ "Casey has 3 jobs at 8:00 AM on Sunday, Dec 6" ("… today", "… tomorrow")."""
    return N_("{name} has {count} jobs at {time} {day}").format(
        name=clash.user_name,
        count=clash.count,
        time=time_label(clash.at),
        day=_day_phrase(clash.at),
    )


def upcoming(session: Session, *, limit: int = DASHBOARD_ROWS) -> tuple[list[DayClash], int]:
    """The double bookings from today on (AHEAD_DAYS days), soonest first, and how many."""
    start = datetime.combine(today(), time(), company_tz())
    found = rules.double_bookings(
        rules.bookings(session, start=start, end=start + timedelta(days=AHEAD_DAYS))
    )
    rows = []
    for clash in found[:limit]:
        day = local(clash.at).date()
        rows.append(
            DayClash(
                sentence=sentence(clash),
                week=(day - timedelta(days=day.weekday())).isoformat(),
                key=f"{clash.user_id}-{clash.at.isoformat()}",
                jobs=[_link(b) for b in clash.jobs],
            )
        )
    return rows, len(found)


def crew_warnings(
    session: Session, *, job_id: str, crew: list[Option], workers: list[Option]
) -> tuple[list[CrewClash], dict[str, str]]:
    """Who on the crew is on another job at this job's time (after saving), and for each
    worker not on it yet, what assigning them would clash with (before saving)."""
    job = session.get(Job, uuid.UUID(job_id))
    others = rules.job_clashes(session, job=job) if job is not None else {}
    on_crew = [
        CrewClash(
            user_id=member.value,
            text=N_("{name} is also on another job at this time:").format(name=member.label),
            jobs=[_link(b) for b in others[uuid.UUID(member.value)]],
        )
        for member in crew
        if uuid.UUID(member.value) in others
    ]
    busy = {
        worker.value: N_("{name} is already on {jobs} at this time.").format(
            name=worker.label,
            jobs=", ".join(
                f"“{b.title}” ({schedule_text(b.start, b.end)})"
                for b in others[uuid.UUID(worker.value)]
            ),
        )
        for worker in workers
        if uuid.UUID(worker.value) in others
    }
    return on_crew, busy


def moved_sentence(session: Session, job: Job) -> str:
    """ "Moved “Deck” to Tue, Dec 1, 8:00 AM – 4:00 PM." and who on its crew is now
    double-booked."""
    moved = N_("Moved “{title}” to {when}.").format(
        title=job.title, when=schedule_text(job.scheduled_start, job.scheduled_end)
    )
    crew = set(crew_ids(session, [job.id])[job.id])
    clashes = rules.job_clashes(session, job=job)
    names = sorted({b.user_name for who, items in clashes.items() if who in crew for b in items})
    if not names:
        return moved
    return moved + " " + N_("Double-booked now: {names}.").format(names=", ".join(names))


def stale_sentence(session: Session, job_id: uuid.UUID) -> str:
    """Why a move was refused when the job changed after the week was shown."""
    job = session.get(Job, job_id)
    return N_(
        "“{title}” was changed by someone else after this week was shown, so it was not "
        "moved. The schedule now shows its latest; move it again if you still want to."
    ).format(title=job.title if job else N_("This job"))
