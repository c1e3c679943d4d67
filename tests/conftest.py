"""Test set-up shared by every suite: an isolated data folder, fast bcrypt, a database per run."""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest

_RUN_DIR = Path(tempfile.mkdtemp(prefix="khs-tests-"))
os.environ.update(
    {
        "KHS_DATA_DIR": str(_RUN_DIR / "data"),
        "KHS_BCRYPT_ROUNDS": "4",
        "KHS_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "KHS_LOGIN_IP_ATTEMPTS_PER_MINUTE": "100000",
        "KHS_API_CALLS_PER_MINUTE": "1000000",
    }
)
os.environ.pop("KHS_DATABASE_URL", None)
os.environ.pop("KHS_REDIS_URL", None)

from sqlalchemy import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tests.support import databases  # noqa: E402
from tests.support.prod_build import app_server  # noqa: E402, F401 (a fixture: e2e, security)

PG_ADMIN_URL = os.environ.get("KHS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# pytest-xdist runs the suite in several processes: each gets its own Redis database (15, 14,
# ...), its own data folder, SQLite file and PostgreSQL database (made per process below).
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = os.environ.get("KHS_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _WORKER}")


@pytest.fixture(scope="session")
def run_dir() -> Path:
    return _RUN_DIR


@pytest.fixture(scope="session")
def sqlite_url(run_dir: Path) -> str:
    url = f"sqlite:///{run_dir / 'unit.db'}"
    databases.migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = databases.create_pg_database(PG_ADMIN_URL, f"khs_test_{uuid.uuid4().hex[:10]}")
    databases.migrate(url)
    yield url
    databases.drop_pg_database(PG_ADMIN_URL, url)


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The same data tests run on SQLite and on the real PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)


# Tests that need real commits, seen by other connections or threads, keep the slower way:
# the tables are emptied before (and after) them. The marker says so, with the reason beside
# it; two fixtures imply it: a photo upload (``uploads``, ``drained``) queues its thumbnail,
# which the job queue's worker thread writes while the test goes on, and one connection must
# never be used by two threads at once.
REAL_COMMITS = "real_commits"
_REAL_COMMIT_FIXTURES = {"uploads", "drained"}


def needs_real_commits(request: pytest.FixtureRequest) -> bool:
    node = request.node
    return node.get_closest_marker(REAL_COMMITS) is not None or bool(
        _REAL_COMMIT_FIXTURES & set(getattr(node, "fixturenames", ()))
    )


@pytest.fixture
def engine(
    db_url: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Engine]:
    """The app's database for one test.

    Ordinarily the test runs inside one transaction that is rolled back at its end: the
    fixture yields that connection, and the app's ``get_engine()`` hands out the same one, so
    every session (the test's, the API's, a page's) joins it through a SAVEPOINT and sees what
    the others wrote. That connection comes from one engine per database kept for the whole
    run, as a server process keeps one: its pool and its compiled statements are reused.
    Tests marked ``real_commits`` (several connections or threads: locking, lost updates,
    concurrency, crash recovery) get the real engine, tables emptied around them.
    """
    monkeypatch.setenv("KHS_DATABASE_URL", db_url)
    databases.reset_caches()
    from khs_crm.db import get_engine

    if needs_real_commits(request):
        eng = get_engine()
        databases.empty_tables(eng)
        yield eng
        databases.empty_tables(eng)  # the rolled-back tests after it start from no rows
    else:
        with databases.rolled_back(databases.kept_engine(db_url)) as conn:
            yield conn  # type: ignore[misc]  # used as an engine: Session(engine), get_engine()
    databases.reset_caches()


class SetupSession(Session):
    """The tests' own session stands in for the boundary of the service calls a test makes
    to set the scene: what a service flushes (outside a savepoint) is committed at once, so
    the API, the pages and other connections under test see it. Autoflushes are not
    committed. Tests of the transaction boundary itself open plain sessions."""

    _busy = False  # inside an autoflush or a commit: nothing more to do

    def _autoflush(self) -> None:
        self._quietly(super()._autoflush)

    def commit(self) -> None:
        self._quietly(super().commit)

    def begin_nested(self):
        busy, self._busy = self._busy, True  # the flush that opens a savepoint commits nothing
        try:
            return super().begin_nested()
        finally:
            self._busy = busy

    def _quietly(self, work) -> None:
        busy, self._busy = self._busy, True
        try:
            work()
        finally:
            self._busy = busy

    def flush(self, objects=None) -> None:
        super().flush(objects)
        if not self._busy and self.in_transaction() and not self.in_nested_transaction():
            self.commit()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with SetupSession(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def redis_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real Redis (database 15, flushed) configured for the app."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    monkeypatch.setenv("KHS_REDIS_URL", REDIS_TEST_URL)
    databases.reset_caches()
    yield REDIS_TEST_URL
    client.flushdb()
    databases.reset_caches()


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test's own uploads folder (set before the app's caches are built), GPS stripped."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("KHS_UPLOADS_DIR", str(folder))
    monkeypatch.delenv("KHS_KEEP_PHOTO_GPS", raising=False)
    return folder


@pytest.fixture
def drained(uploads: Path, engine: Engine) -> Iterator[None]:
    """Thumbnail jobs of a test finish before its database goes away."""
    from khs_crm.integrations import jobqueue

    yield
    assert jobqueue.get_queue().join(20)
    jobqueue.stop_all()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    from khs_crm.integrations.limits import clear_all_local

    clear_all_local()
    yield
    clear_all_local()


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_reflex_error() -> Iterator[None]:
    """Any ERROR logged by Reflex during a test fails that test."""
    handler = _ErrorCollector()
    logger = logging.getLogger("reflex")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.records:
        messages = "; ".join(r.getMessage() for r in handler.records)
        pytest.fail(f"Reflex logged an error: {messages}")


@pytest.fixture
def cast(session):
    """owner, admin, worker_a (on cast.job), worker_b (on no job), a customer and a job."""
    from tests.support.factories import make_cast

    return make_cast(session)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The browser tests' own run (``-m e2e``, scripts/test) imports only the test modules
    that name the marker: importing all the others, only to deselect their tests, took half
    a minute before the production build could start. A module marked e2e names it."""
    name = collection_path.name
    if config.getoption("markexpr") != "e2e" or not fnmatch(name, "test_*.py"):
        return None
    return True if "e2e" not in collection_path.read_text(encoding="utf-8") else None


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> object:
    """A module that starts something for its tests runs in one xdist process
    (tests/support/xdist_scopes.py)."""
    from tests.support.xdist_scopes import make_scheduler

    return make_scheduler(config, log)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported and built (the app's modules, the test modules, their
    parameters) lives as long as the run: move it out of the cyclic garbage collector's sight,
    as the app's start-up does with what it built (khs_crm/api/__init__.py), and let the
    collector run after 20,000 new objects instead of 700. About 5 % less CPU for the API
    tests and the schemathesis test (BENCHMARKS.md); no test measures memory in its own
    process."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which code under test may not expect.
    (``scripts/test`` runs them in a pytest of their own, after the others.)"""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator:
    """One Playwright driver for the whole run (a second sync_playwright would clash)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_session) -> Iterator:
    """Debian's Chromium, shared by every browser test."""
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    chromium = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
