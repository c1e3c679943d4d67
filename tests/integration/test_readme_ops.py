"""The README's Operations section works as written: its `sh` blocks (a backup, then the
restore drill into a scratch folder) run in a shell against a temporary data folder holding
the demo company, and the drill restores and verifies it. Its cron line names a real command."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def operations_section() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("\n## Operations\n", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", operations_section(), re.S)


def test_the_readme_backup_and_restore_drill_run_as_written(tmp_path):
    data, drill, backups = tmp_path / "data", tmp_path / "drill", tmp_path / "backups"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHS_", "PROMETHEUS_"))} | {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "KHS_DATA_DIR": str(data),
        "KHS_BCRYPT_ROUNDS": "4",
        "BACKUPS": str(backups),
        "DRILL_DIR": str(drill),
    }
    for setup in (["migrate"], ["seed-demo"]):
        subprocess.run([BIN / "khs-crm", *setup], env=env, check=True, capture_output=True)
    (data / "uploads" / "photos").mkdir(parents=True)
    (data / "uploads" / "photos" / "a.jpg").write_bytes(b"\xff\xd8 a photo")

    script = "set -euo pipefail\n" + "\n".join(blocks("sh"))
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Verified." in done.stdout
    assert len(list(backups.glob("khs-backup-*.tar.gz"))) == 1
    assert (drill / "uploads" / "photos" / "a.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert (drill / "khs_crm.db").exists()


def test_the_cron_line_runs_a_real_backup_command():
    (line,) = [b.strip() for b in blocks("cron")]
    fields = line.split(None, 5)
    assert len(fields) == 6 and fields[:5] == ["30", "2", "*", "*", "*"]
    words = shlex.split(fields[5])
    assert "backup" in words and "--keep" in words
    assert any(w.endswith("khs-crm") for w in words)


def test_the_metrics_and_alerts_name_metrics_the_app_has():
    from prometheus_client import REGISTRY

    import khs_crm.services.ops.metrics  # noqa: F401  (registers the app's metrics)

    named = {
        re.sub(r"_(total|bucket|count|sum)$", "", m)
        for m in re.findall(r"\bkhs_[a-z_0-9]+", operations_section())
    }
    families = {m.name for m in REGISTRY.collect()}
    assert "khs_reflex_event_duration_seconds" in named
    assert named <= families, named - families
