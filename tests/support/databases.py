"""Create, migrate, empty and drop test databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, make_url, text
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

    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()  # close the pool now, not at garbage collection

    for cached in (
        settings.get_settings,
        db.get_engine,
        redis.get_redis,
        storage.get_storage,
        security.signing_keys,
    ):
        cached.cache_clear()


def empty_tables(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in KEEP_ROWS:
                conn.execute(table.delete())
        conn.execute(text("UPDATE change_counter SET value = 0"))


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
