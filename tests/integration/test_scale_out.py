"""Two backend-only app processes behind nginx keep a signed-in browser session working.

The production shape on loopback: the shipped deploy/nginx.conf (TLS, HTTP->HTTPS, the built
frontend, /api and /_event proxied round-robin), two ``reflex run --env prod --backend-only``
processes (two workers each) sharing PostgreSQL and a Redis of their own (Reflex's Redis
state manager, sessions, limits), KHS_ENV=production. The browser reaches it as
https://khs.test (Chromium maps the name to 127.0.0.1; the certificate is self-signed).

nginx serves the test run's one production build (``app_server``, tests/support/prod_build.py).
That bundle names http://localhost:<port> as its backend; a page on https reaches the backend on
the page's own host at the default port (Reflex swaps the host and drops the port, as behind a
real TLS front), so nginx listens on 443 as it does in production. Where this process may not
listen on 443 (not root, or the port taken), the test exports a build of its own instead, with
its https port baked in.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_ADMIN_URL
from tests.e2e.helpers import DEMO_PASSWORD, OWNER, sign_in_on_the_page
from tests.integration.test_deploy_files import (
    NGINX,
    access_log,
    localize_nginx_conf,
    nginx_headers,
    self_signed_cert,
    settled_access_log,
)
from tests.security.prod_stack import (
    BIN,
    Process,
    Redis,
    app_copy,
    app_env,
    export_frontend,
    free_port,
    http_status,
    redis_available,
    run_cli,
    spawn,
    start_backend,
    wait_until,
)
from tests.security.test_browser_policy import assert_no_violations
from tests.security.test_browser_policy import watched_page as csp_watched_page
from tests.support import databases
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx missing (apt-get install nginx)"),
    pytest.mark.skipif(not redis_available(), reason="redis-server missing"),
]
HOST = "khs.test"
HTTPS = 443


def _jwt_keys(folder: Path) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "jwt.pem", folder / "jwt.pub"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return {"KHS_JWT_PRIVATE_KEY_PATH": str(private), "KHS_JWT_PUBLIC_KEY_PATH": str(public)}


def _start_nginx(folder: Path, build: Path, upstreams: list[str], ports: tuple[int, int]):
    edge = folder / "edge"
    self_signed_cert(edge / "tls", HOST)
    conf = localize_nginx_conf(
        edge, web_root=build, upstreams=upstreams, http_port=ports[0], https_port=ports[1]
    )
    (edge / "khs" / "security_headers.conf").write_text(
        nginx_headers.render(build, nginx_headers.Settings(env="production"))
    )
    args = [NGINX, "-c", str(conf), "-p", str(edge), "-e", "stderr", "-g", "daemon off;"]
    nginx = spawn("nginx", args, edge, dict(os.environ), edge / "nginx.log")
    health = f"http://127.0.0.1:{ports[0]}/nginx-health"
    wait_until(lambda: http_status(health) == 200, 20, "nginx")
    return nginx


def _may_listen(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _frontend(workdir: Path, shared_build: Path, env: dict[str, str], https_port: int) -> Path:
    """The frontend nginx serves, in the app's own folder (the backends hash its inline
    scripts for their security policy): a copy of the run's build, or (off 443) an export."""
    if https_port == HTTPS:
        return Path(shutil.copytree(shared_build, workdir / ".web" / "build" / "client"))
    app_copy(workdir, with_web=True)
    return export_frontend(workdir, {**env, "REFLEX_API_URL": env["KHS_PUBLIC_URL"]})


