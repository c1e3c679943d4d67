"""deploy/nginx.conf sends every backend path to the app and keeps customer tokens out of logs.

Read statically: each route the app serves outside /api (the customer links /e/, /i/, /c/;
/metrics), each /api route and Reflex's own endpoints land in the location nginx would pick
for them (``pick_location`` follows nginx's rules: exact, longest prefix, ``^~``, regexes in
order). Run for real: the shipped configuration with both replicas down answers a customer
link with 502, and neither its access log nor its error log holds the link's token.
(test_scale_out.py proves the same with the app behind it.)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import RouteContext, iter_route_contexts
from reflex_base.constants import Endpoint

from khs_crm.api.envelope import UNKNOWN_ROUTE
from khs_crm.observability import SECRET_PATH_PARAMS
from tests.integration.test_deploy_files import (
    DEPLOY,
    NGINX,
    access_log,
    fake_build,
    localize_nginx_conf,
    nginx_headers,
    self_signed_cert,
)
from tests.security.prod_stack import Process, free_port, http_status, spawn, wait_until

LOCATION = re.compile(r"^\s*location\s+(?:(=|~\*?|\^~)\s+)?(\S+)\s*\{(.*?)^\s*\}", re.M | re.S)
PROXIED = "include /etc/nginx/khs/proxy.conf;"
QUIET = "error_log /dev/stderr crit;"
TOKEN = "Zq7-customer-link-token-Xw9"
# What the app serves outside /api, and what nginx must do with it.
OUTSIDE_API = {"/e/{token}": "app", "/i/{token}": "app", "/c/{token}": "app", "/metrics": 404}
REFLEX = [str(e) for e in (Endpoint.EVENT, Endpoint.UPLOAD, Endpoint.PING, Endpoint.HEALTH)]
REFLEX.append("/_event/")  # the websocket's own URL
FRONTEND = ["/", "/login", "/jobs/12", "/field/", "/estimates", "/assets/app-1a2b.js"]


def https_locations() -> list[tuple[str, str, str]]:
    """(modifier, pattern, body) of each location of the HTTPS server, in file order."""
    text = (DEPLOY / "nginx.conf").read_text()
    server = text[text.index("listen 8443") :]
    return LOCATION.findall(server)


def pick_location(path: str) -> tuple[str, str, str]:
    """The location nginx chooses for ``path`` (its documented order of matching)."""
    locations = https_locations()
    for found in locations:
        if found[0] == "=" and found[1] == path:
            return found
    prefixes = [f for f in locations if f[0] in ("", "^~") and path.startswith(f[1])]
    longest = max(prefixes, key=lambda f: len(f[1]), default=None)
    if longest is not None and longest[0] == "^~":
        return longest
    for found in locations:
        flags = re.I if found[0] == "~*" else 0
        if found[0].startswith("~") and re.search(found[1], path, flags):
            return found
    assert longest is not None, f"no location serves {path}"
    return longest


def sample(route: str) -> str:
    """A request path for a route template: each ``{param}`` becomes a value."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: TOKEN if m[1] == "token" else "p1", route)


@pytest.fixture(scope="module")
def app_routes() -> list[RouteContext]:
    from khs_crm.api import create_api

    return [r for r in iter_route_contexts(create_api().routes) if r.name != UNKNOWN_ROUTE]


def test_every_path_the_app_serves_outside_api_has_its_rule(app_routes):
    outside = {r.path for r in app_routes if not r.path.startswith("/api/")}
    assert outside == set(OUTSIDE_API), "a new backend path needs a rule in deploy/nginx.conf"
    for route, target in OUTSIDE_API.items():
        body = pick_location(sample(route))[2]
        if target == "app":
            assert PROXIED in body, f"{route} would get the office app's shell"
        else:
            assert f"return {target};" in body and PROXIED not in body


def test_api_routes_and_reflex_endpoints_reach_the_app_and_pages_stay_static(app_routes):
    for path in [
        sample(r.path) for r in app_routes if OUTSIDE_API.get(r.path, "app") == "app"
    ] + REFLEX:
        assert PROXIED in pick_location(path)[2], path
    for path in FRONTEND:
        assert PROXIED not in pick_location(path)[2], path


