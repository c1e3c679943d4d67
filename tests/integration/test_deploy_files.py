"""The deploy files hold together: compose services, the Dockerfile's stages, nginx -t.

Docker cannot run here, so compose.yaml is parsed and checked for what a deployment relies
on, the Dockerfile is linted structurally, and deploy/nginx.conf is tested by nginx itself
(with the container paths mapped to a temporary folder by ``localize_nginx_conf``, which the
scale-out test uses to run the very same configuration).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|API_KEY|DSN|ACCESS_KEY", re.I)

sys.path.insert(0, str(DEPLOY))
import nginx_headers  # noqa: E402

# helpers shared with the scale-out test -----------------------------------------------------


def access_log(
    nginx, until: Callable[[list[dict]], bool] = bool, timeout: float = 15
) -> list[dict]:
    """nginx's JSON access lines (``nginx.output()``) once ``until`` holds for them.

    nginx writes a request's line after the client has its answer, so a test that has just
    been answered waits for the line instead of reading the log at once. Only whole lines
    count. Past ``timeout`` the lines are returned as they are, for the test to judge.
    """
    deadline = time.monotonic() + timeout
    while True:
        text = nginx.output()
        whole = text[: text.rfind("\n") + 1]
        lines = [json.loads(line) for line in whole.splitlines() if line.startswith("{")]
        if until(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def settled_access_log(nginx, quiet: float = 1.0, timeout: float = 15) -> list[dict]:
    """The access lines once none has been added for ``quiet`` seconds (closed websockets
    are logged when they close, a moment after the browser went away)."""
    seen = {"count": -1, "since": time.monotonic()}

    def settled(lines: list[dict]) -> bool:
        if len(lines) != seen["count"]:
            seen.update(count=len(lines), since=time.monotonic())
        return time.monotonic() - seen["since"] >= quiet

    return access_log(nginx, settled, timeout)


def self_signed_cert(folder: Path, host: str = "khs.test") -> None:
    """Write fullchain.pem + privkey.pem for ``host`` (and localhost) into ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(host), x509.DNSName("localhost")]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def localize_nginx_conf(
    folder: Path,
    *,
    web_root: Path,
    upstreams: list[str],
    http_port: int,
    https_port: int,
) -> Path:
    """deploy/nginx.conf with its container paths, ports and upstreams mapped into ``folder``.

    Everything else (locations, headers, proxying, TLS settings) is the file as shipped.
    """
    text = (DEPLOY / "nginx.conf").read_text()
    mapping = {
        "pid /tmp/nginx.pid;": f"pid {folder}/nginx.pid;",  # noqa: S108
        "/tmp/nginx-": f"{folder}/nginx-",  # noqa: S108
        "/srv/khs/web": str(web_root),
        "/etc/nginx/khs/": f"{folder}/khs/",
        "/etc/nginx/tls/": f"{folder}/tls/",
        "listen 8080;": f"listen 127.0.0.1:{http_port};",
        "listen 8443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
    }
    for old, new in mapping.items():
        assert old in text, f"deploy/nginx.conf no longer contains {old!r}"
        text = text.replace(old, new)
    servers = re.findall(r"^\s*server app\d:8000 .*;$", text, re.M)
    assert len(servers) == 2, "the upstream should list app1 and app2"
    text = text.replace(servers[0], f"        server {upstreams[0]} max_fails=1 fail_timeout=5s;")
    rest = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams[1:])
    text = text.replace(servers[1], rest)
    (folder / "khs").mkdir(parents=True, exist_ok=True)
    shutil.copy(DEPLOY / "proxy.conf", folder / "khs" / "proxy.conf")
    conf = folder / "nginx.conf"
    conf.write_text(text)
    return conf


