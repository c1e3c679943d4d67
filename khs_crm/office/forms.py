"""Office form values (plain strings) read into the services' input models.

Problems come back as ValidationFailed with one detail per field, worded for people, so
each message can sit next to its input.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_snake

from khs_crm.office.limits import field_limits, refusal
from khs_crm.office.views import company_tz, parse_id
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.jobs.materials import MaterialChanges, MaterialCreate
from khs_crm.services.jobs.notes import NoteCreate
from khs_crm.services.jobs.service import JobCreate, JobUpdate

M = TypeVar("M", bound=BaseModel)
MAX_LINES = 100


def _details(
    exc: ValidationError, model: type[BaseModel], prefix: str = ""
) -> list[dict[str, str]]:
    limits = {to_snake(name): rule for name, rule in field_limits(model).items()}
    details = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        name = to_snake(loc[0]) if loc else "form"
        message = refusal(name, limits.get(name, {}), dict(err))
        details.append({"field": f"{prefix}{name}", "message": message})
    return details


def checked(model: type[M], data: dict[str, Any], what: str, prefix: str = "") -> M:
    """``model`` validated from ``data``; ValidationFailed naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = _details(exc, model, prefix)
        raise ValidationFailed(
            f"Check the {what}: {details[0]['message']}", details=details
        ) from exc


def local_moment(raw: str) -> datetime | None:
    """A datetime-local input value, read in the company's time zone ("" -> None)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=company_tz())
    except ValueError:
        return raw  # type: ignore[return-value]  # the model says what is wrong


def _text(form: dict[str, Any], name: str) -> str:
    return str(form.get(name, "") or "").strip()


def job_fields(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": _text(form, "title"),
        "description": _text(form, "description"),
        "site_address": _text(form, "site_address"),
        "scheduled_start": local_moment(_text(form, "scheduled_start")),
        "scheduled_end": local_moment(_text(form, "scheduled_end")),
    }


def job_create(form: dict[str, Any], customer_id: str, crew: list[str]) -> JobCreate:
    """A new job from the form, for the chosen customer, with the ticked crew."""
    data = job_fields(form)
    data = {k: v for k, v in data.items() if v not in (None, "") or k == "title"}
    data["customer_id"] = customer_id or None
    data["assigned_user_ids"] = [parse_id(u, "worker") for u in crew]
    return checked(JobCreate, data, "job")


def job_update(form: dict[str, Any]) -> JobUpdate:
    """The job's own fields from the edit form (empty dates clear the schedule)."""
    return checked(JobUpdate, job_fields(form), "job")


def _quantity(raw: str) -> Any:
    raw = raw.strip()
    if not raw:
        return 1.0
    try:
        return float(raw)
    except ValueError:
        return raw


def material_create(form: dict[str, Any], prefix: str = "") -> MaterialCreate:
    """One material line from the quick-add form."""
    data = {
        "name": _text(form, "name"),
        "quantity": _quantity(_text(form, "quantity")),
        "unit": _text(form, "unit"),
        "supplier": _text(form, "supplier"),
    }
    return checked(MaterialCreate, data, "material", prefix)


def materials_from_lines(text: str) -> list[MaterialCreate]:
    """One material per line: "name, quantity, unit, supplier" (only the name needed)."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationFailed(
            "Type at least one line.", details=[{"field": "lines", "message": "Type a line."}]
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            f"Add at most {MAX_LINES} lines at a time.",
            details=[{"field": "lines", "message": f"At most {MAX_LINES} lines."}],
        )
    items = []
    for number, line in enumerate(lines, start=1):
        cells = [c.strip() for c in line.split(",")] + ["", "", ""]
        name, qty, unit, supplier = (
            cells[0],
            cells[1],
            cells[2],
            ", ".join(c for c in cells[3:] if c),
        )
        form = {"name": name, "quantity": qty, "unit": unit, "supplier": supplier}
        try:
            items.append(material_create(form))
        except ValidationFailed as exc:
            raise ValidationFailed(
                f"Line {number}: {exc.details[0]['message']}",
                details=[
                    {"field": "lines", "message": f"Line {number}: {exc.details[0]['message']}"}
                ],
            ) from exc
    return items


def material_change(field: str, raw: str) -> MaterialChanges:
    """A one-field change typed into the checklist (quantity, unit, supplier or name)."""
    value: Any = _quantity(raw) if field == "quantity" else raw.strip()
    if field not in ("name", "quantity", "unit", "supplier"):
        raise ValidationFailed("That field cannot be changed here.")
    return checked(MaterialChanges, {field: value}, "material")


def note_create(form: dict[str, Any]) -> NoteCreate:
    return checked(NoteCreate, {"body": _text(form, "body")}, "note")
