"""The job workflow as the issue writes it: the tests' independent copy of the rules."""

from khs_crm.models import JobStatus

S = JobStatus
OFFICE_MOVES = {
    S.lead: [S.quoted, S.cancelled],
    S.quoted: [S.scheduled, S.lead, S.cancelled],
    S.scheduled: [S.in_progress, S.on_hold, S.quoted, S.cancelled],
    S.in_progress: [S.on_hold, S.completed, S.cancelled],
    S.on_hold: [S.in_progress, S.scheduled, S.cancelled],
    S.completed: [S.in_progress],
    S.cancelled: [S.lead],
}
WORKER_MOVES = {
    S.scheduled: [S.in_progress],
    S.in_progress: [S.on_hold, S.completed],
    S.on_hold: [S.in_progress],
}
