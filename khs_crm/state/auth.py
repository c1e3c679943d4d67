"""Who is signed in, read from the HttpOnly session cookie on the websocket handshake."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote

import reflex as rx

from khs_crm.db import session_scope
from khs_crm.integrations import read_cache
from khs_crm.models import User
from khs_crm.services.auth import service as auth
from khs_crm.services.core.access import is_office

COOKIE_NAMES = ("__Host-khs_session", "khs_session")


@lru_cache(maxsize=1024)
def session_id_from_cookie_header(header: str) -> str | None:
    """The session id from a raw Cookie header, or None (parsed once per header: each event
    of a page load asks again)."""
    jar = SimpleCookie()
    try:
        jar.load(header or "")
    except CookieError:
        return None
    for name in COOKIE_NAMES:
        if name in jar:
            return jar[name].value
    return None


# A page load runs several on_load handlers (the page's, the navigation badge's) within
# milliseconds, each asking who is signed in. The answer is kept that long, and only while
# nothing has been written anywhere: signing out, deactivating someone and resetting a
# password all write (read_cache.announce_write for sessions kept in Redis).
RECENT = 2.0
_recent: dict[str, tuple[tuple[int, int], float, User]] = {}


def user_for_cookie(raw: str | None) -> User | None:
    """The active user behind a session cookie (auth.user_for_session), checked again after
    any write or ``RECENT`` seconds. The user is detached: read it, never change it."""
    if not raw:
        return None
    key = hashlib.sha256(raw.encode()).hexdigest()
    seen, now = read_cache.writes_seen(), time.monotonic()
    kept = _recent.get(key)
    if kept is not None and kept[0] == seen and now - kept[1] < RECENT and seen[1] >= 0:
        return kept[2]
    with session_scope() as session:
        user = auth.user_for_session(session, raw)
    if user is None:
        _recent.pop(key, None)
    elif seen[1] >= 0 and read_cache.writes_seen() == seen:
        if len(_recent) > 1000:
            _recent.clear()
        _recent[key] = (seen, now, user)
    return user


class AuthState(rx.State):
    """The signed-in user's public face. The session id itself never enters state."""

    user_name: str = ""
    user_role: str = ""
    _user_id: str = ""

    def _current_user(self) -> User | None:
        """Check the session on every call, so a deactivated user is stopped mid-session."""
        user = user_for_cookie(session_id_from_cookie_header(self.router.headers.cookie))
        if self._user_id and self._user_id != (str(user.id) if user else ""):
            # Another person (or nobody) on this tab's token: nothing loaded for the previous
            # one may reach them. (Sign-out also gives the tab a new token: khs_device.js.)
            self._get_root_state().reset()
        face = ("", "", "") if user is None else (user.name, str(user.role), str(user.id))
        if (self.user_name, self.user_role, self._user_id) != face:
            # assigned only when changed: an assignment sends the vars (and those computed
            # from them) to the tab again, on every event that checks who is signed in
            self.user_name, self.user_role, self._user_id = face
        return user

    def _here(self) -> str:
        url = self.router.url
        return url.path + (f"?{url.query}" if url.query else "")

    def _to_login(self):
        return rx.redirect(f"/login?next={quote(self._here(), safe='')}")

    def _office_user(self) -> User | None:
        user = self._current_user()
        return user if user is not None and is_office(user) else None

    def _gate(self, *, office: bool) -> tuple[User | None, object]:
        """(user, None) when allowed; (None, redirect) for a signed-out or wrong-role visitor."""
        user = self._current_user()
        if user is None:
            return None, self._to_login()
        if office and not is_office(user):
            return None, rx.redirect("/field")
        return user, None

    @rx.event
    def require_user(self):
        """on_load of every signed-in page: send a signed-out visitor to /login and back."""
        if self._current_user() is None:
            return self._to_login()
        return None

    @rx.event
    def require_office(self):
        """on_load of office pages: workers go to their Today screen instead."""
        user = self._current_user()
        if user is None:
            return self._to_login()
        if not is_office(user):
            return rx.redirect("/field")
        return None

    @rx.var
    def is_office(self) -> bool:
        return self.user_role in ("owner", "admin")
