"""Office form values (plain strings) read into the services' input models.

Problems come back as ValidationFailed with one detail per field, worded for people, so
each message can sit next to its input.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_snake

from khs_crm.i18n import N_
from khs_crm.models import Customer
from khs_crm.office.limits import field_limits, refusal
from khs_crm.office.views import company_tz, parse_id
from khs_crm.services.core.errors import ValidationFailed, error_details
from khs_crm.services.customers.rules import MAX_PHONE_DIGITS, MIN_PHONE_DIGITS
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.jobs.materials import MaterialChanges, MaterialCreate
from khs_crm.services.jobs.notes import NoteCreate
from khs_crm.services.jobs.service import JobCreate, JobUpdate

M = TypeVar("M", bound=BaseModel)
MAX_LINES = 100


# A customer's fields, in the words the customer form uses (the shared words in
# office.limits name a material's fields: "name" there is what to buy).
CUSTOMER_SAID = {
    "name": N_("Enter the customer's name."),
    "phone": (
        N_("Enter a phone number with {min} to {max} digits, e.g. (512) 555-0101.").format(
            min=MIN_PHONE_DIGITS, max=MAX_PHONE_DIGITS
        )
    ),
    "email": N_("Enter a whole email address, e.g. pat@example.com."),
}
CUSTOMER_NOUNS = {"name": N_("the name"), "address": N_("the address"), "notes": N_("the notes")}
CUSTOMER_FIELDS = ("name", "phone", "email", "address", "notes")


def _customer_refusal(name: str, limits: dict[str, Any], error: dict[str, Any]) -> str:
    if error.get("type") == "string_too_long" and "maxLength" in limits:
        noun = CUSTOMER_NOUNS.get(name, "this")
        return N_("Shorten {noun} to {max} characters or fewer.").format(
            noun=noun, max=f"{limits['maxLength']:,}"
        )
    return CUSTOMER_SAID.get(name) or error_details([error])[0]["message"]


def _details(
    exc: ValidationError, model: type[BaseModel], prefix: str = "", words: Any = refusal
) -> list[dict[str, str]]:
    limits = {to_snake(name): rule for name, rule in field_limits(model).items()}
    details = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        name = to_snake(loc[0]) if loc else "form"
        message = words(name, limits.get(name, {}), dict(err))
        details.append({"field": f"{prefix}{name}", "message": message})
    return details


def checked(
    model: type[M], data: dict[str, Any], what: str, prefix: str = "", words: Any = refusal
) -> M:
    """``model`` validated from ``data``; ValidationFailed naming every bad field at once."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = _details(exc, model, prefix, words)
        first = details[0]["message"]
        many = N_("{count} fields need a change.").format(count=len(details))
        summary = first if len(details) == 1 else many
        said = N_("Check the {what}: {summary}").format(what=what, summary=summary)
        raise ValidationFailed(said, details=details) from exc


class Duplicate(BaseModel):
    """A customer a new one may be the same as: "same phone", "same email" or both."""

    id: str
    name: str
    matched: str


def duplicate_of(customer: Customer, digits: str, email: str) -> Duplicate:
    same = [
        "phone" if digits and customer.phone_digits == digits else "",
        "email" if email and customer.email.strip().lower() == email else "",
    ]
    return Duplicate(
        id=str(customer.id),
        name=customer.name,
        matched="same " + " and ".join(w for w in same if w),
    )


def customer_create(form: dict[str, Any]) -> CustomerCreate:
    """A new customer from the form: every field's problem at once, in the form's words."""
    data = {name: str(form.get(name, "") or "") for name in CUSTOMER_FIELDS}
    return checked(CustomerCreate, data, "customer", words=_customer_refusal)


def customer_update(form: dict[str, Any]) -> CustomerUpdate:
    """The customer's fields from the edit form (all of them: the form shows them all)."""
    data = {name: str(form.get(name, "") or "") for name in CUSTOMER_FIELDS}
    return checked(CustomerUpdate, data, "customer", words=_customer_refusal)


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
            N_("Type at least one line."),
            details=[{"field": "lines", "message": N_("Type a line.")}],
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            N_("Add at most {count} lines at a time.").format(count=MAX_LINES),
            details=[
                {"field": "lines", "message": N_("At most {count} lines.").format(count=MAX_LINES)}
            ],
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
        raise ValidationFailed(N_("That field cannot be changed here."))
    return checked(MaterialChanges, {field: value}, "material")


def note_create(form: dict[str, Any]) -> NoteCreate:
    return checked(NoteCreate, {"body": _text(form, "body")}, "note")
