"""/search?q= : every customer, job and person the header's search box finds, grouped."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import messages
from khs_crm.components.layout import loading, office_shell
from khs_crm.components.links import link
from khs_crm.components.ui import card, empty_state
from khs_crm.state.office.search import Group, Hit, SearchPageState

S = SearchPageState


def _hit(hit: Hit) -> rx.Component:
    return rx.el.li(
        link(hit.label, href=hit.href, class_name="link strong"),
        rx.el.span(hit.detail, class_name="muted search-detail"),
        key=hit.option_id,
    )


def _group(group: Group) -> rx.Component:
    return card(
        rx.el.h2(group.title, class_name="search-page-title"),
        rx.el.ul(rx.foreach(group.hits, _hit), class_name="search-results"),
        key=group.kind,
    )


def _content() -> rx.Component:
    return rx.fragment(
        messages(S),
        rx.cond(
            S.page_query.strip() == "",
            empty_state(
                "Type in the search box above (or press /) to find customers, jobs and people."
            ),
            rx.fragment(
                rx.el.p("Results for “", S.page_query, "”", class_name="muted", role="status"),
                rx.cond(
                    S.page_groups.length() > 0,
                    rx.foreach(S.page_groups, _group),
                    empty_state(
                        "Nothing matches “" + S.page_query + "”. Try part of a name, a phone "
                        "number or an address."
                    ),
                ),
            ),
        ),
    )


def search_page() -> rx.Component:
    return office_shell("Search", rx.cond(S.page_loaded, _content(), loading()))
