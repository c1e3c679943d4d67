"""Page templates: the office shell (sidebar), the field shell and the bare centred layout."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.links import nav_item
from khs_crm.components.native_form import native_form
from khs_crm.components.ui import nav_link, offline_banner
from khs_crm.services.customers.search import MAX_QUERY_LENGTH
from khs_crm.state.auth import AuthState
from khs_crm.state.office.search import Group, Hit, SearchBoxState

OFFICE_NAV = [
    ("Dashboard", "/"),
    ("Customers", "/customers"),
    ("Jobs", "/jobs"),
    ("Schedule", "/schedule"),
    ("Timesheets", "/timesheets"),
    ("Estimates", "/estimates"),
    ("Invoices", "/invoices"),
    ("Change orders", "/change-orders"),
    ("People", "/people"),
    ("Conflicts", "/conflicts"),
    ("Activity", "/activity"),
    ("Company", "/settings/company"),
]
FIELD_NAV = [
    ("Today", "/field"),
    ("Jobs", "/field/jobs"),
    ("Supply run", "/field/supply"),
    ("Sync", "/field/sync"),
]


def sign_out(label: str | Var = "Sign out") -> rx.Component:
    return native_form(
        rx.el.button(label, type="submit", class_name="btn btn-link"),
        action="/api/auth/signout",
        method="post",
        class_name="signout",
    )


def _user_box() -> rx.Component:
    return rx.el.div(
        rx.el.span(AuthState.user_name, class_name="user-name"),
        sign_out(),
        class_name="user-box",
    )


def loading() -> rx.Component:
    return rx.el.p("Loading…", class_name="empty", role="status")


class _SlashToSearch(rx.Fragment):
    """ "/" anywhere outside a text field focuses the header's search box (compiled into the
    page's bundle, so the Content-Security-Policy needs no inline script)."""

    def add_imports(self):
        return {"react": "useEffect"}

    def add_hooks(self) -> list[str | Var]:
        return [
            """useEffect(() => {
  const onKey = (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    const box = document.getElementById("global-search");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}, []);"""
        ]


class _CurrentLinkInView(rx.Fragment):
    """On a phone the office navigation is one row that scrolls sideways (khs.css), and each
    page draws it anew, scrolled to its start: "People" or "Company" would be off the screen
    on their own page. When the row overflows, it is scrolled so the current page's link
    shows in its middle; the page itself does not move. The links appear once the user is
    known, after the page (where Reflex runs this hook) has mounted: until then the row is
    watched for them."""

    def add_imports(self):
        return {"react": "useEffect"}

    def add_hooks(self) -> list[str | Var]:
        return [
            """useEffect(() => {
  const row = document.querySelector("nav.sidebar");
  if (!row) return;
  const show = () => {
    const here = row.querySelector('[aria-current="page"]');
    if (!here) return false;
    if (row.scrollWidth > row.clientWidth) {
      const off = here.getBoundingClientRect().left - row.getBoundingClientRect().left;
      row.scrollLeft += off - (row.clientWidth - here.offsetWidth) / 2;
    }
    return true;
  };
  if (show()) return;
  const watch = new MutationObserver(() => { if (show()) watch.disconnect(); });
  watch.observe(row, { childList: true, subtree: true });
  return () => watch.disconnect();
}, []);"""
        ]


B = SearchBoxState
_BOX_TEXT = rx.Var('document.getElementById("global-search")?.value ?? ""').to(str)


def _option(hit: Hit) -> rx.Component:
    active = B.box_active == hit.index
    return rx.el.div(
        rx.el.span(hit.label, class_name="search-label"),
        rx.el.span(hit.detail, class_name="search-detail"),
        id=hit.option_id,
        role="option",
        aria_selected=rx.cond(active, "true", "false"),
        class_name=rx.cond(active, "search-option active", "search-option"),
        on_click=rx.redirect(hit.href),
        key=hit.option_id,
    )


