"""Estimates and invoices as PDF files, drawn with ReportLab (pure Python from PyPI, no system
packages; it draws paths, which a signature will need) in Bitstream Vera, the TrueType font
ReportLab ships, so "Muñoz" and Spanish text print as typed."""

from __future__ import annotations

import io
from pathlib import Path

import reportlab  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from khs_crm.models import (
    CompanySettings,
    Customer,
    DocumentLine,
    Estimate,
    EstimateStatus,
    Invoice,
)
from khs_crm.services.money.words import Words

FONTS = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD = "KHSVera", "KHSVeraBold"
MARGIN = 54  # three quarters of an inch
WIDTH, HEIGHT = LETTER
COLUMNS = (MARGIN, MARGIN + 24, WIDTH - MARGIN - 190, WIDTH - MARGIN - 95, WIDTH - MARGIN)
LOGO_BOX = (180, 60)  # points: the most room the company's logo takes, top left


def _fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "VeraBd.ttf")))


class _Page:
    """A canvas with a cursor that moves down the page and starts a new one when full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = HEIGHT - MARGIN

    def room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.canvas.showPage()
            self.y = HEIGHT - MARGIN

    def text(
        self, x: float, value: str, *, size: int = 10, bold: bool = False, right: bool = False
    ) -> None:
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        draw = self.canvas.drawRightString if right else self.canvas.drawString
        draw(x, self.y, value)

    def down(self, step: float) -> None:
        self.y -= step


def _logo(page: _Page, logo: bytes) -> None:
    """The logo at the top left, as large as fits ``LOGO_BOX`` (its shape kept)."""
    image = ImageReader(io.BytesIO(logo))
    width, height = image.getSize()
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    shown = (width * scale, height * scale)
    page.canvas.drawImage(image, MARGIN, page.y - shown[1] + 12, *shown, mask="auto")
    page.down(shown[1] + 8)


def _header(
    page: _Page, company: CompanySettings, title: str, w: Words, logo: bytes | None = None
) -> None:
    page.text(WIDTH - MARGIN, title, size=16, bold=True, right=True)
    if logo:
        _logo(page, logo)
    page.text(MARGIN, company.name, size=16, bold=True)
    for line in (company.address, company.phone):
        if line:
            page.down(14)
            page.text(MARGIN, line)
    page.down(28)


def _lines(page: _Page, lines: list[DocumentLine], w: Words) -> None:
    for x, key in zip(
        COLUMNS[1:], ("description", "quantity", "unit_price", "amount"), strict=True
    ):
        page.text(x, w(key), bold=True, right=key != "description")
    page.down(6)
    page.canvas.line(MARGIN, page.y, WIDTH - MARGIN, page.y)
    page.down(14)
    for number, line in enumerate(lines, start=1):
        page.room(16)
        page.text(COLUMNS[0], f"{number}.")
        taxed = "" if line.taxable else f" ({w('not_taxed')})"
        page.text(COLUMNS[1], (w.line(line) + taxed)[:70])
        page.text(COLUMNS[2], f"{w.number(line.quantity)} {line.unit}".strip(), right=True)
        page.text(COLUMNS[3], w.money(line.unit_price), right=True)
        page.text(COLUMNS[4], w.money(line.amount), right=True)
        page.down(16)


def _totals(page: _Page, doc: Estimate | Invoice, w: Words) -> None:
    rows = [(w("subtotal"), doc.subtotal), (w("tax", rate=w.number(doc.tax_rate)), doc.tax)]
    rows.append((w("total"), doc.total))
    if isinstance(doc, Invoice):
        rows += [(w("paid"), doc.paid), (w("balance"), doc.total - doc.paid)]
    page.down(8)
    for label, value in rows:
        page.room(16)
        bold = label in (w("total"), w("balance"))
        page.text(COLUMNS[3], label, bold=bold, right=True)
        page.text(COLUMNS[4], w.money(value), bold=bold, right=True)
        page.down(16)


def _closing(page: _Page, doc: Estimate | Invoice, company: CompanySettings, w: Words) -> None:
    page.down(12)
    if doc.notes:
        page.room(30)
        page.text(MARGIN, w("notes"), bold=True)
        for part in doc.notes.splitlines()[:20]:
            page.down(14)
            page.room(14)
            page.text(MARGIN, part[:100])
        page.down(18)
    terms = (
        w("validity", days=company.estimate_valid_days)
        if isinstance(doc, Estimate)
        else w("terms", days=company.payment_terms_days)
    )
    page.room(14)
    page.text(MARGIN, terms)
    if isinstance(doc, Estimate) and doc.status == EstimateStatus.approved and doc.approved_at:
        page.down(30)
        page.room(40)
        stamp = w("approved_by", name=doc.approved_name or "", date=w.day(doc.approved_at.date()))
        page.canvas.setStrokeColorRGB(0.1, 0.5, 0.2)
        page.canvas.rect(MARGIN - 6, page.y - 8, 360, 26)
        page.text(MARGIN, stamp, size=11, bold=True)


def document_pdf(
    doc: Estimate | Invoice,
    lines: list[DocumentLine],
    *,
    company: CompanySettings,
    customer: Customer | None,
    w: Words,
    logo: bytes | None = None,
) -> bytes:
    """The document as a PDF: company header (with its logo, a PNG, when it has one),
    customer, numbered lines, totals, terms, and the approval stamp once an estimate is
    approved."""
    _fonts()
    buffer = io.BytesIO()
    title = f"{w('estimate') if isinstance(doc, Estimate) else w('invoice')} {doc.number}"
    canvas = Canvas(buffer, pagesize=LETTER, pageCompression=1)
    canvas.setTitle(title)
    page = _Page(canvas)
    _header(page, company, title, w, logo)
    page.text(MARGIN, f"{w('for')}: {customer.name if customer else ''}", bold=True)
    page.text(WIDTH - MARGIN, f"{w('date')}: {w.day(doc.created_at.date())}", right=True)
    page.down(14)
    if isinstance(doc, Estimate) and doc.valid_until:
        page.text(WIDTH - MARGIN, f"{w('valid_until')}: {w.day(doc.valid_until)}", right=True)
    if isinstance(doc, Invoice) and doc.due_date:
        page.text(WIDTH - MARGIN, f"{w('due')}: {w.day(doc.due_date)}", right=True)
    if customer and customer.address:
        page.text(MARGIN, customer.address[:80])
    page.down(28)
    _lines(page, lines, w)
    _totals(page, doc, w)
    _closing(page, doc, company, w)
    canvas.save()
    return buffer.getvalue()