@pytest.fixture(scope="module")
def stack(app_server) -> Iterator[dict]:
    folder = Path(tempfile.mkdtemp(prefix="khs-scale-"))
    folder.chmod(0o755)  # nginx workers (nobody) read the build from here
    http_port = free_port()
    https_port = HTTPS if _may_listen(HTTPS) else free_port()
    public = f"https://{HOST}" + ("" if https_port == HTTPS else f":{https_port}")
    db_url = databases.create_pg_database(PG_ADMIN_URL, f"khs_scale_{uuid.uuid4().hex[:8]}")
    redis = Redis(folder / "redis")
    processes: list[Process] = []
    try:
        databases.migrate(db_url)
        redis.start()
        workdir = app_copy(folder / "app")
        env = app_env(
            folder / "data",
            KHS_ENV="production",
            KHS_DATABASE_URL=db_url,
            KHS_REDIS_URL=redis.url,
            KHS_PUBLIC_URL=public,
            KHS_ALLOWED_ORIGINS=json.dumps([public]),
            KHS_TRUSTED_PROXIES='["127.0.0.1/32"]',
            KHS_APP_PROCESSES="2",
            GRANIAN_WORKERS="2",
            **_jwt_keys(folder / "keys"),
        )
        run_cli([str(BIN / "khs-crm"), "seed-demo"], workdir, env)
        build = _frontend(workdir, app_server["build"], env, https_port)
        for _ in range(2):
            processes.append(start_backend(workdir, env, free_port()))
        upstreams = [p.url.removeprefix("http://") for p in processes]
        processes.append(_start_nginx(folder, build, upstreams, (http_port, https_port)))
        yield {
            "public": public,
            "http_port": http_port,
            "https_port": https_port,
            "apps": processes[:2],
            "nginx": processes[2],
        }
    finally:
        for process in reversed(processes):
            process.stop()
        redis.stop()
        databases.drop_pg_database(PG_ADMIN_URL, db_url)
        shutil.rmtree(folder, ignore_errors=True)


def _dashboard_ok(page) -> None:
    page.get_by_role("heading", name="Dashboard").wait_for(timeout=20_000)
    page.locator(".card", has_text="Customers").get_by_text("50", exact=True).wait_for()
    assert page.evaluate("fetch('/api/auth/me').then(r => r.status)") == 200


def test_http_redirects_to_https_and_pages_carry_the_headers(stack):
    redirect = httpx.get(
        f"http://127.0.0.1:{stack['http_port']}/login?next=%2F", headers={"Host": HOST}
    )
    assert redirect.status_code == 301
    assert redirect.headers["location"] == f"https://{HOST}/login?next=%2F"
    port = stack["https_port"]
    headers = {"Host": stack["public"].removeprefix("https://")}
    with httpx.Client(base_url=f"https://127.0.0.1:{port}", headers=headers, verify=False) as c:  # noqa: S501
        page = c.get("/login")
        api = c.get("/api/health")
    assert page.status_code == 200 and "<html" in page.text
    for response in (page, api):
        assert "'sha256-" in response.headers["content-security-policy"]
        assert response.headers["strict-transport-security"].startswith("max-age=")
        assert response.headers["x-content-type-options"] == "nosniff"
    health = api.json()["data"]  # (it also reports the last backup and the job queue)
    assert {k: health[k] for k in ("status", "database", "redis", "storage")} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "storage": "ok",
    }


def _sent_estimate_link(client: httpx.Client) -> tuple[str, str]:
    """A new estimate on a demo job, sent: its number and its customer link's path."""
    login = client.post("/api/auth/login", json={"email": OWNER, "password": DEMO_PASSWORD})
    owner = {"Authorization": f"Bearer {login.json()['data']['accessToken']}"}
    job = client.get("/api/jobs", headers=owner).json()["data"][0]
    line = {"kind": "labor", "description": "Demo wall", "quantity": "1", "unitPrice": "250"}
    created = client.post(
        f"/api/jobs/{job['id']}/estimates", json={"lines": [line], "taxRate": "0"}, headers=owner
    )
    estimate = created.json()["data"]
    sent = client.post(f"/api/estimates/{estimate['id']}/send", headers=owner)
    return estimate["number"], "/" + sent.json()["data"]["link"]["url"].split("/", 3)[3]


