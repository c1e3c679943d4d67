"""Backups and restores on both databases: an archive made while customers are being added
restores into an empty place and verifies; the restored company is identical, row for row
and file for file; a damaged archive is refused and the target is left as it was."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from khs_crm import cli
from khs_crm.db import make_engine, session_scope
from khs_crm.integrations import backup
from khs_crm.integrations.backup_db import BackupError
from khs_crm.integrations.backup_restore import restore
from khs_crm.integrations.storage import LocalStorage
from khs_crm.models import Role, User
from khs_crm.services.customers.service import create_customer
from khs_crm.services.ops.status import backup_status
from khs_crm.settings import Settings
from tests.conftest import PG_ADMIN_URL
from tests.support import databases
from tests.support.factories import make_user

pytestmark = pytest.mark.real_commits  # a writer thread and the backup's own connections


def company(url: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: two equal companies give equal dicts."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {
                name: sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"')))  # noqa: S608
                for name in names
            }
    finally:
        engine.dispose()


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in backup.upload_files(root)}


@pytest.fixture
def place(db_url, tmp_path):
    """Makes empty places to restore into: a new SQLite file or a new PostgreSQL database."""
    made: list[str] = []

    def make(name: str) -> Settings:
        folder = tmp_path / name
        if db_url.startswith("sqlite"):
            url = f"sqlite:///{folder / 'khs_crm.db'}"
        else:
            url = databases.create_pg_database(PG_ADMIN_URL, f"khs_restore_{uuid.uuid4().hex[:8]}")
            made.append(url)
        return Settings(data_dir=folder, database_url=url, uploads_dir=folder / "uploads")

    yield make
    for url in made:
        databases.drop_pg_database(PG_ADMIN_URL, url)


def source(db_url: str, uploads: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url, uploads_dir=uploads)


def _store_photos(uploads: Path) -> None:
    storage = LocalStorage(uploads)
    for i in range(3):
        data = bytes(range(256)) * (i + 1) + uuid.uuid4().bytes
        storage.put(f"photos/{uuid.uuid4()}/{uuid.uuid4()}-x.jpg", data, "image/jpeg")
    storage.put("photos/thumbs/empty.jpg", b"", "image/jpeg")


class Writer(threading.Thread):
    """Adds customers through the service, one transaction each, until stopped."""

    def __init__(self, owner: User) -> None:
        super().__init__(daemon=True)
        self.owner, self.stop, self.added = owner, threading.Event(), 0

    def run(self) -> None:
        while not self.stop.is_set():
            with session_scope() as session:
                data = {"name": f"Walk-in {self.added}", "phone": "(512) 555-0199"}
                create_customer(session, data=data, actor=self.owner)
            self.added += 1
            time.sleep(0.005)


def test_a_backup_made_during_writes_restores_the_identical_company(
    db_url, engine, cast, uploads, tmp_path, place
):
    _store_photos(uploads)
    owner = cast.owner
    writer = Writer(owner)
    writer.start()
    try:
        while writer.added < 5:
            time.sleep(0.01)
        busy = backup.make_backup(tmp_path / "backups", settings=source(db_url, uploads, tmp_path))
        during = writer.added
        while writer.added < during + 5:
            time.sleep(0.01)
    finally:
        writer.stop.set()
        writer.join(10)

    # The archive of a busy database is one snapshot: it restores and its counts verify.
    empty = place("busy")
    report = restore(busy, migrate=cli.migrate, settings=empty)
    restored, now = company(empty.database_url), company(db_url)
    assert report.rows == sum(len(rows) for rows in restored.values())
    assert 0 < len(restored["customers"]) < len(now["customers"])
    assert set(restored["customers"]) <= set(now["customers"])  # each row as it was written

    # Quiet now: a backup restores into an empty place as the very same company.
    quiet = backup.make_backup(tmp_path / "backups", settings=source(db_url, uploads, tmp_path))
    again = place("quiet")
    restore(quiet, migrate=cli.migrate, settings=again)
    assert company(again.database_url) == company(db_url)
    assert files(again.uploads_dir) == files(uploads) != {}
    # ... and over the busy restore too, with --force.
    restore(quiet, migrate=cli.migrate, settings=empty, force=True)
    assert company(empty.database_url) == company(db_url)
    assert files(empty.uploads_dir) == files(uploads)


def _rewrite(archive: Path, change) -> Path:
    """A copy of the archive with its members passed through ``change(name, bytes)``."""
    out = archive.with_name("tampered-" + archive.name)
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def _flip_photo(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("uploads/") and data else data


def _miscount(name: str, data: bytes) -> bytes:
    if name != backup.MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["counts"]["customers"] += 1
    return json.dumps(manifest).encode()


def _truncate(archive: Path) -> Path:
    out = archive.with_name("truncated-" + archive.name)
    out.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    return out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncate, "cannot be read whole"),
        (lambda a: _rewrite(a, _flip_photo), "does not match its checksum"),
        (lambda a: _rewrite(a, _miscount), "customers"),
    ],
    ids=["truncated", "bad-checksum", "counts-differ"],
)
def test_a_damaged_archive_is_refused_and_nothing_is_half_restored(
    db_url, engine, cast, uploads, tmp_path, place, damage, message
):
    _store_photos(uploads)
    archive = backup.make_backup(tmp_path / "b", settings=source(db_url, uploads, tmp_path))
    # The target holds another company (restored with --force, so the refusal is the damage's).
    target = place("target")
    restore(archive, migrate=cli.migrate, settings=target)
    with session_scope() as session:
        make_user(session, Role.worker)  # the source moves on; the target keeps its copy
    before, before_files = company(target.database_url), files(target.uploads_dir)

    with pytest.raises(BackupError, match=message) as refused:
        restore(damage(archive), migrate=cli.migrate, settings=target, force=True)
    assert "nothing" in str(refused.value).lower()
    assert company(target.database_url) == before
    assert files(target.uploads_dir) == before_files
    assert not list(target.uploads_dir.parent.glob(".khs-restore-*"))


def _hostile(archive: Path, member: tarfile.TarInfo) -> Path:
    """The archive with one more member, which a backup never holds."""
    out = archive.with_name("hostile.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as tar:
        for item in source.getmembers():
            tar.addfile(item, source.extractfile(item) if item.isfile() else None)
        tar.addfile(member, io.BytesIO(b"owned") if member.isfile() else None)
    return out


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    info.size = 5 if kind == tarfile.REGTYPE else 0
    return info


@databases.sqlite_only
@pytest.mark.parametrize(
    "member",
    [
        _member("../escaped.txt"),
        _member("uploads/../../escaped.txt"),
        _member("/khs-escaped.txt"),
        _member("uploads/link", tarfile.SYMTYPE, "/etc/passwd"),
        _member("uploads/hard", tarfile.LNKTYPE, "manifest.json"),
        _member("uploads/fifo", tarfile.FIFOTYPE),
    ],
    ids=["parent", "climbs-out", "absolute", "symlink", "hardlink", "fifo"],
)
def test_an_archive_holding_more_than_files_is_refused_and_writes_nothing(
    db_url, engine, cast, uploads, tmp_path, place, member
):
    """Only plain files and folders are unpacked, on every Python 3.11 (3.11.0-3.11.3 have no
    tarfile filters): anything else refuses the whole archive before a file is written."""
    archive = backup.make_backup(tmp_path / "b", settings=source(db_url, uploads, tmp_path))
    target = place("target")
    with pytest.raises(BackupError, match="which a backup never does"):
        restore(_hostile(archive, member), migrate=cli.migrate, settings=target, force=True)
    staging = target.uploads_dir.parent  # where the archive is unpacked, in a folder of its own
    assert not (staging / "escaped.txt").exists() and not Path("/khs-escaped.txt").exists()
    assert not list(staging.glob(".khs-restore-*"))


@databases.sqlite_only
def test_a_target_holding_data_is_refused_without_force(db_url, engine, cast, uploads, tmp_path):
    archive = backup.make_backup(tmp_path / "b", settings=source(db_url, uploads, tmp_path))
    with pytest.raises(BackupError, match="already holds data. Use --force"):
        restore(archive, migrate=cli.migrate, settings=source(db_url, uploads, tmp_path))


@databases.sqlite_only
def test_keep_prunes_older_archives_and_the_owner_sees_the_last_run(
    db_url, engine, cast, tmp_path, monkeypatch, capsys
):
    folder = tmp_path / "backups"
    printed = []
    for _ in range(3):
        assert cli.main(["backup", "--to", str(folder), "--keep", "2"]) == 0
        printed.append(Path(capsys.readouterr().out.strip()))
    assert backup.archives(folder) == printed[1:]
    record = json.loads((folder / backup.LAST_RUN).read_text())
    assert record["archive"] == str(printed[-1])

    status = backup_status()
    assert status.archive == str(printed[-1]) and not status.overdue and status.warning is None
    later = backup_status(now=datetime.now(UTC) + timedelta(days=3))
    assert later.overdue and "3 days ago" in (later.warning or "")


def test_no_backup_yet_is_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path / "nothing"))
    databases.reset_caches()
    try:
        status = backup_status()
    finally:
        databases.reset_caches()
    assert status.overdue and status.last_at is None


def _alembic(url: str):
    from alembic.config import Config

    config = Config(str(cli.ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(cli.ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    config.attributes["url"] = url
    return config


def test_an_archive_from_an_older_app_is_migrated_forward_and_verified(db_url, tmp_path, place):
    from alembic.script import ScriptDirectory

    from alembic import command

    old = place("older-app")
    old.data_dir.mkdir(parents=True)  # a SQLite file's folder
    scripts = ScriptDirectory.from_config(_alembic(old.database_url))
    head = scripts.get_current_head()
    before = scripts.get_revision(scripts.get_revision(head).down_revision).down_revision
    command.upgrade(_alembic(old.database_url), before)  # the schema two versions ago
    archive = backup.make_backup(tmp_path / "b", settings=old)

    target = place("newer-app")
    report = restore(archive, migrate=cli.migrate, settings=target)
    assert (report.revision_before, report.revision_after) == (before, head)
    engine = make_engine(target.database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    finally:
        engine.dispose()
