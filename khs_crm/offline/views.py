"""Client state the field screens render from, and the JS calls their controls make.

Each view is a ``ClientStateVar`` that the JS store (``assets/khs_app.js``) fills: a screen
binds it on mount with ``window.khs.bind(name, setter)`` and the store calls the setter with
fresh data whenever the rows change. Controls call ``window.khs.*`` through plain JS function
Vars, so they work with the backend unreachable (no Reflex event, no ``eval``).
"""

from __future__ import annotations

from typing import Any

from reflex.experimental.client_state import ClientStateVar
from reflex_base.vars.base import Var, VarData
from reflex_base.vars.function import ArgsFunctionOperation, FunctionStringVar

STATUS = ClientStateVar.create(
    "khsStatus",
    default={
        "ready": False,
        "loadingText": "Loading…",
        "signedIn": False,
        "userName": "",
        "pending": 0,
        "showBanner": False,
        "bannerText": "",
        "updateReady": False,
    },
)
# Every view says "bound" once the store has filled it: until then a screen shows
# "Loading…", never the empty default ("No jobs", "Every change has reached the office").
TODAY = ClientStateVar.create("khsToday", default={"bound": False, "items": []})
JOBS = ClientStateVar.create("khsJobs", default={"bound": False, "items": []})
JOB = ClientStateVar.create(
    "khsJob",
    default={
        "bound": False,
        "found": False,
        "id": "",
        "moves": [],
        "materials": [],
        "notes": [],
        "photos": [],
        "materialError": "",
    },
)
# The person's language's catalog, by English message ({} for English): khs_crm/offline/words.py.
WORDS = ClientStateVar.create("khsWords", default={})
SETTINGS = ClientStateVar.create(
    "khsSettings", default={"bound": False, "language": "en", "shareLocation": False}
)
SUPPLY = ClientStateVar.create("khsSupply", default={"bound": False, "groups": []})
SYNC = ClientStateVar.create(
    "khsSync",
    default={
        "bound": False,
        "pending": 0,
        "pendingText": "",
        "stateText": "",
        "detail": "",
        "lastSyncText": "",
        "ops": [],
        "issues": [],
    },
)

CLOCK = ClientStateVar.create(
    "khsClock", default={"bound": False, "running": False, "notice": "", "askLocation": False}
)
WEEK = ClientStateVar.create("khsWeek", default={"bound": False, "days": [], "total": ""})
CHANGE_ORDER = ClientStateVar.create(
    "khsChangeOrder", default={"bound": False, "found": False, "lines": [], "photos": []}
)

VIEWS: dict[str, ClientStateVar] = {
    "status": STATUS,
    "today": TODAY,
    "jobs": JOBS,
    "job": JOB,
    "supply": SUPPLY,
    "sync": SYNC,
    "words": WORDS,
    "settings": SETTINGS,
    "clock": CLOCK,
    "week": WEEK,
    "changeOrder": CHANGE_ORDER,
}


# Queues the call when a screen mounts before assets/khs_app.js has run (it drains the queue),
# and asks for the field app should this page not have loaded it (assets/khs_page.js).
_BIND = (
    "((...a) => (window.khs ? window.khs.bind(...a)"
    " : ((window.khsQueue ??= []).push(a), window.khsField && window.khsField())))"
)


def khs_call(name: str, *args: Any, params: tuple[str, ...] = ()) -> Var:
    """A JS function Var ``(params) => window.khs?.<name>(*args)`` for an event trigger."""
    call = FunctionStringVar.create(f"window.khs?.{name}").call(*args)
    return ArgsFunctionOperation.create(params, call)


def bind(*views: str) -> Var:
    """An on_mount trigger that subscribes this screen to some of the store's views."""
    calls = [FunctionStringVar.create(_BIND).call(view, VIEWS[view].set) for view in views]
    body = Var(
        _js_expr="(" + ", ".join(map(str, calls)) + ")",
        _var_data=VarData.merge(*(call._get_all_var_data() for call in calls)),
    )
    return ArgsFunctionOperation.create((), body)


def obj(view: str) -> Var:
    """A view's value as a dict Var."""
    return VIEWS[view].value.to(dict)


def field(view: str, key: str) -> Var:
    """One field of an object view."""
    return obj(view)[key]


def items(view: str, key: str = "items") -> Var:
    """A list inside a view, for ``rx.foreach``."""
    return obj(view)[key].to(list[dict])
