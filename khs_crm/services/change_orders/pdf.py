"""A change order as a PDF (ReportLab, as estimates and invoices: services/money/pdf.py):
the job, the customer, the description, the lines (or "to be priced by the office"), the
totals, the photos ("photo pending" until one reaches the server), and the customer's
signature drawn in from its SVG path, with the signed content's hash and its integrity."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from sqlmodel import Session, col, select

from khs_crm.i18n import N_, gettext
from khs_crm.models import ChangeOrder, Customer, Job, Photo
from khs_crm.services.change_orders import content
from khs_crm.services.money import pdf as money_pdf
from khs_crm.services.money.company import get_company
from khs_crm.services.money.words import Words, words_for

LABELS = {
    "title": N_("Change order"),
    "job": N_("Job"),
    "to_price": N_("to be priced by the office"),
    "price_note": N_("The price of this work will be confirmed by the office."),
    "photos": N_("Photos"),
    "photo": N_("Photo {number}"),
    "pending": N_("photo pending"),
    "signed_by": N_("Signed by {name} on {date}"),
    "not_signed": N_("Not signed yet."),
    "fingerprint": N_("Content fingerprint (SHA-256): {hash}"),
    "mismatch": N_("Warning: this change order was changed after it was signed."),
    "agree": N_("I agree to this change order and its price."),
    "thanks": N_("Thank you: the change order is approved. The office will confirm it."),
}
BOX_W, BOX_H = 240.0, 80.0  # the signature's box, in points
_TOKENS = re.compile(r"[MmLlHhVvCcSsQqTtZz]|-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def say(w: Words, key: str, **params: object) -> str:
    """A change-order label in the reader's language."""
    return gettext(LABELS[key], w.language, **params)


