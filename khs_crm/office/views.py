"""Read models for the office screens: only the fields a page shows, formatted for people.

Each function reads through the services that own the rules (visibility, paging) and
returns small pydantic rows: no table row, no password hash, ever reaches the browser.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import LANGUAGES, N_
from khs_crm.models import Customer, JobStatus, Role, User
from khs_crm.services.auth import users as user_service
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.customers import service as customer_service
from khs_crm.services.jobs.calendar_feed import users_with_feeds
from khs_crm.services.jobs.workflow import LABELS
from khs_crm.settings import get_settings


class Page(BaseModel):
    """Where a paged list is: page number, how many pages, how many rows in all."""

    page: int = 1
    pages: int = 0
    total: int = 0


class Problem(BaseModel):
    """One line of an error report: where (e.g. "row 3.email") and what is wrong."""

    where: str
    problem: str


def page_info(page: int, page_size: int, total: int) -> Page:
    return Page(page=page, pages=math.ceil(total / page_size) if total else 0, total=total)


def company_tz() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def local(moment: datetime) -> datetime:
    return moment.astimezone(company_tz())


def when(moment: datetime | None) -> str:
    """ "Tue, Mar 3, 8:00 AM" in the company's time zone ("" for None)."""
    if moment is None:
        return ""
    at = local(moment)
    year = "" if at.year == datetime.now(at.tzinfo).year else f" {at.year}"
    return f"{at:%a, %b} {at.day}{year}, {time_label(moment)}"


def day_label(moment: datetime | None) -> str:
    if moment is None:
        return ""
    at = local(moment)
    return f"{at:%a, %b} {at.day}"


def time_label(moment: datetime | None) -> str:
    return local(moment).strftime("%I:%M %p").lstrip("0") if moment else ""


def schedule_text(start: datetime | None, end: datetime | None) -> str:
    """ "Tue, Mar 3, 8:00 AM – 4:00 PM", or "Not scheduled"."""
    if start is None:
        return N_("Not scheduled")
    if end is None:
        return when(start)
    same_day = local(start).date() == local(end).date()
    return f"{when(start)} – {time_label(end) if same_day else when(end)}"


