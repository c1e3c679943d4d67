"""Database engine and sessions: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session, create_engine

from khs_crm.integrations import read_cache as _read_cache  # noqa: F401 (its write listeners)
from khs_crm.services.search.trigram import register_sqlite as _sqlite_trigram_functions
from khs_crm.settings import get_settings


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL mode, a busy timeout and foreign keys."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _sqlite_write_lock)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy's pysqlite recipe: the driver starts no transaction of its own (so SAVEPOINT
    # and RELEASE behave); _sqlite_write_lock opens each one itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # pg_trgm's similarity measures, so the search's near-miss rule reads the same SQL on both.
    _sqlite_trigram_functions(dbapi_connection)


_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH", "BEGIN", "COMMIT", "ROLLBACK", "RELEASE")


def _sqlite_write_lock(conn, cursor, statement: str, *_args) -> None:
    """Open the transaction just before its first write, with ``BEGIN IMMEDIATE``.

    Reads before it run on their own (they hold no snapshot and block nobody); from the
    first write on, the transaction holds SQLite's write lock and reads the newest data, so
    it can never fail half-way with SQLITE_BUSY_SNAPSHOT. SAVEPOINT counts as a write: a
    savepoint always sits inside a real transaction, and its RELEASE commits nothing.
    Versions are claimed by compare-and-swap (services/core/common.py), and invariants are read
    after ``versioning.lock_writes``. See docs/decisions/0001-transactions.md.
    """
    dbapi = conn.connection.dbapi_connection
    if dbapi.in_transaction:
        return
    if not statement.lstrip().upper().startswith(_READS):
        dbapi.execute("BEGIN IMMEDIATE")


def get_engine() -> Engine:
    """Return the process-wide engine for the configured database."""
    if _test_connection is not None:
        return _test_connection  # type: ignore[return-value]
    return _configured_engine()


@lru_cache
def _configured_engine() -> Engine:
    settings = get_settings()
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.database_url)


# Test seam (set only by the ``engine`` fixture in tests/conftest.py): a connection inside a
# transaction the test rolls back, holding a SAVEPOINT. Every session the app opens on it
# (``Session(get_engine())``) then joins through a SAVEPOINT of its own (SQLAlchemy's default
# "conditional_savepoint"), so its commits and rollbacks behave as usual and nothing it
# writes outlives the test.
_test_connection: Connection | None = None


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: commits when the block ends normally, rolls back on an exception.

    The boundary (a Reflex event handler, a CLI command, a queued job) opens it; the services
    it calls only flush.
    """
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception as exc:
            end_after_error(session, exc)
            raise


def end_after_error(session: Session, exc: BaseException) -> None:
    """A unit of work failed: roll it back, unless the refusal says that what was written
    must stand (``keeps_writes``, e.g. a revoked token family), then commit that."""
    if getattr(exc, "keeps_writes", False):
        session.commit()
    else:
        session.rollback()


def ping(engine: Engine | None = None) -> bool:
    """Return True when the database answers a trivial query."""
    try:
        with Session(engine or get_engine()) as session:  # an engine, or the tests' connection
            session.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the session's transaction has committed (queue a job, remove a
    file); dropped when it rolls back instead."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


_AFTER_COMMIT = "khs_after_commit"


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the transaction goes on
        return
    for action in session.info.pop(_AFTER_COMMIT, []):
        try:
            action()
        except Exception:  # the commit stands; the action's own code logs what it could not do
            logging.getLogger("khs_crm.db").warning("after-commit action failed", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_AFTER_COMMIT, None)
