"""``khs-crm restore``: everything checked before anything is touched, then swapped in.

1. The archive is unpacked into a temporary folder beside the uploads folder, and every
   file's SHA-256 and size is checked against the manifest: a damaged or truncated archive
   is refused here, before the database or the photos are touched.
2. A target that holds data (rows beyond an empty, migrated database, or stored files) is
   refused unless ``force``.
3. The database: SQLite's copy is checked (row counts) and migrated forward in the
   temporary folder, then copied over the configured file in one transaction (online backup
   API); PostgreSQL's dump replaces the public schema in one transaction that ends with the
   count check (a difference rolls it all back), then Alembic upgrades it to head.
4. The photo files: the unpacked folder is renamed into place, the old one removed.
5. Counts and checksums are read again from the restored database and folder.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory

from khs_crm.db import make_engine
from khs_crm.integrations import backup_db
from khs_crm.integrations.backup import MANIFEST, sha256_file, upload_files
from khs_crm.integrations.backup_db import BackupError
from khs_crm.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
Migrate = Callable[[str], None]


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    revision_before: str | None
    revision_after: str | None


def _damaged(archive: Path, why: str) -> BackupError:
    return BackupError(f"{archive} is damaged ({why}); nothing was restored.")


def _extract(archive: Path, tar: tarfile.TarFile, into: Path) -> None:
    """Write the archive's plain files and folders under ``into``, nothing else.

    A backup holds only those (``backup.make_backup``): a link, a device, an absolute name or
    one climbing out with ``..`` means the archive is not one of ours, and it is refused before
    anything is written. (Not ``extractall(filter="data")``: Python 3.11 before 3.11.4, such
    as Debian 12's, has no filters.)"""
    members = tar.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
            raise _damaged(archive, f"it holds {member.name!r}, which a backup never does")
    for member in members:
        target = into / member.name
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:  # a regular file always has its data: the archive is broken
            raise _damaged(archive, f"{member.name} cannot be read")
        with source, target.open("wb") as out:
            shutil.copyfileobj(source, out)


def unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract the archive and check every file against the manifest; return the manifest."""
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            _extract(archive, tar, into)
        manifest = json.loads((into / MANIFEST).read_text())
        files: dict[str, dict[str, Any]] = manifest["files"]
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise _damaged(archive, f"it cannot be read whole: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(archive, "its manifest is missing or unreadable") from exc
    for name, expected in sorted(files.items()):
        path = into / name
        if not path.is_file():
            raise _damaged(archive, f"{name} is missing")
        if path.stat().st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            raise _damaged(archive, f"{name} does not match its checksum")
    return manifest


def _scripts() -> ScriptDirectory:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    return ScriptDirectory.from_config(config)


def _check_compatible(manifest: dict[str, Any], settings: Settings) -> None:
    dialect = manifest["database"]["dialect"]
    if dialect != ("sqlite" if settings.is_sqlite else "postgresql"):
        raise BackupError(
            f"This archive holds a {dialect} database; the configured one is not {dialect}."
            " Restore it into a database of the same kind."
        )
    revision = manifest["database"]["schemaRevision"]
    try:
        known = revision is None or _scripts().get_revision(revision) is not None
    except Exception:
        known = False
    if not known:
        raise BackupError(
            f"This archive was made by a newer KHS CRM (schema {revision}):"
            " update the app, then restore. Nothing was restored."
        )


def _target_holds_data(settings: Settings) -> str | None:
    if backup_db.holds_data(settings.database_url):
        return "the database"
    local = settings.storage_backend == "local" and settings.uploads_dir
    if local and upload_files(settings.uploads_dir):  # type: ignore[arg-type]
        return f"the uploads folder {settings.uploads_dir}"
    return None


def _counts_differ(found: dict[str, int], expected: dict[str, int]) -> list[str]:
    return [
        f"{name}: {found.get(name)} rows, expected {n}"
        for name, n in sorted(expected.items())
        if name != "alembic_version" and found.get(name) != n
    ]


def _restore_database(
    manifest: dict[str, Any], work: Path, settings: Settings, migrate: Migrate
) -> None:
    url, counts = settings.database_url, manifest["counts"]
    dump = work / manifest["database"]["file"]
    if settings.is_sqlite:
        found, _ = backup_db.read_sqlite(dump)
        if differ := _counts_differ(found, counts):
            raise BackupError(
                "The archive's database is not what its manifest says: "
                + "; ".join(differ)
                + ". Nothing was restored."
            )
        migrate(f"sqlite:///{dump}")
        backup_db.restore_sqlite(dump, url)
    else:
        backup_db.restore_postgres(dump, url, counts, work)
        migrate(url)


def _swap_uploads(work: Path, uploads: Path) -> None:
    fresh = work / "uploads"
    fresh.mkdir(exist_ok=True)
    old = uploads.with_name(f".{uploads.name}.old-{uuid.uuid4().hex[:8]}")
    if uploads.exists():
        uploads.rename(old)
    fresh.rename(uploads)
    shutil.rmtree(old, ignore_errors=True)


def _verify(manifest: dict[str, Any], settings: Settings) -> tuple[dict[str, int], str | None]:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            counts, revision = backup_db.table_counts(conn), backup_db.schema_revision(conn)
    finally:
        engine.dispose()
    problems = _counts_differ(counts, manifest["counts"])
    if settings.storage_backend == "local" and settings.uploads_dir:
        for name, expected in manifest["files"].items():
            if name.startswith("uploads/"):
                path = settings.uploads_dir / name.removeprefix("uploads/")
                if not path.is_file() or sha256_file(path) != expected["sha256"]:
                    problems.append(f"{name} differs from the archive")
    if problems:
        raise BackupError("The restore did not verify: " + "; ".join(problems))
    return counts, revision


def restore(
    archive: Path, *, migrate: Migrate, force: bool = False, settings: Settings | None = None
) -> RestoreReport:
    """Restore ``archive`` into the configured database and storage (see the module doc)."""
    settings = settings or get_settings()
    local = settings.storage_backend == "local" and settings.uploads_dir is not None
    staging = settings.uploads_dir.parent if local and settings.uploads_dir else settings.data_dir
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".khs-restore-", dir=staging) as tmp:
        work = Path(tmp)
        manifest = unpack(archive, work)
        _check_compatible(manifest, settings)
        held = None if force else _target_holds_data(settings)
        if held:
            raise BackupError(
                f"Refusing to restore: {held} already holds data. Use --force to replace it."
            )
        _restore_database(manifest, work, settings, migrate)
        if local and settings.uploads_dir:
            _swap_uploads(work, settings.uploads_dir)
    counts, revision = _verify(manifest, settings)
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        files=sum(1 for n in manifest["files"] if n.startswith("uploads/")),
        revision_before=manifest["database"]["schemaRevision"],
        revision_after=revision,
    )
