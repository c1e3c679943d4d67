"""The words and numbers a customer reads on an estimate or invoice (its link page and its
PDF), in the customer's language when it is set, else the company's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from khs_crm.i18n import DEFAULT_LANGUAGE, FORMAT_LOCALES, N_, gettext, language_of
from khs_crm.models import Customer, DocumentLine, EstimateStatus, InvoiceStatus, LineKind

CURRENCY = "USD"

LABELS = {
    "estimate": N_("Estimate"),
    "invoice": N_("Invoice"),
    "number": N_("Number"),
    "date": N_("Date"),
    "for": N_("For"),
    "valid_until": N_("Valid until"),
    "due": N_("Due"),
    "description": N_("Description"),
    "quantity": N_("Qty"),
    "unit_price": N_("Unit price"),
    "amount": N_("Amount"),
    "subtotal": N_("Subtotal"),
    "tax": N_("Tax ({rate}%)"),
    "total": N_("Total"),
    "paid": N_("Paid"),
    "balance": N_("Balance due"),
    "notes": N_("Notes"),
    "not_taxed": N_("not taxed"),
    "approved_by": N_("Approved by {name} on {date}"),
    "declined": N_("You declined this estimate."),
    "approve": N_("Approve"),
    "decline": N_("Decline"),
    "full_name": N_("Your full name"),
    "agree": N_("I agree to this estimate and its terms."),
    "reason": N_("Reason (optional)"),
    "thanks_approved": N_("Thank you: the estimate is approved."),
    "thanks_declined": N_("Thank you for letting us know."),
    "not_open": N_("This estimate is no longer open for an answer."),
    "expired": N_("This estimate has expired. Please contact us for a new one."),
    "gone": N_("This link does not work any more."),
    "fix_form": N_("Type your full name and tick the box to approve."),
    "terms": N_("Payment is due within {days} days."),
    "validity": N_("This estimate is valid for {days} days."),
}
STATUSES = {
    EstimateStatus.draft: N_("Draft"),
    EstimateStatus.sent: N_("Waiting for your answer"),
    EstimateStatus.approved: N_("Approved"),
    EstimateStatus.declined: N_("Declined"),
    EstimateStatus.expired: N_("Expired"),
    EstimateStatus.superseded: N_("Replaced by a newer estimate"),
    InvoiceStatus.partially_paid: N_("Partly paid"),
    InvoiceStatus.paid: N_("Paid"),
    InvoiceStatus.void: N_("Void"),
}
KINDS = {LineKind.discount: N_("Discount")}


@dataclass(frozen=True)
class Words:
    """One reader's language: labels, amounts and dates as they read them."""

    language: str

    def __call__(self, key: str, **params: object) -> str:
        return gettext(LABELS[key], self.language, **params)

    @property
    def locale(self) -> str:
        return FORMAT_LOCALES.get(self.language, FORMAT_LOCALES[DEFAULT_LANGUAGE])

    def money(self, value: Decimal) -> str:
        return format_currency(value, CURRENCY, locale=self.locale)

    def number(self, value: Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def day(self, value: date | None) -> str:
        return format_date(value, format="long", locale=self.locale) if value else ""

    def status(self, value: EstimateStatus | InvoiceStatus) -> str:
        if isinstance(value, InvoiceStatus) and value in (InvoiceStatus.draft, InvoiceStatus.sent):
            return ""  # an open invoice needs no word beside its balance
        return gettext(STATUSES[value], self.language) if value in STATUSES else ""

    def line(self, line: DocumentLine) -> str:
        """A line's description (a discount without one says "Discount")."""
        if line.description:
            return line.description
        return gettext(KINDS[line.kind], self.language) if line.kind in KINDS else ""


def words_for(customer: Customer | None) -> Words:
    """The customer's language when set, else the company's."""
    return Words(language_of(customer.language if customer else None))
