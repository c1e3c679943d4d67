"""Alembic environment: metadata from the models, URL from settings (or the caller)."""

from __future__ import annotations

from logging.config import fileConfig

from sqlmodel import SQLModel

import khs_crm.models  # noqa: F401  (registers every table)
from alembic import context
from khs_crm.db import get_engine, make_engine
from khs_crm.services.customers.search import is_search_object

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Leave out the search objects of migration 0003 (FTS5 tables, trigram indexes): the
    models do not describe them, so autogenerate must neither drop nor report them."""
    return not (type_ in ("table", "index") and is_search_object(name))


def _engine():
    connection = config.attributes.get("connection")
    if connection is not None:
        return connection
    url = config.attributes.get("url")
    return make_engine(url) if url else get_engine()


def run_migrations_offline() -> None:
    context.configure(
        url=str(_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    target = _engine()
    if hasattr(target, "connect"):
        with target.connect() as connection:
            _run(connection)
    else:
        _run(target)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
