"""The owner's time settings form on /timesheets: the week's first day and the weekly
overtime threshold, read from the form and checked by the service's own input model, so
the screen and the API refuse the same values in the same words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from khs_crm.i18n import N_
from khs_crm.models import TimeSettings
from khs_crm.office.timesheets import WEEK_DAYS
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.time.schemas import SETTINGS_SAID, TimeSettingsIn

# The week's first day, as the select offers it: (value, day name), Monday first.
DAY_CHOICES = [(str(number), name) for number, name in enumerate(WEEK_DAYS)]


def _number(raw: Any) -> Any:
    """The form's text as a whole number when it is one; anything else stays text (and is
    refused by the model with its own sentence)."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() else text


def parse_settings(form: dict[str, Any]) -> TimeSettingsIn:
    """The form's week start and overtime hours, or ValidationFailed naming each field."""
    try:
        return TimeSettingsIn.model_validate(
            {
                "weekStartDay": _number(form.get("week_start_day")),
                "overtimeHours": _number(form.get("overtime_hours")),
            }
        )
    except ValidationError as exc:
        fields = [str(e["loc"][0]) for e in exc.errors() if e["loc"]]
        names = [name for name in SETTINGS_SAID if name in fields or _camel(name) in fields]
        raise ValidationFailed(
            N_("The time settings were not saved."),
            details=[{"field": name, "message": SETTINGS_SAID[name]} for name in names],
        ) from None


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def form_values(row: TimeSettings) -> tuple[str, str]:
    """What the form shows: the day's number and the hours ("40"), as text."""
    return str(row.week_start_day), f"{Decimal(row.overtime_hours).normalize():f}"


def saved_sentence(row: TimeSettings) -> str:
    return N_("Saved: weeks start on {day}; overtime after {hours} hours a week.").format(
        day=WEEK_DAYS[row.week_start_day], hours=form_values(row)[1]
    )