def _group(group: Group) -> rx.Component:
    return rx.el.div(
        rx.el.div(group.title, id="search-group-" + group.kind, class_name="search-group-title"),
        rx.foreach(group.hits, _option),
        role="group",
        aria_labelledby="search-group-" + group.kind,
        key=group.kind,
    )


def _search_box() -> rx.Component:
    """A combobox: type, ArrowDown/ArrowUp through the grouped results, Enter opens one (or
    the full results page), Escape closes."""
    return rx.el.div(
        _SlashToSearch.create(),
        rx.el.label(
            "Find a customer, job or person", html_for="global-search", class_name="sr-only"
        ),
        rx.el.input(
            id="global-search",
            type="text",
            role="combobox",
            placeholder="Search  ( / )",
            aria_keyshortcuts="/",
            aria_autocomplete="list",
            aria_controls="global-search-list",
            aria_expanded=rx.cond(B.box_open, "true", "false"),
            aria_activedescendant=rx.cond(B.box_open, B.box_active_id, ""),
            default_value=B.box_query,
            on_change=B.type_text.debounce(200),
            # the box's words go with the key: typing reaches the server only 200 ms later
            on_key_down=lambda key, _info: B.key(key, _BOX_TEXT),
            on_blur=B.close.debounce(250),
            auto_complete="off",
            max_length=MAX_QUERY_LENGTH,
            class_name="input search",
        ),
        rx.el.div(
            rx.foreach(B.box_groups, _group),
            id="global-search-list",
            role="listbox",
            aria_label="Search results",
            # the words these results answer (the box may already hold more): scripts and
            # tests wait for their own words before choosing a result
            custom_attrs={"data-query": B.box_query},
            hidden=~B.box_open | (B.box_count == 0),
            class_name="search-pop",
        ),
        rx.el.p(
            rx.cond(
                B.box_open,
                rx.cond(
                    B.box_count > 0,
                    B.box_count.to_string() + " found: arrow keys to choose, Enter to open",
                    "Nothing found. Enter shows the full results.",
                ),
                "",
            ),
            role="status",
            class_name=rx.cond(B.box_open & (B.box_count == 0), "search-empty", "sr-only"),
        ),
        class_name="global-search",
    )


def office_shell(title: str, *children: rx.Component) -> rx.Component:
    """Sidebar navigation for owners and admins, the header's search box; content only
    once the user is known. A "Skip to content" link comes first."""
    return rx.el.div(
        rx.el.a("Skip to content", href="#main", class_name="skip-link"),
        rx.el.nav(
            rx.el.div("KHS CRM", class_name="brand"),
            rx.cond(
                AuthState.is_office,
                rx.fragment(*[nav_item(text, href) for text, href in OFFICE_NAV]),
            ),
            _CurrentLinkInView.create(),
            class_name="sidebar",
            aria_label="Main",
        ),
        rx.el.main(
            rx.el.div(
                rx.el.h1(title),
                rx.cond(AuthState.is_office, _search_box()),
                rx.cond(AuthState.user_name != "", _user_box()),
                class_name="topbar",
            ),
            rx.cond(AuthState.is_office, rx.fragment(*children), loading()),
            id="main",
            tab_index=-1,
            class_name="main",
        ),
        offline_banner(),
        class_name="shell",
    )


def field_shell(title: str, *children: rx.Component) -> rx.Component:
    """Phone layout: header, content, bottom navigation within thumb reach."""
    return rx.el.div(
        rx.el.header(
            rx.el.h1(title),
            rx.cond(AuthState.user_name != "", _user_box()),
            class_name="field-header",
        ),
        rx.el.main(
            rx.cond(AuthState.user_role != "", rx.fragment(*children), loading()),
            class_name="field-main",
        ),
        rx.el.nav(
            *[nav_link(text, href) for text, href in FIELD_NAV],
            class_name="bottom-nav",
            aria_label="Field",
        ),
        offline_banner(),
        class_name="field-shell",
    )


def centred(*children: rx.Component) -> rx.Component:
    return rx.el.main(*children, offline_banner(), class_name="auth-wrap")