def strokes(path: str) -> list[list[tuple[float, float]]]:
    """The polylines of an SVG path (M/L/H/V absolute and relative; a curve is drawn as a
    line to its end point; Z closes), for drawing a signature."""
    out: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = "M"
    tokens = _TOKENS.findall(path or "")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command, i = token, i + 1
            if command in "Zz" and out and out[-1]:
                out[-1].append(out[-1][0])
            continue
        need = {"H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2}.get(command.upper(), 2)
        numbers = [float(t) for t in tokens[i : i + need] if not t.isalpha()]
        if len(numbers) < need:
            break
        i += need
        rel = command.islower()
        up = command.upper()
        if up == "H":
            x = x + numbers[0] if rel else numbers[0]
        elif up == "V":
            y = y + numbers[0] if rel else numbers[0]
        else:
            nx, ny = numbers[-2], numbers[-1]
            x, y = (x + nx, y + ny) if rel else (nx, ny)
        if up == "M":
            out.append([(x, y)])
            command = "l" if rel else "L"  # numbers after a move draw lines
        elif out:
            out[-1].append((x, y))
    return [s for s in out if s]


def _draw_signature(canvas: Canvas, path: str, left: float, bottom: float) -> None:
    lines = strokes(path)
    points = [p for s in lines for p in s]
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.rect(left, bottom, BOX_W, BOX_H)
    if not points:
        return
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    scale = min((BOX_W - 12) / span[0], (BOX_H - 12) / span[1])
    canvas.setStrokeColorRGB(0.05, 0.1, 0.35)
    canvas.setLineWidth(1.4)
    for stroke in lines:
        drawn = canvas.beginPath()
        for n, (px, py) in enumerate(stroke):
            # SVG's y grows downwards, the page's upwards.
            at = (left + 6 + (px - min(xs)) * scale, bottom + BOX_H - 6 - (py - min(ys)) * scale)
            drawn.moveTo(*at) if n == 0 else drawn.lineTo(*at)
        if len(stroke) == 1:
            drawn.lineTo(at[0] + 0.5, at[1])
        canvas.drawPath(drawn, stroke=1, fill=0)
    canvas.setLineWidth(1)
    canvas.setStrokeColorRGB(0, 0, 0)


def photos_of(session: Session, row: ChangeOrder) -> list[tuple[str, Photo | None]]:
    """Each photo id with its photo, None while it has not reached the server."""
    ids = []
    for text in row.photo_ids or []:
        try:
            ids.append(uuid.UUID(str(text)))
        except ValueError:
            continue
    found = session.exec(select(Photo).where(col(Photo.id).in_(ids))).all() if ids else []
    by_id = {p.id: p for p in found if p.deleted_at is None}
    return [(str(i), by_id.get(i)) for i in ids]


def _lines(page: Any, row: ChangeOrder, w: Words) -> None:
    cols = money_pdf.COLUMNS
    for x, key in zip(cols[1:], ("description", "quantity", "unit_price", "amount"), strict=True):
        page.text(x, w(key), bold=True, right=key != "description")
    page.down(6)
    page.canvas.line(money_pdf.MARGIN, page.y, money_pdf.WIDTH - money_pdf.MARGIN, page.y)
    page.down(14)
    for number, line in enumerate(row.lines or [], start=1):
        page.room(16)
        page.text(cols[0], f"{number}.")
        page.text(cols[1], str(line.get("description") or "")[:60])
        quantity = content.decimal_text(line["quantity"]) or "0"
        page.text(
            cols[2], f"{w.number(_dec(quantity))} {line.get('unit') or ''}".strip(), right=True
        )
        price = line.get("unitPrice")
        if price is None:
            page.text(cols[4], say(w, "to_price"), right=True, size=8)
        else:
            page.text(cols[3], w.money(_dec(price)), right=True)
            page.text(cols[4], w.money(_dec(quantity) * _dec(price)), right=True)
        page.down(16)


def _dec(text: str) -> Any:
    from decimal import Decimal

    return Decimal(str(text))


def _totals(page: Any, row: ChangeOrder, w: Words) -> None:
    page.down(8)
    if row.total is None:
        page.room(16)
        page.text(money_pdf.MARGIN, say(w, "price_note"), bold=True)
        page.down(16)
        return
    rate = w.number(row.tax_rate)
    for label, value in ((w("subtotal"), row.subtotal), (w("tax", rate=rate), row.tax)):
        page.text(money_pdf.COLUMNS[3], label, right=True)
        page.text(money_pdf.COLUMNS[4], w.money(value or _dec("0")), right=True)
        page.down(16)
    page.text(money_pdf.COLUMNS[3], w("total"), right=True, bold=True)
    page.text(money_pdf.COLUMNS[4], w.money(row.total), right=True, bold=True)
    page.down(16)


def _photos(page: Any, session: Session, row: ChangeOrder, w: Words) -> None:
    photos = photos_of(session, row)
    if not photos:
        return
    page.down(10)
    page.room(30)
    page.text(money_pdf.MARGIN, say(w, "photos"), bold=True)
    for number, (_, photo) in enumerate(photos, start=1):
        page.down(14)
        page.room(14)
        said = say(w, "photo", number=number)
        detail = (photo.caption or "") if photo is not None else say(w, "pending")
        page.text(money_pdf.MARGIN, f"{said}: {detail}"[:100] if detail else said)


def _signature(page: Any, row: ChangeOrder, w: Words) -> None:
    page.down(24)
    page.room(BOX_H + 60)
    signature = row.signature or {}
    if not signature:
        page.text(money_pdf.MARGIN, say(w, "not_signed"))
        return
    _draw_signature(
        page.canvas, str(signature.get("svgPath", "")), money_pdf.MARGIN, page.y - BOX_H
    )
    page.down(BOX_H + 16)
    when = str(signature.get("signedAt", ""))
    from khs_crm.services.change_orders.decisions import signed_date

    moment = signed_date(row)
    day = w.day(moment.date()) if moment else when
    page.text(
        money_pdf.MARGIN, say(w, "signed_by", name=signature.get("name", ""), date=day), bold=True
    )
    page.down(14)
    page.text(
        money_pdf.MARGIN, say(w, "fingerprint", hash=signature.get("contentHash", "")), size=7
    )
    if content.integrity(row) == "mismatch":
        page.down(14)
        page.canvas.setFillColorRGB(0.7, 0.1, 0.1)
        page.text(money_pdf.MARGIN, say(w, "mismatch"), bold=True)
        page.canvas.setFillColorRGB(0, 0, 0)


def change_order_pdf(session: Session, row: ChangeOrder) -> bytes:
    """The change order as a PDF in the customer's language."""
    money_pdf._fonts()
    job = session.get(Job, row.job_id)
    customer = session.get(Customer, job.customer_id) if job else None
    w = words_for(customer)
    buffer = io.BytesIO()
    title = f"{say(w, 'title')} {row.number}"
    canvas = Canvas(buffer, pagesize=LETTER, pageCompression=1)
    canvas.setTitle(title)
    page = money_pdf._Page(canvas)
    money_pdf._header(page, get_company(session), title, w)
    page.text(money_pdf.MARGIN, f"{w('for')}: {customer.name if customer else ''}", bold=True)
    page.text(
        money_pdf.WIDTH - money_pdf.MARGIN,
        f"{w('date')}: {w.day(row.created_at.date())}",
        right=True,
    )
    page.down(14)
    page.text(money_pdf.MARGIN, f"{say(w, 'job')}: {job.title if job else ''}"[:90])
    page.down(24)
    for part in (row.description or "").splitlines()[:40]:
        page.room(14)
        page.text(money_pdf.MARGIN, part[:100])
        page.down(14)
    page.down(10)
    _lines(page, row, w)
    _totals(page, row, w)
    _photos(page, session, row, w)
    _signature(page, row, w)
    canvas.save()
    return buffer.getvalue()
