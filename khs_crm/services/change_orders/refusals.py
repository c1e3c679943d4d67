"""The change-order rules' refusals: a code of services/sync/messages.py with its parameters,
rendered in the reader's language; ``keep``: the device's work is kept for the office."""

from __future__ import annotations

from typing import Any

from khs_crm.services.core.errors import Conflict, Forbidden
from khs_crm.services.sync import messages


class ChangeOrderRefused(Conflict):
    """A change order may not change so (409); kept as refused work when it came from a phone
    (a signed one edited, a signature over content that changed)."""

    keep = True

    def __init__(self, reason: str, params: dict[str, Any], *, field: str = "") -> None:
        super().__init__(
            messages.render(reason, params),
            details=[{"field": field or "status", "message": reason}],
        )
        self.reason = reason
        self.params = params
        self.field = field

    def said(self, language: str) -> tuple[str, list[dict[str, str]]]:
        return messages.render(self.reason, self.params, language), self.details


class PriceNotAllowed(Forbidden):
    """A person who may not price change orders sent prices (403; nothing applied)."""

    keep = False
    reason = messages.CO_PRICE_NOT_ALLOWED
    params: dict[str, Any] = {}

    def __init__(self) -> None:
        super().__init__(
            messages.render(self.reason, {}),
            details=[{"field": "lines", "message": self.reason}],
        )

    def said(self, language: str) -> tuple[str, list[dict[str, str]]]:
        return messages.render(self.reason, {}, language), self.details
