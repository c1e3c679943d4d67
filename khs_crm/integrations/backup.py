"""``khs-crm backup``: one archive of everything the company owns.

``khs-backup-<UTC time>.tar.gz`` holds ``database/`` (a SQLite copy or a pg_dump custom-format
file), ``uploads/`` (the photo files, when storage is a local folder) and ``manifest.json``:
app version, schema revision, row counts per table, the SHA-256 and size of every file, and
for S3 the bucket and prefix (its objects are protected by bucket versioning instead, see
docs/operations.md). The archive is written under a temporary name and renamed when whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import redis

from khs_crm.integrations import backup_db
from khs_crm.integrations.backup_db import BackupError
from khs_crm.integrations.redis import get_redis
from khs_crm.settings import Settings, get_settings

FORMAT = 1
PREFIX = "khs-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
LAST_RUN = "last-backup.json"
REDIS_KEY = "khs:ops:last-backup"
SQLITE_MEMBER = "database/khs_crm.sqlite3"
PG_MEMBER = "database/khs_crm.pgdump"

__all__ = ["BackupError", "app_version", "last_run", "make_backup", "prune", "sha256_file"]


def app_version() -> str:
    """The installed khs-crm version."""
    try:
        return metadata.version("khs-crm")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def upload_files(root: Path) -> list[Path]:
    """The stored files under a local uploads folder (not half-written temporaries)."""
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".tmp")
    )


def _storage_section(settings: Settings) -> dict[str, Any]:
    if settings.storage_backend == "s3":
        return {
            "backend": "s3",
            "bucket": settings.s3_bucket,
            "prefix": settings.s3_prefix,
            "endpointUrl": settings.s3_endpoint_url,
            "note": "objects are not in this archive: keep bucket versioning on",
        }
    return {"backend": "local"}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, files: dict[str, Any]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))
    files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _dump_database(settings: Settings, work: Path) -> tuple[str, dict[str, int], str | None]:
    if settings.is_sqlite:
        counts, revision = backup_db.dump_sqlite(settings.database_url, work / "db")
        return SQLITE_MEMBER, counts, revision
    counts, revision = backup_db.dump_postgres(settings.database_url, work / "db")
    return PG_MEMBER, counts, revision


def _archive_name(folder: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return folder / f"{PREFIX}{stamp}{SUFFIX}"


def make_backup(to: Path | None = None, *, settings: Settings | None = None) -> Path:
    """Write one consistent archive into ``to`` (KHS_BACKUP_DIR); return its path.

    The database is copied first (one snapshot, its counts taken in it), then the photo
    files. A photo stored meanwhile may be in the archive without its row (harmless); the
    files are immutable once stored, so none is half-copied.
    """
    settings = settings or get_settings()
    folder = Path(to or settings.backup_dir or settings.data_dir / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    target = _archive_name(folder)
    partial = target.with_name(f".{target.name}.partial")
    with tempfile.TemporaryDirectory(prefix="khs-backup-") as tmp:
        member, counts, revision = _dump_database(settings, Path(tmp))
        files: dict[str, Any] = {}
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_bytes(tar, member, (Path(tmp) / "db").read_bytes(), files)
            if settings.storage_backend == "local" and settings.uploads_dir:
                root = settings.uploads_dir
                for path in upload_files(root):
                    name = "uploads/" + path.relative_to(root).as_posix()
                    _add_bytes(tar, name, path.read_bytes(), files)
            manifest = {
                "format": FORMAT,
                "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
                "appVersion": app_version(),
                "database": {
                    "dialect": "sqlite" if settings.is_sqlite else "postgresql",
                    "file": member,
                    "schemaRevision": revision,
                },
                "counts": counts,
                "storage": _storage_section(settings),
                "files": files,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode(), {})
    partial.replace(target)
    record_run(target, seconds=time.monotonic() - started, settings=settings)
    return target


def record_run(archive: Path, *, seconds: float, settings: Settings) -> dict[str, Any]:
    """Note when the last backup ran: beside the archives, in the data folder and (when
    configured) in Redis, so app processes on other machines see it too."""
    record = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "archive": str(archive),
        "bytes": archive.stat().st_size,
        "seconds": round(seconds, 2),
    }
    body = json.dumps(record)
    for folder in {archive.parent, settings.data_dir}:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{LAST_RUN}.tmp"
        tmp.write_text(body)
        tmp.replace(folder / LAST_RUN)
    client = get_redis()
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            client.set(REDIS_KEY, body)
    return record


def last_run(settings: Settings | None = None) -> dict[str, Any] | None:
    """The newest record of a finished backup, wherever it was noted; None when none ran."""
    settings = settings or get_settings()
    found: list[dict[str, Any]] = []
    client = get_redis()
    if client is not None:
        with contextlib.suppress(redis.RedisError, ValueError, TypeError):
            raw = client.get(REDIS_KEY)
            if raw:
                found.append(json.loads(raw))  # type: ignore[arg-type]
    for folder in (settings.backup_dir, settings.data_dir):
        if folder is not None:
            with contextlib.suppress(OSError, ValueError):
                found.append(json.loads((folder / LAST_RUN).read_text()))
    dated = [r for r in found if isinstance(r, dict) and isinstance(r.get("at"), str)]
    return max(dated, key=lambda r: r["at"], default=None)


def archives(folder: Path) -> list[Path]:
    """The backup archives in ``folder``, oldest first (their names sort by time)."""
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives; return what was removed."""
    if keep < 1:
        raise BackupError("--keep must be at least 1.")
    old = archives(folder)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old
