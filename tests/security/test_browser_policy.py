"""The production build runs under its security policy, in Chromium and on the wire.

One app, built and served the production way (``reflex run --env prod``, one origin) with
the demo company (the test run's one production server, shared with the browser tests): the
pages load, sign in and work with no CSP violation; foreign origins get no CORS answer and no
websocket; no secret reaches the log.
"""

from __future__ import annotations

import re
import socket

import httpx
import pytest

from tests.e2e.helpers import (
    DEMO_PASSWORD,
    OWNER,
    WORKER,
    shown_customer_count,
    sign_in_on_the_page,
)
from tests.security.prod_stack import Process

pytestmark = pytest.mark.e2e

# Collects every CSP violation the page reports, from the first byte of every document.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
});
"""
FOREIGN = "https://evil.example"


@pytest.fixture(scope="module")
def prod_app(app_server) -> Process:
    """The run's one production server (tests/support/prod_build.py), shared with the
    browser tests instead of building a second copy of the same app."""
    return Process("app", app_server["process"], app_server["log"], app_server["url"])


def watched_page(context):
    """A page whose CSP violations land in ``window.__csp`` and ``page.khs_console``."""
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.khs_console = []
    page.on("console", lambda m: page.khs_console.append(m.text))
    return page


def assert_no_violations(page) -> None:
    assert page.evaluate("window.__csp") == []
    assert not [m for m in page.khs_console if "Content Security Policy" in m]


def test_pages_run_under_the_csp_with_no_violation(prod_app, browser):
    owner = browser.new_context(base_url=prod_app.url)
    page = watched_page(owner)
    page.goto("/login")
    page.get_by_label("Email").wait_for()
    assert_no_violations(page)
    sign_in_on_the_page(page, OWNER)
    page.get_by_role("heading", name="Dashboard").wait_for()
    # the dashboard's numbers arrive over the websocket: the policy lets it connect (the
    # count is checked against the API's: the browser tests before may have added customers)
    shown_customer_count(page)
    assert_no_violations(page)

    worker = browser.new_context(base_url=prod_app.url)
    field = watched_page(worker)
    sign_in_on_the_page(field, WORKER, start="/field")
    field.wait_for_url(re.compile(r"/field/?$"))
    field.get_by_role("heading", name="Today").wait_for()
    field.wait_for_load_state("networkidle")
    assert_no_violations(field)

    # the listener works: a script the build did not ship is refused and reported
    with pytest.raises(Exception, match="Content Security Policy"):
        field.add_script_tag(content="window.__injected = 1")
    assert field.evaluate("window.__injected") is None
    assert field.evaluate("window.__csp")[0].startswith("script-src")

    cookies = [c["value"] for c in owner.cookies() + worker.cookies() if "session" in c["name"]]
    owner.close()
    worker.close()
    log = prod_app.output()
    assert cookies and all(value not in log for value in cookies)
    assert DEMO_PASSWORD not in log


def test_pages_and_api_carry_the_security_headers(prod_app):
    with httpx.Client(base_url=prod_app.url, follow_redirects=True) as client:
        for path in ("/login", "/api/health", "/assets/nothing.js"):
            headers = client.get(path).headers
            csp = headers["content-security-policy"]
            assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
            assert "'sha256-" in csp and "unsafe-eval" not in csp, path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "same-origin", path
            assert len(headers["x-request-id"]) == 32, path


@pytest.mark.parametrize("path", ["/api/health", "/_event/?EIO=4&transport=websocket"])
def test_foreign_origins_get_no_cors_grant(prod_app, path):
    with httpx.Client(base_url=prod_app.url) as client:
        foreign = client.get(path, headers={"Origin": FOREIGN})
        preflight = client.options(
            path, headers={"Origin": FOREIGN, "Access-Control-Request-Method": "POST"}
        )
        listed = client.get(path, headers={"Origin": prod_app.url})
    # No grant for a foreign origin: no Access-Control-Allow-Origin, and the preflight is
    # refused. (Reflex's CORS layers, the outermost one beyond our middleware, still send
    # Allow-Credentials and, on a refused preflight, Allow-Methods: without Allow-Origin the
    # browser treats the answer as a CORS failure.)
    for response in (foreign, preflight):
        assert "access-control-allow-origin" not in response.headers, dict(response.headers)
    assert preflight.status_code == 400
    # (on /_event both engine.io and Starlette answer a listed origin, so it appears twice)
    assert prod_app.url in listed.headers.get("access-control-allow-origin", "")


def _upgrade(url: str, origin: str) -> str:
    """Send a raw websocket handshake to /_event; return the status line."""
    host, port = url.removeprefix("http://").split(":")
    request = (
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(1024).decode("latin-1").split("\r\n")[0]


def test_websocket_handshake_refuses_foreign_origins(prod_app):
    assert " 101 " in _upgrade(prod_app.url, prod_app.url)
    refused = _upgrade(prod_app.url, FOREIGN)
    assert " 101 " not in refused and re.search(r" (400|403) ", refused), refused
