"""mypy is clean on the non-UI code (the files and settings of ``[tool.mypy]`` in pyproject)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_errors():
    # No arguments: mypy reads its files and settings from pyproject.toml. Its cache
    # (.mypy_cache) makes a run after a small change take a few seconds.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"
