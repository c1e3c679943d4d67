"""Create, migrate, empty and drop test databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import pytest
from sqlalchemy import Connection, Engine, make_url, text
from sqlmodel import SQLModel

import khs_crm.models  # noqa: F401

KEEP_ROWS = {"alembic_version", "change_counter"}


def migrate(url: str) -> None:
    from khs_crm.cli import migrate as run_migrations

    run_migrations(url)


def reset_caches() -> None:
    """Forget cached settings, engines and clients so new environment variables apply."""
    from khs_crm import db, security, settings
    from khs_crm.integrations import redis, storage

    if db._configured_engine.cache_info().currsize:
        db._configured_engine().dispose()  # close the pool now, not at garbage collection

    for cached in (
        settings.get_settings,
        db._configured_engine,
        redis.get_redis,
        storage.get_storage,
        security.signing_keys,
    ):
        cached.cache_clear()


_kept: dict[str, Engine] = {}


def kept_engine(url: str) -> Engine:
    """One engine per database for the whole test run, as a server process keeps one.

    A new engine per test (what ``get_engine()`` gives after ``reset_caches()``) opens a new
    connection and compiles every statement again: SQLAlchemy keeps compiled statements per
    engine. That was about a sixth of a typical API test's time."""
    from khs_crm.db import make_engine

    if url not in _kept:
        _kept[url] = make_engine(url)
    return _kept[url]


def empty_tables(bind: Engine | Connection) -> None:
    """Delete every row (the change counter back to 0): committed on an engine; inside the
    test's transaction on the connection of a rolled-back test."""
    with bind.begin() if isinstance(bind, Engine) else nullcontext(bind) as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in KEEP_ROWS:
                conn.execute(table.delete())
        conn.execute(text("UPDATE change_counter SET value = 0"))


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """One connection inside a transaction that is rolled back at the end, lent to the app.

    The connection holds a SAVEPOINT, so every ``Session`` bound to it (the test's, and the
    app's through ``khs_crm.db.get_engine()``) opens a SAVEPOINT of its own: its commit
    releases it, its rollback returns to it, and the outer rollback undoes all of them.
    """
    from khs_crm import db

    with engine.connect() as conn:
        outer = conn.begin()
        conn.begin_nested()
        db._test_connection = conn
        try:
            yield conn
        finally:
            db._test_connection = None
            ended = not outer.is_active
            outer.rollback()
    if ended:  # something committed or closed it: rows may remain, so remove them now
        empty_tables(engine)
        pytest.fail(
            "the test ended its rolled-back transaction (another thread or connection?): "
            "mark it real_commits"
        )


def _admin_engine(admin_url: str) -> Engine:
    from khs_crm.db import make_engine

    return make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")


def create_pg_database(admin_url: str, name: str) -> str:
    engine = _admin_engine(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = _admin_engine(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# Rules (who may do what, which workflow moves exist, what input is refused) do not depend on
# the database: tests of them run on SQLite only. PostgreSQL keeps what does depend on it:
# locking and concurrency, search, migrations, column limits, the sync protocol.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
