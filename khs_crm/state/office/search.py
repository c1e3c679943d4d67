"""State behind the office header's search box and the /search page: one call to the
search service (services/search/everything.py), its results as groups of links."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from pydantic import BaseModel

from khs_crm.models import JobStatus
from khs_crm.services.search import everything
from khs_crm.state.auth import AuthState
from khs_crm.state.office.base import Feedback

BOX_LIMIT = 5
PAGE_LIMIT = 20
MAX_TEXT = 200


class Hit(BaseModel):
    index: int  # position among every option of the box, for the arrow keys
    option_id: str
    label: str
    detail: str
    href: str


class Group(BaseModel):
    kind: str
    title: str
    hits: list[Hit]


def _status(value: str) -> str:
    return JobStatus(value).value.replace("_", " ").capitalize()


def groups_of(found: everything.Found) -> list[Group]:
    """Customers, jobs and people (the kinds with something found), each hit a link."""
    kinds = [
        (
            "customers",
            "Customers",
            [
                (
                    c.name,
                    " · ".join(x for x in (c.phone, c.email, c.address) if x),
                    f"/customers/{c.id}",
                )
                for c in found.customers
            ],
        ),
        (
            "jobs",
            "Jobs",
            [(j.title, f"{name} · {_status(j.status)}", f"/jobs/{j.id}") for j, name in found.jobs],
        ),
        (
            "people",
            "People",
            [
                (u.name, u.email + ("" if u.active else " · inactive"), "/people")
                for u in found.people
            ],
        ),
    ]
    groups, index = [], 0
    for kind, title, rows in kinds:
        hits = []
        for label, detail, href in rows:
            hits.append(
                Hit(
                    index=index,
                    option_id=f"search-option-{index}",
                    label=label,
                    detail=detail,
                    href=href,
                )
            )
            index += 1
        if hits:
            groups.append(Group(kind=kind, title=title, hits=hits))
    return groups


def _hrefs(groups: list[Group]) -> list[str]:
    return [hit.href for group in groups for hit in group.hits]


class SearchBoxState(Feedback, AuthState):
    """The header's combobox: typed text, its results, which option the arrows are on."""

    box_query: str = ""
    box_groups: list[Group] = []
    box_open: bool = False
    box_active: int = -1
    box_count: int = 0
    # words Enter has already opened the results of, before their debounced typing arrived
    _box_opened: str = ""

    @rx.event
    def type_text(self, text: str):
        opened, self._box_opened = self._box_opened, ""
        if opened and text[:MAX_TEXT] == opened:
            return None  # late typing of words already shown: the list stays closed
        self.box_query, self.box_active = text[:MAX_TEXT], -1
        if not self.box_query.strip():
            self.box_groups, self.box_open, self.box_count = [], False, 0
            return None
        return self._run(self._find)

    def _find(self, session, user) -> None:
        found = everything.search_everything(session, user=user, q=self.box_query, limit=BOX_LIMIT)
        self.box_groups, self.box_count, self.box_open = groups_of(found), found.count, True

    @rx.event
    def key(self, key: str, text: str | None = None):
        """ArrowDown/ArrowUp move through the options, Enter opens one (or every result),
        Escape closes the list.

        ``text`` is what the box holds as the key is pressed. Typing reaches the server
        200 ms after the last key (debounced), so "smith" typed and Enter pressed at once
        would otherwise open the results of "s", or nothing: Enter goes by the box's words,
        and opens the chosen option only when the list answers those words."""
        if key == "Escape":
            self.box_open, self.box_active = False, -1
        elif key in ("ArrowDown", "ArrowUp") and self.box_query.strip():
            step = 1 if key == "ArrowDown" else -1
            self.box_open = True
            if self.box_count:
                self.box_active = (self.box_active + step) % self.box_count
        elif key == "Enter":
            words = self.box_query if text is None else text[:MAX_TEXT]
            if not words.strip():
                return None
            hrefs = _hrefs(self.box_groups)
            chosen = words == self.box_query and self.box_open
            target = (
                hrefs[self.box_active]
                if chosen and 0 <= self.box_active < len(hrefs)
                else f"/search?q={quote(words.strip())}"
            )
            if words != self.box_query:
                self._box_opened = words
            self.box_query, self.box_open, self.box_active = words, False, -1
            return rx.redirect(target)
        return None

    @rx.event
    def close(self):
        self.box_open, self.box_active = False, -1

    @rx.var
    def box_active_id(self) -> str:
        return f"search-option-{self.box_active}" if self.box_active >= 0 else ""


class SearchPageState(Feedback, AuthState):
    """/search?q=: every kind, up to PAGE_LIMIT each."""

    page_query: str = ""
    page_groups: list[Group] = []
    page_loaded: bool = False

    @rx.event
    def load(self):
        self.page_query = self.router.url.query_parameters.get("q", "")[:MAX_TEXT]
        self.page_groups, self.page_loaded = [], False
        if not self.page_query.strip():
            user, redirect = self._gate(office=True)
            self.page_loaded = user is not None
            return redirect
        result = self._run(self._find)
        self.page_loaded = True
        return result

    def _find(self, session, user) -> None:
        found = everything.search_everything(
            session, user=user, q=self.page_query, limit=PAGE_LIMIT
        )
        self.page_groups = groups_of(found)
