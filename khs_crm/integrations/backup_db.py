"""The database half of a backup: a consistent copy out, an all-or-nothing restore in.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live file in one
step while the app keeps writing; the copy is what the row counts are taken from.
PostgreSQL: a REPEATABLE READ transaction exports its snapshot, the row counts are read in
it and ``pg_dump --snapshot`` dumps exactly that snapshot (custom format). A restore runs the
dump's SQL through ``psql --single-transaction`` with the count check as its last statement:
a damaged dump or a wrong count rolls everything back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, func, inspect, make_url, select, table, text

from khs_crm.db import make_engine, normalise_url
from khs_crm.settings import get_settings

# Rows that exist in an empty, migrated database: they do not make a target "hold data".
BOOKKEEPING = {"alembic_version", "change_counter"}


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message is for the person running it."""


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the database (the app's and Alembic's)."""
    counts = {}
    for name in sorted(inspect(conn).get_table_names()):  # the database's own names
        counted = select(func.count()).select_from(table(name))  # quoted by SQLAlchemy
        counts[name] = int(conn.execute(counted).scalar_one())
    return counts


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None before any migration)."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def holds_data(url: str) -> bool:
    """Whether the database has rows beyond the bookkeeping of an empty, migrated one."""
    if url.startswith("sqlite") and not sqlite_path(url).exists():
        return False
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return any(n for t, n in table_counts(conn).items() if t not in BOOKKEEPING)
    finally:
        engine.dispose()


# SQLite ----------------------------------------------------------------------------------


def dump_sqlite(url: str, target: Path) -> tuple[dict[str, int], str | None]:
    """Copy the live database to ``target`` in one step; counts and revision of the copy."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    src = sqlite3.connect(source, timeout=15)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: the whole database under one read lock
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
    finally:
        src.close()
        dst.close()
    return read_sqlite(target)


def read_sqlite(path: Path) -> tuple[dict[str, int], str | None]:
    """Row counts and schema revision of a SQLite file."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return table_counts(conn), schema_revision(conn)
    finally:
        engine.dispose()


def restore_sqlite(prepared: Path, url: str) -> None:
    """Copy a verified, migrated database file over the configured one, in one transaction."""
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(prepared)
    dst = sqlite3.connect(target, timeout=15)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# PostgreSQL ------------------------------------------------------------------------------


def _tool(name: str) -> str:
    folder = get_settings().pg_bin_dir
    found = shutil.which(name, path=str(folder)) if folder else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools matching the server's"
            " major version, or set KHS_PG_BIN_DIR to their folder."
        )
    return found


def _libpq_env(url: str) -> dict[str, str]:
    """Connection settings for the client tools, in PG* variables (never on a command line)."""
    parsed = make_url(normalise_url(url))
    env = dict(os.environ)
    values = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _major(version_text: str) -> int:
    match = re.search(r"\)\s*(\d+)", version_text)  # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    return int(match.group(1)) if match else 0


def check_client_version(conn: Connection, tool: str) -> None:
    """pg_dump refuses a server newer than itself: say so plainly, with the fix."""
    server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    client = _major(out)
    if client < server:
        raise BackupError(
            f"{Path(tool).name} {client} cannot dump PostgreSQL {server}: install the"
            f" version {server} client tools (postgresql-client-{server}) and point"
            " KHS_PG_BIN_DIR at them."
        )


@contextmanager
def _snapshot(url: str) -> Iterator[tuple[Connection, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                yield conn, snapshot
    finally:
        engine.dispose()


def dump_postgres(url: str, target: Path) -> tuple[dict[str, int], str | None]:
    """``pg_dump --format=custom`` of one snapshot; the counts and revision of that snapshot."""
    pg_dump = _tool("pg_dump")
    with _snapshot(url) as (conn, snapshot):
        check_client_version(conn, pg_dump)
        counts, revision = table_counts(conn), schema_revision(conn)
        args = [pg_dump, "--format=custom", "--no-owner", "--no-privileges"]
        args += [f"--snapshot={snapshot}", f"--file={target}"]
        done = subprocess.run(args, env=_libpq_env(url), capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return counts, revision


def _count_check(counts: dict[str, int]) -> str:
    """A statement that raises (rolling the restore back) when a table's count differs."""
    lines = []
    for name, n in sorted(counts.items()):
        if re.fullmatch(r"[a-z_][a-z0-9_]*", name):  # the database's own table names
            # A psql script, not a bound query: the name passed the pattern above.
            query = f'SELECT count(*) FROM public."{name}"'  # noqa: S608  # nosec B608 - a validated table name in a psql script
            lines.append(f"  IF ({query}) <> {int(n)} THEN")
            lines.append(f"    RAISE EXCEPTION 'KHS-COUNT {name}: expected {int(n)}'; END IF;")
    checks = "\n".join(lines)
    return f"DO $$\nBEGIN\n{checks}\nEND $$;\n"


def restore_postgres(dump: Path, url: str, counts: dict[str, int], work: Path) -> None:
    """Replace the public schema with the dump's, and check the counts, in one transaction."""
    script = work / "restore.sql"
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--no-comments"]
    args += [f"--file={script}", str(dump)]
    done = subprocess.run(args, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise BackupError(f"The database dump cannot be read: {done.stderr.strip()}")
    prelude, check = work / "prelude.sql", work / "check.sql"
    prelude.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    check.write_text(_count_check(counts))
    psql = [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    psql += ["-f", str(prelude), "-f", str(script), "-f", str(check)]
    done = subprocess.run(psql, env=_libpq_env(url), capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        found = re.search(r"KHS-COUNT (.*)", done.stderr)
        reason = f"row counts differ ({found.group(1)})" if found else done.stderr.strip()
        raise BackupError(f"The database was not restored (nothing changed): {reason}")
