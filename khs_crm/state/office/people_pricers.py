"""Who may price change orders, on /people: the owner sees and sets it for each worker (the
office always may). For anyone else the state never holds it."""

from __future__ import annotations

import reflex as rx

from khs_crm.i18n import N_
from khs_crm.models import Role
from khs_crm.office.views import parse_id
from khs_crm.services.change_orders import decisions, lists


class ChangeOrderPricers(rx.State, mixin=True):
    """Mixed into the People state (with Feedback): ``pricers``, the ids of the people the
    owner allowed to price change orders."""

    pricers: list[str] = []
    show_pricers: bool = False

    def _load_pricers(self, session, user, ids: list[str]) -> None:
        self.show_pricers = user.role == Role.owner
        wanted = [parse_id(i, "person") for i in ids] if self.show_pricers else []
        self.pricers = sorted(str(i) for i in lists.pricers(session, wanted))

    @rx.event
    def allow_pricing(self, user_id: str, allowed: bool):
        return self._run(self._allow_pricing, user_id, bool(allowed))  # type: ignore[attr-defined]

    def _allow_pricing(self, session, user, user_id: str, allowed: bool) -> None:
        person = parse_id(user_id, "person")
        decisions.set_may_price(session, user_id=person, allowed=allowed, actor=user)
        self._load_pricers(session, user, [*self.pricers, user_id])
        names = {row.id: row.name for row in self.rows}  # type: ignore[attr-defined]
        said = (
            N_("{name} may now price change orders on their jobs.")
            if allowed
            else N_("{name} no longer prices change orders.")
        )
        self.notice = said.format(name=names.get(user_id, ""))  # type: ignore[attr-defined]