def test_token_paths_write_no_error_line_quoting_their_request(app_routes):
    """nginx's error lines quote the request line; where the URL holds a secret, it logs
    only what is critical (the access log, redacted, still shows the 502)."""
    secret = [r for r in app_routes if SECRET_PATH_PARAMS & set(r.route.param_convertors)]
    assert len(secret) >= 8  # 3 links, 4 approve/decline forms, the calendar feed
    for route in secret:
        assert QUIET in pick_location(sample(route.path))[2], route.path
    for ordinary in ("/api/jobs", "/api/calendar/links/p1"):
        assert QUIET not in pick_location(ordinary)[2], ordinary


# the shipped configuration, run -------------------------------------------------------------

TOKEN_PATHS = [
    ("GET", "/e/{token}", "/e/[redacted]"),
    ("GET", "/i/{token}", "/i/[redacted]"),
    ("GET", "/c/{token}", "/c/[redacted]"),
    ("POST", "/api/public/estimates/{token}/approve", "/api/public/estimates/[redacted]/approve"),
    ("POST", "/api/public/estimates/{token}/decline", "/api/public/estimates/[redacted]/decline"),
    (
        "POST",
        "/api/public/change-orders/{token}/approve",
        "/api/public/change-orders/[redacted]/approve",
    ),
    (
        "POST",
        "/api/public/change-orders/{token}/decline",
        "/api/public/change-orders/[redacted]/decline",
    ),
    ("GET", "/api/calendar/{token}.ics", "/api/calendar/[redacted].ics"),
    # shapes no route serves: the app answers them (redirect, 404, 405), nginx logs them
    ("GET", "/e/{token}/", "/e/[redacted]/"),
    ("GET", "/api/public/estimates/{token}/approve", "/api/public/estimates/[redacted]/approve"),
    ("GET", "/api/calendar/{token}", "/api/calendar/[redacted]"),
    ("GET", "/api/calendar/{token}.ics/", "/api/calendar/[redacted].ics/"),
]


@pytest.fixture(scope="module")
def edge() -> Iterator[tuple[str, Process]]:
    """The shipped nginx.conf whose two replicas are down (nothing listens on their ports)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    folder = Path(tempfile.mkdtemp(prefix="khs-edge-"))
    folder.chmod(0o755)  # nginx workers (nobody) read the build from here
    web = fake_build(folder / "web")
    (web / "__spa-fallback.html").write_text("<html>office shell</html>")
    self_signed_cert(folder / "tls")
    ports = free_port(), free_port()
    conf = localize_nginx_conf(
        folder,
        web_root=web,
        upstreams=[f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"],
        http_port=ports[0],
        https_port=ports[1],
    )
    (folder / "khs" / "security_headers.conf").write_text(
        nginx_headers.render(web, nginx_headers.Settings(env="production"))
    )
    args = [NGINX, "-c", str(conf), "-p", str(folder), "-e", "stderr", "-g", "daemon off;"]
    nginx = spawn("nginx", args, folder, dict(os.environ), folder / "nginx.log")
    try:
        wait_until(
            lambda: http_status(f"http://127.0.0.1:{ports[0]}/nginx-health") == 200, 20, "nginx"
        )
        yield f"https://127.0.0.1:{ports[1]}", nginx
    finally:
        nginx.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_tokens_stay_out_of_nginx_logs_when_the_app_is_down(edge):
    base, nginx = edge
    with httpx.Client(base_url=base, verify=False, timeout=20) as client:  # noqa: S501
        control = client.get("/api/health")  # an ordinary path: its error line is written
        answers = [
            client.request(m, p.format(token=TOKEN), data={"name": "A"}) for m, p, _ in TOKEN_PATHS
        ]
        shell, metrics = client.get("/jobs/12"), client.get("/metrics")
        client.delete("/api/calendar/links/u1")  # the office's link management: no secret
    assert control.status_code == 502
    assert [a.status_code for a in answers] == [502] * len(TOKEN_PATHS)
    assert shell.status_code == 200 and "office shell" in shell.text
    assert metrics.status_code == 404 and "office shell" not in metrics.text

    last = ("DELETE", "/api/calendar/links/u1")
    lines = access_log(nginx, lambda got: any((x["method"], x["uri"]) == last for x in got))
    output = nginx.output()
    assert TOKEN not in output
    assert re.search(r'\[error\].*request: "GET /api/health', output)  # errors are logged
    logged = {(line["method"], line["uri"]): line for line in lines}
    for method, _, redacted in TOKEN_PATHS:
        assert logged[(method, redacted)]["status"] == 502
        assert logged[(method, redacted)]["upstream"]  # the access log names the replicas
    assert logged[("GET", "/metrics")]["upstream"] == ""
    assert logged[last]["status"] == 502
