"""Behind a reverse proxy: X-Forwarded-Proto is believed only from the configured proxies."""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Receive, Scope, Send

from khs_crm.settings import get_settings

# Behind a proxy ------------------------------------------------------------------------------


def _trusted(peer: str, proxies: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(peer)
        return any(address in ipaddress.ip_network(p, strict=False) for p in proxies)
    except ValueError:
        return False


class ForwardedProtoMiddleware:
    """Believe X-Forwarded-Proto from KHS_TRUSTED_PROXIES: behind TLS-terminating nginx the
    app then sees https (``__Host-`` session cookie, correct same-origin checks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            proto = dict(scope.get("headers", ())).get(b"x-forwarded-proto", b"").lower()
            client = scope.get("client")
            proxies = get_settings().trusted_proxies
            if proto == b"https" and client and proxies and _trusted(client[0], proxies):
                scope["scheme"] = "https" if scope["type"] == "http" else "wss"
        await self.app(scope, receive, send)