def fake_build(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<html><script>window.boot = 1;</script></html>")
    return folder


# compose.yaml ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_whole_stack(compose):
    services = compose["services"]
    assert {"db", "redis", "minio", "app1", "app2", "web", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["minio"]["image"].startswith("minio/")
    for name in ("app1", "app2", "migrate"):
        assert services[name]["build"]["target"] == "runtime"
    assert services["web"]["build"]["target"] == "web"


def test_long_running_services_have_healthchecks(compose):
    for name in ("db", "redis", "minio", "app1", "app2", "web"):
        check = compose["services"][name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
    app_check = " ".join(compose["services"]["app1"]["healthcheck"]["test"])
    assert "/api/health" in app_check


def test_start_order_waits_for_health(compose):
    services = compose["services"]
    for app in ("app1", "app2"):
        deps = services[app]["depends_on"]
        for dep in ("db", "redis", "minio"):
            assert deps[dep]["condition"] == "service_healthy"
        assert deps["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "migrate" not in services["migrate"]["depends_on"]
    for app in ("app1", "app2"):
        assert services["web"]["depends_on"][app]["condition"] == "service_healthy"


def test_replicas_share_postgres_redis_and_s3_in_production_mode(compose):
    env = compose["services"]["app1"]["environment"]
    assert env == compose["services"]["app2"]["environment"]
    assert env["KHS_ENV"] == "production"
    assert (
        env["KHS_DATABASE_URL"].startswith("postgresql://")
        and "@db:5432/" in env["KHS_DATABASE_URL"]
    )
    assert env["KHS_REDIS_URL"].startswith("redis://redis:")
    assert env["KHS_STORAGE_BACKEND"] == "s3" and env["KHS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["KHS_ALLOWED_ORIGINS"].startswith('["https://')


def test_only_nginx_is_published_and_no_secret_is_written_down(compose):
    for name, service in compose["services"].items():
        assert ("ports" in service) == (name == "web"), f"{name} publishes ports"
    assert compose["services"]["web"]["ports"] == ["80:8080", "443:8443"]
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key) and value:
                assert str(value).startswith(("${", "/run/secrets/")), f"{name}.{key} is literal"
    for url_key in ("KHS_DATABASE_URL",):
        assert "${POSTGRES_PASSWORD" in compose["services"]["app1"]["environment"][url_key]


# Dockerfile -----------------------------------------------------------------------------------


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _stages(text: str) -> dict[str, list[tuple[str, str]]]:
    stages: dict[str, list[tuple[str, str]]] = {}
    current = None
    for word, rest in _instructions(text):
        if word == "FROM":
            match = re.search(r"\bAS\s+(\S+)", rest, re.I)
            current = match.group(1) if match else rest
            stages[current] = []
        elif current is not None:
            stages[current].append((word, rest))
    return stages


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_dockerfile_builds_the_frontend_in_its_own_stage(dockerfile):
    stages = _stages(dockerfile)
    assert list(stages) == ["build", "runtime", "web"]
    build_runs = " ".join(rest for word, rest in stages["build"] if word == "RUN")
    assert "reflex export --frontend-only" in build_runs
    assert "nginx_headers.py" in build_runs
    runtime = " ".join(rest for _, rest in stages["runtime"])
    assert "bun" not in runtime and "npm" not in runtime, "build tools leak into the runtime"
    web_copies = [rest for word, rest in stages["web"] if word == "COPY"]
    assert any(".web/build/client" in c for c in web_copies)


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck(dockerfile):
    stages = _stages(dockerfile)
    for name in ("runtime", "web"):
        users = [rest for word, rest in stages[name] if word == "USER"]
        assert users and users[-1].split(":")[0] not in ("root", "0"), f"{name} runs as root"
        checks = [rest for word, rest in stages[name] if word == "HEALTHCHECK"]
        assert checks and "NONE" not in checks[0]
    runtime_check = next(rest for word, rest in stages["runtime"] if word == "HEALTHCHECK")
    assert "/api/health" in runtime_check


def test_runtime_keeps_code_and_migrations_together_and_read_only(dockerfile):
    runtime = _stages(dockerfile)["runtime"]
    copies = " ".join(rest for word, rest in runtime if word == "COPY")
    for source in ("/app/khs_crm", "/app/alembic", "/app/alembic.ini", "/app/rxconfig.py"):
        assert source in copies, f"the runtime image lacks {source}"
    assert "--chown" not in copies  # the app user cannot rewrite its own code
    build_runs = " ".join(rest for word, rest in _stages(dockerfile)["build"] if word == "RUN")
    assert "pip install --no-deps -e ." in build_runs  # khs-crm finds /app/alembic.ini


def test_dockerfile_migrates_then_starts_the_backend_only(dockerfile):
    cmd = next(rest for word, rest in _stages(dockerfile)["runtime"] if word == "CMD")
    assert cmd.index("alembic upgrade head") < cmd.index("reflex run --env prod --backend-only")
    assert "exec reflex" in cmd  # the server gets the signals, not the shell


def test_dockerfile_bakes_in_no_secret(dockerfile):
    for word, rest in _instructions(dockerfile):
        if word in ("ENV", "ARG"):
            for key in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", rest) or [rest.split()[0]]:
                assert not SECRET_NAME.search(key), f"{word} {key} looks like a secret"
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".web", "data", ".env", "secrets", "*.pem"):
        assert entry in ignored, f".dockerignore should exclude {entry}"


# nginx ----------------------------------------------------------------------------------------


def test_generated_headers_carry_the_builds_script_hashes_and_hsts(tmp_path):
    build = fake_build(tmp_path / "web")
    conf = nginx_headers.render(build, nginx_headers.Settings(env="production"))
    csp = next(line for line in conf.splitlines() if "content-security-policy" in line.lower())
    assert "'sha256-" in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp
    assert 'add_header strict-transport-security "max-age=' in conf
    assert all(line.endswith(" always;") for line in conf.splitlines()[1:])


@pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx)"
)
def test_nginx_accepts_the_shipped_configuration(tmp_path):
    folder = tmp_path / "edge"
    web = fake_build(tmp_path / "web")
    self_signed_cert(folder / "tls")
    conf = localize_nginx_conf(
        folder,
        web_root=web,
        upstreams=["127.0.0.1:18001", "127.0.0.1:18002"],
        http_port=18080,
        https_port=18443,
    )
    (folder / "khs" / "security_headers.conf").write_text(
        nginx_headers.render(web, nginx_headers.Settings(env="production"))
    )
    result = subprocess.run(
        [NGINX, "-t", "-q", "-c", str(conf), "-p", str(folder), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
