"""Links inside the app: client-side navigation (no page reload), plain <a> underneath."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.components.component import field
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.inline import A
from reflex_components_core.react_router.dom import ReactRouterLink

from khs_crm.components.icons import office_icon
from khs_crm.i18n import N_
from khs_crm.state.office.badges import NavBadgeState


class ReactRouterNavLink(ReactRouterLink):
    """React Router's NavLink: sets aria-current="page" while its route is showing."""

    tag = "NavLink"

    alias = "ReactRouterNavLink"

    end: Var[bool] = field(doc="Match the whole path only (for /, which prefixes every route).")


def link(*children: Any, href: Any, class_name: str = "link", **props: Any) -> rx.Component:
    return ReactRouterLink.create(*children, to=href, class_name=class_name, **props)


def _badge(count: Var, words: str) -> rx.Component:
    return rx.cond(
        count > 0,
        rx.el.span(count, rx.el.span(" " + words, class_name="sr-only"), class_name="nav-badge"),
    )


def nav_item(text: str, href: str) -> rx.Component:
    """A sidebar entry: an icon and its words (the words alone name it when the sidebar
    shrinks to icons at laptop widths; ``title`` shows them on hover). The one for the
    screen showing is marked aria-current="page". Conflicts carries how many wait for
    review."""
    badge = (
        _badge(NavBadgeState.open_conflicts, N_("waiting for review"))
        if href == "/conflicts"
        else rx.fragment()
    )
    return ReactRouterNavLink.create(
        office_icon(href),
        rx.el.span(text, class_name="nav-text"),
        badge,
        to=href,
        end=href == "/",
        title=text,
        class_name="nav-link",
    )


def external(text: Any, href: Any, **props: Any) -> rx.Component:
    """A link that leaves the app (maps): a new tab, no referrer details."""
    return rx.el.a(text, href=href, target="_blank", rel="noopener noreferrer", **props)


def call_link(phone: Any, href: Any, name: Any) -> rx.Component:
    """Tap-to-call a customer's phone, or "No phone" when there is none."""
    return rx.cond(
        href != "",
        rx.el.a(rx.el.span(N_("Call "), name, N_(" at "), class_name="sr-only"), phone, href=href),
        N_("No phone"),
    )


def download(text: Any, href: Any, **props: Any) -> rx.Component:
    """A file the server sends as an attachment (CSV exports).

    ``rx.el.a`` is React Router's Link, which would route ``/api/...`` inside the app (a 404
    page); this is the plain ``<a download>`` element, so a click or Enter fetches the file."""
    props.setdefault("class_name", "btn btn-secondary")
    return A.create(text, href=href, download=True, **props)
