"""The job page's crew warnings: who on the crew is double-booked, and who would be."""

from __future__ import annotations

import reflex as rx

from khs_crm.office.double_bookings import CrewClash, crew_warnings
from khs_crm.office.views import Option


class CrewWarnings(rx.State, mixin=True):
    """Mixed into the job page's state; ``_warn`` runs after each load of the crew."""

    crew_clashes: list[CrewClash] = []
    # worker id -> "Casey is already on “Deck” (…) at this time." for workers not on the crew
    busy: dict[str, str] = {}
    picked_worker: str = ""

    def _warn(self, session, job_id: str, crew: list[Option], workers: list[Option]) -> None:
        self.crew_clashes, self.busy = crew_warnings(
            session, job_id=job_id, crew=crew, workers=workers
        )

    @rx.event
    def pick_worker(self, user_id: str):
        self.picked_worker = user_id
