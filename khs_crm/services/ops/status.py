"""What the owner and the health check are told about backups and background work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from khs_crm.integrations import backup
from khs_crm.settings import get_settings


@dataclass(frozen=True)
class BackupStatus:
    """The last finished backup: when, how old, and whether the owner should be warned.

    ``warning`` is a sentence for the owner's dashboard, or None when all is well.
    """

    last_at: datetime | None
    age_hours: float | None
    archive: str | None
    warning: str | None
    overdue: bool = False  # no backup, or older than the limit: show the warning


def backup_status(*, now: datetime | None = None) -> BackupStatus:
    """The last backup's age; a warning past KHS_BACKUP_WARN_HOURS (2 days) or when none ran.

    The office dashboard shows ``warning`` when it is not None (see docs/operations.md).
    """
    record = backup.last_run()
    limit = get_settings().backup_warn_hours
    if record is None:
        never = "No backup has run yet. Set up the daily backup."
        return BackupStatus(None, None, None, never, overdue=True)
    at = datetime.fromisoformat(record["at"])
    age = ((now or datetime.now(UTC)) - at).total_seconds() / 3600
    warning = None
    if age > limit:
        days = int(age // 24)
        plural = "s" if days != 1 else ""
        warning = f"The last backup ran {days} day{plural} ago. Check the backups."
    return BackupStatus(at, round(age, 2), record.get("archive"), warning, warning is not None)
