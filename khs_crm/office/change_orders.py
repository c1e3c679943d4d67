"""Change orders on the office screens: their statuses in words, the list's tabs and rows, and
a job's change orders. The rules and the queries are the services' (services/change_orders/)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import ChangeOrder, Customer, Job, User
from khs_crm.office.money import money
from khs_crm.office.views import Page, page_info
from khs_crm.services.change_orders import content, lists

STATUSES = {
    "draft": N_("Draft"),
    "signed": N_("Signed"),
    "sent": N_("Sent to the customer"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "declined": N_("Declined by the customer"),
}
# The list's tabs, in order.
VIEWS = {
    "to_price": N_("To price"),
    "signed": N_("Signed"),
    "sent": N_("Sent"),
    "approved": N_("Approved"),
    "all": N_("All"),
}
EMPTY = {
    "to_price": N_("Nothing to price: change orders signed on site without prices show here."),
    "signed": N_("No signed, priced change order waits for approval."),
    "sent": N_("No priced change order waits for the customer's answer."),
    "approved": N_("No approved change orders yet."),
    "all": N_("No change orders yet. Crews write them up on site, on the phone."),
}
TO_PRICE = N_("to be priced")
NUMBER_PENDING = N_("Number pending")
LISTED = 10  # the latest change orders a job's page lists


class ChangeOrderRow(BaseModel):
    id: str
    number: str
    job: str
    job_id: str
    customer: str
    description: str
    total: str
    priced: bool
    status: str
    status_label: str
    note: str = ""  # "priced as CO-0004", "revises CO-0001"
    mismatch: bool = False


class Tab(BaseModel):
    view: str
    label: str
    count: int


def status_label(status: str) -> str:
    return STATUSES.get(status, status)


def pick_view(raw: str | None, default: str = "to_price") -> str:
    """A list view from a URL or a tab: one of VIEWS, else the default."""
    return raw if raw in VIEWS else default


def _query(view: str) -> str:
    return "" if view == "all" else view


def job_names(session: Session, rows: Sequence[ChangeOrder]) -> dict[uuid.UUID, tuple[str, str]]:
    """Each row's job title and customer name, by job id."""
    found: dict[uuid.UUID, tuple[str, str]] = {}
    for row in rows:
        if row.job_id in found:
            continue
        job = session.get(Job, row.job_id)
        customer = session.get(Customer, job.customer_id) if job is not None else None
        found[row.job_id] = (job.title if job else "", customer.name if customer else "")
    return found


def _note(row: ChangeOrder, originals: dict[uuid.UUID, str], revision: ChangeOrder | None) -> str:
    if revision is not None:
        return N_("priced as {number}").format(number=revision.number)
    if row.revises_id is not None:
        return N_("prices {number}").format(number=originals.get(row.revises_id, ""))
    return ""


def rows_of(session: Session, rows: Sequence[ChangeOrder]) -> list[ChangeOrderRow]:
    """The rows as the lists show them (priced originals point to their revision)."""
    named = job_names(session, rows)
    revisions = lists.revisions_of(session, [r.id for r in rows])
    originals = {
        r.revises_id: (o.number if (o := session.get(ChangeOrder, r.revises_id)) else "")
        for r in rows
        if r.revises_id is not None
    }
    return [
        ChangeOrderRow(
            id=str(r.id),
            number=r.number or NUMBER_PENDING,
            job=named[r.job_id][0],
            job_id=str(r.job_id),
            customer=named[r.job_id][1],
            description=r.description,
            total=money(r.total) if r.total is not None else TO_PRICE,
            priced=r.total is not None,
            status=str(r.status),
            status_label=status_label(str(r.status)),
            note=_note(r, originals, revisions.get(r.id)),
            mismatch=content.integrity(r) == "mismatch",
        )
        for r in rows
    ]


def change_orders_page(
    session: Session, *, user: User, view: str, page: int, page_size: int
) -> tuple[list[ChangeOrderRow], Page]:
    """One page of one view of the change orders, newest first."""
    rows, total = lists.office_list(
        session, user=user, view=_query(view), offset=(page - 1) * page_size, limit=page_size
    )
    return rows_of(session, rows), page_info(page, page_size, total)


def tabs(session: Session, *, user: User) -> list[Tab]:
    counts = lists.view_counts(session, user=user)
    return [Tab(view=v, label=label, count=counts[_query(v)]) for v, label in VIEWS.items()]


def job_change_orders(
    session: Session, *, user: User, job_id: uuid.UUID
) -> tuple[list[ChangeOrderRow], int]:
    """A job's latest change orders, and how many it has."""
    rows, total = lists.office_list(session, user=user, job_id=job_id, limit=LISTED)
    return rows_of(session, rows), total
