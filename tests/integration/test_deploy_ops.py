"""The deployment's operations pieces hold together (Docker cannot run here, so the files are
parsed, and the backup service's schedule runs in a shell with stand-ins for its commands):
the daily backup service in deploy/compose.backup.yaml, its image with PostgreSQL client tools
new enough for the compose database, and the replicas' metrics (multiprocess, not public)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def backup_file() -> dict:
    return yaml.safe_load((DEPLOY / "compose.backup.yaml").read_text())


@pytest.fixture(scope="module")
def backup(backup_file) -> dict:
    return backup_file["services"]["backup"]


def _dockerfile() -> str:
    return re.sub(r"\\\n", " ", (DEPLOY / "backup.Dockerfile").read_text())


def test_the_backup_service_backs_up_the_apps_database_into_a_volume(compose, backup_file, backup):
    app = compose["services"]["app1"]["environment"]
    env = backup["environment"]
    for key in ("KHS_DATABASE_URL", "KHS_REDIS_URL", "KHS_ENV", "KHS_STORAGE_BACKEND"):
        assert env[key] == app[key], key  # the same company, and its run seen by /api/health
    volume, _, folder = backup["volumes"][0].partition(":")
    assert folder == env["KHS_BACKUP_DIR"] and volume in backup_file["volumes"]
    assert backup["depends_on"]["db"]["condition"] == "service_healthy"
    assert set(backup["secrets"]) <= set(compose["secrets"])
    assert backup["networks"] == ["backend"] and "ports" not in backup
    # compose resolves an override file's paths from the first file's folder: the repository
    build = ROOT / backup["build"]["context"] / backup["build"]["dockerfile"]
    assert build == DEPLOY / "backup.Dockerfile" and build.exists()


def test_the_backup_image_has_pg_dump_for_the_compose_database(compose):
    text = _dockerfile()
    app_image = re.search(r"ARG APP_IMAGE=(\S+)", text).group(1)
    assert app_image == compose["services"]["app1"]["image"]
    server = int(re.match(r"postgres:(\d+)", compose["services"]["db"]["image"]).group(1))
    client = int(re.search(r"ARG PG_MAJOR=(\d+)", text).group(1))
    assert client >= server  # pg_dump refuses a newer server (docs/operations.md)
    assert '"postgresql-client-${PG_MAJOR}"' in text
    assert "KHS_PG_BIN_DIR=/usr/lib/postgresql/${PG_MAJOR}/bin" in text
    assert "chown khs:khs /backups" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users[-1] == "khs"  # runs as the app's user, not root


def _stand_in(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("outcome,waits", [(0, "86400"), (3, "3600")], ids=["done", "failed"])
def test_the_schedule_backs_up_now_then_daily_and_retries_a_failure_in_an_hour(
    backup, tmp_path, outcome, waits
):
    script = backup["entrypoint"][-1].replace("$$", "$")  # compose's escape for a literal $
    calls = tmp_path / "calls"
    _stand_in(tmp_path, "khs-crm", f'echo "khs-crm $*" >> {calls}; exit {outcome}')
    _stand_in(tmp_path, "sleep", f'echo "sleep $*" >> {calls}; kill $PPID')  # one round
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "BACKUP_KEEP": "14"}
    subprocess.run(["sh", "-c", script], env=env, timeout=20, check=False)
    assert calls.read_text().splitlines() == ["khs-crm backup --keep 14", f"sleep {waits}"]
    assert backup["environment"]["BACKUP_KEEP"].startswith("${KHS_BACKUP_KEEP:-")


def test_replicas_add_up_their_workers_metrics_and_keep_them_off_the_internet(compose):
    for name in ("app1", "app2"):
        service = compose["services"][name]
        folder = service["environment"]["PROMETHEUS_MULTIPROC_DIR"]
        assert folder in service["tmpfs"]  # empty at every start, as multiprocess mode needs
        assert service["environment"]["KHS_METRICS_TOKEN"].startswith("${")
    # scraped on the backend only: the edge answers /metrics with 404 and proxies nothing
    # that carries the word
    config = (DEPLOY / "nginx.conf").read_text()
    lines = [line.split("#", 1)[0] for line in config.splitlines()]
    mentions = [line.strip() for line in lines if "metrics" in line]
    assert mentions == ["location = /metrics {"]
    assert re.search(r"location = /metrics \{\s*return 404;\s*\}", config)
