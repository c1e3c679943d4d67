"""Browser test fixtures: a page on the run's one production server (``app_server``,
tests/support/prod_build.py, loaded by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (used by other tests)

ROOT = Path(__file__).resolve().parents[2]
# a frontend exception is one the browser reported to the server (e.g. a script the security
# policy refused)
ERROR_MARKERS = ("Traceback (most recent call last)", "ERROR", "[Reflex Frontend Exception]")


@pytest.fixture
def server_log_clean(app_server) -> Iterator[None]:
    """Fail the test when the server logged an error while it ran."""
    log: Path = app_server["log"]
    start = log.stat().st_size
    yield
    with log.open("rb") as handle:
        handle.seek(start)
        new = handle.read().decode("utf-8", "replace")
    bad = [line for line in new.splitlines() if any(m in line for m in ERROR_MARKERS)]
    assert not bad, "server logged errors:\n" + "\n".join(bad[:20])


@pytest.fixture
def page(browser, app_server, server_log_clean) -> Iterator:
    context = browser.new_context(
        base_url=app_server["url"], viewport={"width": 1440, "height": 900}
    )
    pg = context.new_page()
    yield pg
    context.close()
