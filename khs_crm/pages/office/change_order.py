"""/change-orders/[change_order_id] : one change order: what was agreed, its lines and total,
its photos, the customer's signature and whether the stored text still matches it; Price,
Approve, Reject and the PDF."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import download, link
from khs_crm.components.ui import button, card, empty_state, lines_table
from khs_crm.i18n import N_
from khs_crm.pages.office.change_order_dialogs import price_dialog, reject_dialog
from khs_crm.pages.office.estimates import doc_status
from khs_crm.pages.office.estimates_actions import link_box
from khs_crm.state.office.change_order import ChangeOrderState

S = ChangeOrderState


def _actions() -> rx.Component:
    c = S.co
    return rx.el.div(
        rx.cond(c.can_price, button(N_("Price"), on_click=S.open_price)),
        rx.cond(c.can_approve, button(N_("Approve"), on_click=S.approve)),
        rx.cond(
            c.can_reject, button(N_("Reject"), variant="danger-outline", on_click=S.ask_reject)
        ),
        download(N_("Download PDF"), c.pdf_href),
        class_name="actions",
    )


def _mismatch() -> rx.Component:
    return rx.el.div(
        rx.el.strong(N_("Changed after signing. ")),
        N_(
            "What is stored no longer matches what the customer signed, so it cannot be "
            "approved. Reject it and write a new change order."
        ),
        class_name="banner banner-error",
        role="alert",
    )


def _integrity() -> rx.Component:
    return rx.cond(
        S.co.integrity == "mismatch",
        rx.el.p(
            rx.el.span("⚠ ", aria_hidden="true"),
            N_("Does not match the signature any more."),
            class_name="chg-integrity-bad",
        ),
        rx.el.p(
            rx.el.span("✓ ", aria_hidden="true"),
            N_("Unchanged since the customer signed it."),
            class_name="chg-integrity-ok",
        ),
    )


def _related() -> rx.Component:
    c = S.co
    return rx.fragment(
        rx.cond(c.revises_id != "", rx.el.dt(N_("Prices"))),
        rx.cond(
            c.revises_id != "",
            rx.el.dd(link(c.revises_number, href="/change-orders/" + c.revises_id)),
        ),
        rx.cond(c.revision_id != "", rx.el.dt(N_("Priced as"))),
        rx.cond(
            c.revision_id != "",
            rx.el.dd(link(c.revision_number, href="/change-orders/" + c.revision_id)),
        ),
    )


def _facts() -> rx.Component:
    c = S.co
    return card(
        rx.el.dl(
            rx.el.dt(N_("Job")),
            rx.el.dd(link(c.job, href="/jobs/" + c.job_id, class_name="link strong")),
            rx.el.dt(N_("Customer")),
            rx.el.dd(link(c.customer, href="/customers/" + c.customer_id)),
            rx.el.dt(N_("Written up")),
            rx.el.dd(c.created),
            _related(),
            class_name="facts",
        ),
        rx.cond(
            c.history.length() > 0,
            rx.el.ul(rx.foreach(c.history, lambda h: rx.el.li(h)), class_name="chg-history"),
        ),
        title=N_("Change order"),
    )


def _signature() -> rx.Component:
    g = S.signature
    drawing = rx.el.svg(
        rx.el.path(
            d=g.path,
            fill="none",
            stroke="currentColor",
            stroke_width="2.5",
            stroke_linecap="round",
            stroke_linejoin="round",
        ),
        role="img",
        aria_label=N_("Signature of ") + g.name,
        view_box=g.view_box,
        class_name="chg-signature",
    )
    return card(
        rx.cond(
            S.signed,
            rx.fragment(
                rx.el.p(N_("Signed by "), rx.el.strong(g.name), ", ", g.signed_at),
                rx.cond(g.path != "", drawing),
                rx.cond(
                    g.location != "",
                    rx.el.p(N_("Where: "), g.location, class_name="small muted"),
                ),
                rx.el.p(
                    N_("Fingerprint (SHA-256): "),
                    rx.el.code(g.content_hash, class_name="chg-hash"),
                    class_name="small muted",
                ),
                _integrity(),
            ),
            empty_state(N_("Not signed yet.")),
        ),
        title=N_("Signature"),
    )


def _line(line: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            line.description,
            rx.el.div(
                line.kind_label,
                rx.cond(line.taxable, "", N_(" · not taxed")),
                class_name="small muted",
            ),
        ),
        rx.el.td(line.quantity, " ", line.unit, class_name="num"),
        rx.el.td(line.unit_price, class_name=rx.cond(line.priced, "num", "num muted")),
        rx.el.td(line.amount, class_name="num"),
    )


def _totals() -> rx.Component:
    c = S.co
    return rx.cond(
        c.priced,
        rx.el.div(
            rx.el.dl(
                rx.el.dt(N_("Subtotal")),
                rx.el.dd(c.subtotal),
                rx.el.dt(N_("Tax ("), c.tax_rate, "%)"),
                rx.el.dd(c.tax),
                rx.el.dt(N_("Total"), class_name="strong"),
                rx.el.dd(c.total, class_name="strong", id="co-total"),
                class_name="money-totals",
            ),
            class_name="money-foot",
        ),
        rx.el.p(N_("Total: to be priced by the office."), class_name="muted", id="co-total"),
    )


def _work() -> rx.Component:
    return card(
        rx.el.p(S.co.description, class_name="chg-description"),
        lines_table(N_("Change order lines"), N_("Work or material"), rx.foreach(S.lines, _line)),
        _totals(),
        title=N_("What was agreed"),
        class_name="chg-work",
    )


def _photo(p: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.cond(
            p.pending,
            rx.el.div(N_("Photo pending: not on the server yet"), class_name="chg-photo-pending"),
            rx.el.a(
                rx.cond(
                    p.thumbnail_url != "",
                    rx.el.img(src=p.thumbnail_url, alt=p.label + ": " + p.caption),
                    rx.el.span(N_("Open the photo")),
                ),
                href=p.file_url,
                target="_blank",
                rel="noopener noreferrer",
            ),
        ),
        rx.el.div(p.label, rx.cond(p.caption != "", " · " + p.caption, ""), class_name="small"),
        class_name="chg-photo",
    )


def _photos() -> rx.Component:
    return card(
        rx.cond(
            S.photos.length() > 0,
            rx.el.ul(rx.foreach(S.photos, _photo), class_name="chg-photos"),
            empty_state(N_("No photos with this change order.")),
        ),
        title=N_("Photos"),
    )


def _found() -> rx.Component:
    c = S.co
    return rx.fragment(
        rx.el.div(
            rx.el.p(
                doc_status(c.status, c.status_label),
                rx.el.span(N_(" Total "), c.total, class_name="muted"),
                class_name="page-subtitle",
            ),
            _actions(),
            class_name="page-head",
        ),
        messages(S, unless=S.pricing | S.rejecting),
        link_box(S),
        rx.cond(c.integrity == "mismatch", _mismatch()),
        rx.el.div(_facts(), _signature(), class_name="two-col"),
        _work(),
        _photos(),
        price_dialog(),
        reject_dialog(),
    )


def _missing() -> rx.Component:
    return card(
        rx.el.p(N_("This change order does not exist or was deleted.")),
        link(N_("Back to change orders"), href="/change-orders"),
    )


def change_order_page() -> rx.Component:
    return office_shell(
        rx.cond(S.loaded & ~S.missing, N_("Change order ") + S.co.number, N_("Change order")),
        rx.el.p(link(N_("← Change orders"), href="/change-orders"), class_name="crumbs"),
        rx.cond(S.loaded, rx.cond(S.missing, _missing(), _found()), loading()),
    )