def test_a_customer_link_is_the_apps_page_and_its_token_is_in_no_log(stack):
    """Behind nginx /e/<token> is the app's estimate page (not the office shell), the
    customer can approve it, and the token reaches neither nginx's log nor the app's."""
    port = stack["https_port"]
    headers = {"Host": stack["public"].removeprefix("https://")}
    with httpx.Client(base_url=f"https://127.0.0.1:{port}", headers=headers, verify=False) as c:  # noqa: S501
        number, path = _sent_estimate_link(c)
        token = path.removeprefix("/e/")
        page = c.get(path)
        approved = c.post(
            f"/api/public/estimates/{token}/approve", data={"name": "Ana Ruiz", "agree": "yes"}
        )
    assert path.startswith("/e/") and len(token) > 20
    assert page.status_code == 200 and number in page.text
    assert "<script" not in page.text  # the office app's shell is all scripts
    assert "img-src 'self' data:" in page.headers["content-security-policy"]  # the app's page
    assert approved.status_code == 200 and number in approved.text  # the thank-you page

    approve_uri = "/api/public/estimates/[redacted]/approve"
    lines = access_log(stack["nginx"], lambda got: any(x["uri"] == approve_uri for x in got))
    addresses = {app.url.removeprefix("http://") for app in stack["apps"]}
    opened = [line for line in lines if line["uri"] == "/e/[redacted]"]
    assert opened and opened[-1]["status"] == 200 and opened[-1]["upstream"] in addresses
    answer = [line for line in lines if line["uri"] == approve_uri]
    assert answer and answer[-1]["method"] == "POST" and answer[-1]["status"] == 200
    logs = "".join(p.output() for p in (*stack["apps"], stack["nginx"]))
    assert token not in logs


def test_signed_in_session_survives_round_robin_and_a_killed_replica(stack, playwright_session):
    apps, nginx = stack["apps"], stack["nginx"]
    addresses = {app.url.removeprefix("http://") for app in apps}
    pw = playwright_session
    browser = pw.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
    )
    context = browser.new_context(base_url=stack["public"], ignore_https_errors=True)
    page = csp_watched_page(context)
    sign_in_on_the_page(page, OWNER)
    _dashboard_ok(page)
    for turn in range(6):
        page.reload()
        _dashboard_ok(page)
        if turn % 2:  # shift the round-robin so the next websocket lands on the other one
            assert page.evaluate("fetch('/api/auth/me').then(r => r.status)") == 200
    assert_no_violations(page)

    victim, survivor = apps
    victim.stop(signal.SIGKILL)
    page.wait_for_timeout(1000)  # nginx logs the websocket the kill cut off
    before_kill = len(settled_access_log(nginx))
    for _ in range(4):
        page.reload()
        _dashboard_ok(page)
    page.goto("/field")  # an owner may open the field app; its websocket reconnects too
    page.get_by_role("heading", name="Today").wait_for()
    cookies = [c["value"] for c in context.cookies() if "session" in c["name"]]
    browser.close()

    lines = settled_access_log(nginx)
    events = [line for line in lines[:before_kill] if line["uri"].startswith("/_event")]
    api = [line for line in lines[:before_kill] if line["uri"] == "/api/auth/me"]
    # the tab's websocket and its API calls were served by both replicas in turn
    assert {line["upstream"] for line in events} == addresses
    assert {line["upstream"] for line in api} == addresses
    # after the kill every request ended on the survivor (a retry may list the victim first)
    later = [line for line in lines[before_kill:] if line["uri"].startswith(("/api", "/_event"))]
    survivor_address = survivor.url.removeprefix("http://")
    assert later and all(line["upstream"].endswith(survivor_address) for line in later)
    session_calls = [line for line in later if line["uri"] in ("/api/auth/me", "/_event/")]
    # 499: the browser went away with a call in flight (the test ends by closing it)
    refused = [
        (line["uri"], line["status"], line["upstream"])
        for line in session_calls
        if line["status"] not in (101, 200, 499)
    ]
    assert session_calls and not refused, refused
    assert any(line["status"] in (101, 200) for line in session_calls)
    # the session and the password never reached a log line
    logs = "".join(p.output() for p in (*apps, nginx))
    assert cookies and not any(value in logs for value in cookies)
    assert DEMO_PASSWORD not in logs
    assert re.search(r'"route":"/api/auth/me".*"user_id":"[0-9a-f-]{36}"', survivor.output())