def input_value(moment: datetime | None) -> str:
    """The value of a datetime-local input, in the company's time zone."""
    return local(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


# An extension marker counts once the number has begun ("Fax 555-0101" has none).
_EXTENSION = re.compile(r";ext=|ext\.?|x|#", re.IGNORECASE)


def tel_href(phone: str) -> str:
    """The ``tel:`` link for a phone number ("" when it has no digits): its digits, and a
    leading +, before any extension marker (x, ext, ext., #, ;ext=) that follows them; the
    extension's digits as RFC 3966 ``;ext=``: "555-0101 x23" -> "tel:5550101;ext=23".

    The field app's ``telHref`` (assets/khs_views_jobs.js) is the same rule: both are checked
    against the vectors in tests/js/fixtures/tel_cases.json.
    """
    first = re.search(r"[0-9]", phone)
    if first is None:
        return ""
    marker = _EXTENSION.search(phone, first.start())
    main = phone[: marker.start()] if marker else phone
    lead = re.search(r"[0-9+]", main)
    plus = "+" if lead and lead[0] == "+" else ""
    ext = re.search(r"[0-9]+", phone[marker.end() :]) if marker else None
    digits = "".join(re.findall(r"[0-9]", main))
    return f"tel:{plus}{digits}" + (f";ext={ext[0]}" if ext else "")


def map_href(address: str) -> str:
    return f"https://maps.google.com/?q={quote(address)}" if address.strip() else ""


def status_label(status: JobStatus | str) -> str:
    return LABELS[JobStatus(status)].capitalize()


# Customers --------------------------------------------------------------------------------


class CustomerRow(BaseModel):
    id: str
    name: str
    phone: str
    phone_href: str = ""
    email: str
    address: str
    updated: str


class CustomerView(BaseModel):
    id: str = ""
    name: str = ""
    phone: str = ""
    phone_href: str = ""
    email: str = ""
    address: str = ""
    map_href: str = ""
    notes: str = ""
    version: int = 0
    created: str = ""
    updated: str = ""


def customer_row(customer: Customer) -> CustomerRow:
    return CustomerRow(
        id=str(customer.id),
        name=customer.name,
        phone=customer.phone,
        phone_href=tel_href(customer.phone),
        email=customer.email,
        address=customer.address,
        updated=when(customer.updated_at),
    )


def customer_view(customer: Customer) -> CustomerView:
    return CustomerView(
        id=str(customer.id),
        name=customer.name,
        phone=customer.phone,
        phone_href=tel_href(customer.phone),
        email=customer.email,
        address=customer.address,
        map_href=map_href(customer.address),
        notes=customer.notes,
        version=customer.version,
        created=when(customer.created_at),
        updated=when(customer.updated_at),
    )


def customers_page(
    session: Session, *, user: User, q: str, sort: str, page: int, page_size: int
) -> tuple[list[CustomerRow], Page]:
    """One page of customers: the search when ``q`` has text, else the sorted list.

    A page past the end falls back to the last page (the list may have shrunk).
    """
    q = q.strip()
    for _attempt in range(2):
        if q:
            rows, total = customer_service.search_customers(
                session, user=user, q=q, page=page, page_size=page_size
            )
        else:
            rows, total = customer_service.list_customers(
                session, user=user, page=page, page_size=page_size, sort=sort
            )
        info = page_info(page, page_size, total)
        if rows or page <= max(info.pages, 1):
            break
        page = max(info.pages, 1)
    return [customer_row(c) for c in rows], page_info(page, page_size, total)


def customer_for(session: Session, *, customer_id: str, user: User) -> CustomerView:
    """The customer page's contact card; NotFound when missing, deleted or not visible."""
    customer = customer_service.get_customer(
        session, customer_id=parse_id(customer_id, "customer"), user=user
    )
    return customer_view(customer)


def parse_id(raw: str, what: str) -> uuid.UUID:
    """A UUID from a URL or a form; ValidationFailed with a plain message otherwise."""
    try:
        return uuid.UUID(str(raw))
    except ValueError as exc:
        raise ValidationFailed(
            N_("That {what} link is not valid.").format(what=what),
            details=[{"field": "id", "message": "not a UUID"}],
        ) from exc


# People -----------------------------------------------------------------------------------


class UserRow(BaseModel):
    id: str
    name: str
    email: str
    role: str
    language: str
    language_name: str
    active: bool
    is_self: bool
    manageable: bool
    has_feed: bool
    since: str


class Option(BaseModel):
    value: str
    label: str


def users_page(
    session: Session, *, actor: User, page: int, page_size: int
) -> tuple[list[UserRow], Page]:
    """One page of people, by name, with what the actor may do to each."""
    rows, total = user_service.list_users(session, offset=(page - 1) * page_size, limit=page_size)
    feeds = users_with_feeds(session, [u.id for u in rows])
    items = [
        UserRow(
            id=str(u.id),
            name=u.name,
            email=u.email,
            role=str(u.role),
            language=u.language,
            language_name=LANGUAGE_NAMES.get(u.language, u.language),
            active=u.active,
            is_self=u.id == actor.id,
            manageable=user_service.may_manage(actor, u.role),
            has_feed=u.id in feeds,
            since=day_label(u.created_at),
        )
        for u in rows
    ]
    return items, page_info(page, page_size, total)


# Each language named in itself, as a person looks for it in a list.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def language_options() -> list[Option]:
    """The languages a person can read the app in."""
    return [Option(value=code, label=LANGUAGE_NAMES[code]) for code in LANGUAGES]


def role_options(actor: User) -> list[Option]:
    """The roles the actor may give (``users.may_manage``): an admin gives only "worker"."""
    roles = [r for r in (Role.worker, Role.admin, Role.owner) if user_service.may_manage(actor, r)]
    return [Option(value=r.value, label=r.value.capitalize()) for r in roles]
