"""State behind /login: the message to show and where to go after signing in."""

from __future__ import annotations

import reflex as rx

from khs_crm.state.auth import AuthState

MESSAGES = {
    "invalid": "That email and password don't match an active account. Check them and try again.",
    "origin": "Your sign-in could not be verified. Reload the page and try again.",
}


def _safe_next(target: str) -> str:
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class LoginState(AuthState):
    error: str = ""
    next_path: str = "/"

    @rx.event
    def load(self):
        params = self.router.url.query_parameters
        self.next_path = _safe_next(params.get("next", "/"))
        code = params.get("error", "")
        if code == "rate_limited":
            retry = params.get("retry", "60")
            seconds = retry if retry.isdigit() else "60"
            self.error = f"Too many sign-in attempts. Wait {seconds} seconds and try again."
        else:
            self.error = MESSAGES.get(code, "")
        if self._current_user() is not None:
            return rx.redirect(self.next_path)
        return None
