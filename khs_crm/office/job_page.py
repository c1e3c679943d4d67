"""Read models for the job page: the job, its checklist, notes and photos."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import JobStatus, Material, User
from khs_crm.office.jobs import names_of, quantity_text
from khs_crm.office.limits import max_length
from khs_crm.office.material_costs import unit_cost_text
from khs_crm.office.views import (
    Option,
    Page,
    input_value,
    map_href,
    page_info,
    parse_id,
    schedule_text,
    status_label,
    tel_href,
    when,
)
from khs_crm.services.jobs import service as job_service
from khs_crm.services.jobs.materials import list_materials
from khs_crm.services.jobs.notes import list_notes
from khs_crm.services.money.units import unit_costs
from khs_crm.services.photos.service import PHOTO_TAGS, PhotoMeta, list_photos

# Photo tags as forms and galleries show them, the tag a new photo gets unless one is chosen,
# and the longest caption the server takes: all read from the photo service's rules.
PHOTO_TAG_LABELS: dict[str, str] = {tag.value: label for tag, label in PHOTO_TAGS.items()}
DEFAULT_PHOTO_TAG: str = PhotoMeta.model_fields["tag"].default.value
CAPTION_MAX_LENGTH: int = max_length(PhotoMeta, "caption")


class JobView(BaseModel):
    id: str = ""
    title: str = ""
    description: str = ""
    status: str = ""
    status_label: str = ""
    customer_id: str = ""
    customer: str = ""
    phone: str = ""
    phone_href: str = ""
    site_address: str = ""
    map_href: str = ""
    schedule: str = ""
    start_input: str = ""
    end_input: str = ""
    version: int = 0
    to_buy: int = 0
    bought: int = 0


class MaterialRow(BaseModel):
    id: str
    name: str
    quantity: str
    unit: str
    supplier: str
    purchased: bool
    bought: str
    key: str
    unit_cost: str = ""  # office only: what one unit costs the company ("" when unknown)


class NoteRow(BaseModel):
    id: str
    body: str
    author: str
    when: str


def job_view(session: Session, *, user: User, job_id: str) -> tuple[JobView, list[Option]]:
    """The job page's header and its crew (id, name); NotFound when not visible."""
    detail = job_service.job_detail(session, job_id=parse_id(job_id, "job"), user=user)
    job, customer = detail.job, detail.customer
    view = JobView(
        id=str(job.id),
        title=job.title,
        description=job.description,
        status=JobStatus(job.status).value,
        status_label=status_label(job.status),
        customer_id=str(customer.id),
        customer=customer.name,
        phone=customer.phone,
        phone_href=tel_href(customer.phone),
        site_address=job.site_address,
        map_href=map_href(job.site_address),
        schedule=schedule_text(job.scheduled_start, job.scheduled_end),
        start_input=input_value(job.scheduled_start),
        end_input=input_value(job.scheduled_end),
        version=job.version,
        to_buy=detail.materials_total - detail.materials_purchased,
        bought=detail.materials_purchased,
    )
    crew = [Option(value=str(u.id), label=u.name) for u in detail.crew]
    return view, crew


def _bought_text(m: Material, buyers: dict[uuid.UUID, str]) -> str:
    if not m.purchased:
        return ""
    by = f" by {buyers[m.purchased_by]}" if m.purchased_by in buyers else ""
    return f"Bought {when(m.purchased_at)}{by}" if m.purchased_at else f"Bought{by}"


def job_materials(
    session: Session, *, user: User, job_id: str, page: int, page_size: int
) -> tuple[list[MaterialRow], Page, int]:
    """One page of the job's checklist (in the order it was written) with who bought what,
    what each unit costs (office pages only), and how many of the whole list are still to buy."""
    everything = list_materials(session, job_id=parse_id(job_id, "job"), user=user)
    info = page_info(page, page_size, len(everything))
    info.page = min(page, max(info.pages, 1))
    rows = everything[(info.page - 1) * page_size : info.page * page_size]
    buyers = names_of(session, User, {m.purchased_by for m in rows if m.purchased_by}, "name")
    costs = unit_costs(session, [m.id for m in rows])
    items = [
        MaterialRow(
            id=str(m.id),
            name=m.name,
            quantity=quantity_text(m.quantity),
            unit=m.unit,
            supplier=m.supplier,
            purchased=m.purchased,
            bought=_bought_text(m, buyers),
            key=f"{m.id}-{m.version}",
            unit_cost=unit_cost_text(costs.get(m.id)),
        )
        for m in rows
    ]
    return items, info, sum(1 for m in everything if not m.purchased)


def _one_page(lister, session: Session, user: User, job_id: str, page: int, page_size: int):
    """``lister``'s rows of one job for one page, and how many there are in all."""
    job, offset = parse_id(job_id, "job"), (page - 1) * page_size
    return lister(session, job_id=job, user=user, offset=offset, limit=page_size)


def job_notes(
    session: Session, *, user: User, job_id: str, page: int, page_size: int
) -> tuple[list[NoteRow], Page]:
    """One page of the job's notes, newest first."""
    rows, total = _one_page(list_notes, session, user, job_id, page, page_size)
    notes = [
        NoteRow(id=str(n.id), body=n.body, author=name or N_("Someone"), when=when(n.created_at))
        for n, name in rows
    ]
    return notes, page_info(page, page_size, total)


def job_photos(
    session: Session, *, user: User, job_id: str, page: int, page_size: int
) -> tuple[list[dict], Page]:
    """One page of a job's photos as the photo gallery draws them (see photo_gallery)."""
    rows, total = _one_page(list_photos, session, user, job_id, page, page_size)
    photos = [
        {
            "id": str(p.id),
            "caption": p.caption,
            "tag": p.tag,
            "fileUrl": f"/api/photos/{p.id}/file",
            "thumbnailUrl": f"/api/photos/{p.id}/thumbnail"
            if p.thumbnail_status == "ready" and p.thumbnail_key
            else None,
            "thumbnailPending": p.thumbnail_status == "pending",
            "takenText": when(p.taken_at or p.created_at),
        }
        for p in rows
    ]
    return photos, page_info(page, page_size, total)


def before_after_pairs(photos: list[dict]) -> list[dict]:
    """The n-th "before" photo beside the n-th "after" one (None where one is missing)."""
    before = [p for p in photos if p.get("tag") == "before"]
    after = [p for p in photos if p.get("tag") == "after"]
    return [
        {
            "before": before[i] if i < len(before) else None,
            "after": after[i] if i < len(after) else None,
        }
        for i in range(max(len(before), len(after)))
    ]
