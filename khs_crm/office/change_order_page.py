"""One change order as its office page shows it: lines, totals, photos (pending ones said so),
the customer's signature drawn from its SVG path, its integrity, and what the office may do
next (price, approve, reject). Prices typed to price it are read here into the services' shape."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from khs_crm.i18n import N_
from khs_crm.models import ChangeOrder, ChangeOrderStatus, Customer, Job
from khs_crm.office.change_orders import TO_PRICE, status_label
from khs_crm.office.money import LINE_KINDS, money
from khs_crm.office.views import when
from khs_crm.services.change_orders import content, decisions, lists, pdf
from khs_crm.services.money import rules
from khs_crm.services.money.documents import number_text

S = ChangeOrderStatus
BOX_W, BOX_H, PAD = 300, 100, 6  # the drawn signature's box (SVG user units)


class ChangeOrderView(BaseModel):
    id: str = ""
    number: str = ""
    status: str = ""
    status_label: str = ""
    job: str = ""
    job_id: str = ""
    customer: str = ""
    customer_id: str = ""
    description: str = ""
    created: str = ""
    priced: bool = False
    tax_rate: str = ""
    subtotal: str = ""
    tax: str = ""
    total: str = ""
    integrity: str = ""  # "ok" | "mismatch" | "" (not signed)
    revises_id: str = ""
    revises_number: str = ""
    revision_id: str = ""
    revision_number: str = ""
    history: list[str] = []  # sent, the customer's answer, the office's decision
    can_price: bool = False
    can_approve: bool = False
    can_reject: bool = False
    pdf_href: str = ""


class ChangeLine(BaseModel):
    number: int
    kind: str
    kind_label: str
    description: str
    quantity: str
    unit: str
    unit_price: str  # "$19.99", or "to be priced"
    amount: str
    taxable: bool
    priced: bool


class PhotoRef(BaseModel):
    label: str
    caption: str = ""
    pending: bool = False
    thumbnail_url: str = ""
    file_url: str = ""


class SignatureView(BaseModel):
    name: str = ""
    signed_at: str = ""
    path: str = ""  # the strokes, scaled into a BOX_W × BOX_H box; "" when none was drawn
    view_box: str = f"0 0 {BOX_W} {BOX_H}"
    location: str = ""
    content_hash: str = ""


def lines_of(row: ChangeOrder) -> list[ChangeLine]:
    out = []
    for number, line in enumerate(row.lines or [], start=1):
        price = line.get("unitPrice")
        quantity = Decimal(str(line.get("quantity") or "0"))
        amount = rules.line_amount(quantity, Decimal(str(price))) if price is not None else None
        out.append(
            ChangeLine(
                number=number,
                kind=str(line.get("kind") or "other"),
                kind_label=LINE_KINDS.get(str(line.get("kind")), str(line.get("kind"))),
                description=str(line.get("description") or ""),
                quantity=str(line.get("quantity") or ""),
                unit=str(line.get("unit") or ""),
                unit_price=money(Decimal(str(price))) if price is not None else TO_PRICE,
                amount=money(amount),
                taxable=bool(line.get("taxable", True)),
                priced=price is not None,
            )
        )
    return out


def drawn_path(svg_path: str) -> str:
    """The signature's strokes (any coordinate space) scaled into the page's box, as plain
    ``M x y L x y`` numbers: nothing of what the phone sent reaches the page as markup."""
    strokes = pdf.strokes(svg_path)
    points = [p for s in strokes for p in s]
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    scale = min((BOX_W - 2 * PAD) / span_x, (BOX_H - 2 * PAD) / span_y)
    parts = []
    for stroke in strokes:
        for n, (x, y) in enumerate(stroke):
            px = PAD + (x - min(xs)) * scale
            py = PAD + (y - min(ys)) * scale
            parts.append(f"{'M' if n == 0 else 'L'}{px:.1f} {py:.1f}")
        if len(stroke) == 1:  # a dot
            parts.append("l0.5 0")
    return " ".join(parts)


def signature_of(row: ChangeOrder) -> SignatureView | None:
    said = row.signature or None
    if not said:
        return None
    place = said.get("location") or {}
    location = ""
    if "latitude" in place and "longitude" in place:
        location = f"{place['latitude']}, {place['longitude']}"
        if place.get("accuracy") is not None:
            location += N_(" (within {metres} m)").format(metres=round(place["accuracy"]))
    signed = decisions.signed_date(row)
    return SignatureView(
        name=str(said.get("name") or ""),
        signed_at=when(signed) if signed else str(said.get("signedAt") or ""),
        path=drawn_path(str(said.get("svgPath") or "")),
        location=location,
        content_hash=str(said.get("contentHash") or ""),
    )


def photos_of(session: Session, row: ChangeOrder) -> list[PhotoRef]:
    out = []
    for number, (_id, photo) in enumerate(pdf.photos_of(session, row), start=1):
        label = N_("Photo {number}").format(number=number)
        if photo is None:
            out.append(PhotoRef(label=label, pending=True))
            continue
        ready = photo.thumbnail_status == "ready" and photo.thumbnail_key
        out.append(
            PhotoRef(
                label=label,
                caption=photo.caption or "",
                thumbnail_url=f"/api/photos/{photo.id}/thumbnail" if ready else "",
                file_url=f"/api/photos/{photo.id}/file",
            )
        )
    return out


def _history(row: ChangeOrder) -> list[str]:
    said = []
    if row.sent_at is not None:
        said.append(N_("Sent to the customer {when}.").format(when=when(row.sent_at)))
    if row.status != S.declined and row.answered_name and row.answered_at is not None:
        said.append(
            N_("Approved by {name} through the link, {when}.").format(
                name=row.answered_name, when=when(row.answered_at)
            )
        )
    if row.status == S.declined and row.answered_at is not None:
        declined = N_("Declined by the customer {when}.").format(when=when(row.answered_at))
        said.append(_with_reason(declined, row.decline_reason))
    if row.decided_at is not None and row.status in (S.approved, S.rejected):
        decided = (
            N_("Approved by the office {when}.")
            if row.status == S.approved
            else N_("Rejected by the office {when}.")
        )
        said.append(_with_reason(decided.format(when=when(row.decided_at)), row.decision_reason))
    return said


def _with_reason(sentence: str, reason: str | None) -> str:
    return (
        N_("{sentence} Reason: {reason}").format(sentence=sentence, reason=reason)
        if reason
        else sentence
    )


def change_order_view(session: Session, row: ChangeOrder) -> ChangeOrderView:
    """The page's head: who and what, totals, integrity, links and the actions open now."""
    job = session.get(Job, row.job_id)
    customer = session.get(Customer, job.customer_id) if job is not None else None
    revision = lists.revisions_of(session, [row.id]).get(row.id)
    original = session.get(ChangeOrder, row.revises_id) if row.revises_id else None
    integrity = content.integrity(row) or ""
    signed = row.status == S.signed
    return ChangeOrderView(
        id=str(row.id),
        number=row.number,
        status=str(row.status),
        status_label=status_label(str(row.status)),
        job=job.title if job else "",
        job_id=str(row.job_id),
        customer=customer.name if customer else "",
        customer_id=str(customer.id) if customer else "",
        description=row.description,
        created=when(row.created_at),
        priced=row.total is not None,
        tax_rate=number_text(row.tax_rate) or "0",
        subtotal=money(row.subtotal),
        tax=money(row.tax),
        total=money(row.total) if row.total is not None else TO_PRICE,
        integrity=integrity,
        revises_id=str(original.id) if original else "",
        revises_number=original.number if original else "",
        revision_id=str(revision.id) if revision else "",
        revision_number=revision.number if revision else "",
        history=_history(row),
        can_price=signed and row.total is None and revision is None,
        can_approve=signed and row.total is not None and integrity != "mismatch",
        can_reject=row.status in (S.signed, S.sent) and revision is None,
        pdf_href=f"/api/change-orders/{row.id}/pdf",
    )


def page_parts(
    session: Session, row: ChangeOrder
) -> tuple[ChangeOrderView, list[ChangeLine], list[PhotoRef], SignatureView | None]:
    return (
        change_order_view(session, row),
        lines_of(row),
        photos_of(session, row),
        signature_of(row),
    )
