"""The field app's only server state: a session check when the server can be reached.

The field screens render from the phone's own database (khs_crm/offline); this check sends
a signed-out visitor to /login while online. Offline the event simply waits.
"""

from __future__ import annotations

import reflex as rx

from khs_crm.state.auth import AuthState


class FieldState(AuthState):
    @rx.event
    def check(self):
        """on_load of every field page."""
        _user, redirect = self._gate(office=False)
        return redirect
