"""The khs-crm command: migrate, manage users, load the demo company, back up and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khs_crm.db import session_scope
from khs_crm.integrations.backup_db import BackupError
from khs_crm.services.auth import users
from khs_crm.services.core import demo
from khs_crm.services.core.errors import ServiceError

ROOT = Path(__file__).resolve().parent.parent


def migrate(url: str | None = None) -> None:
    """Upgrade the configured database to the newest schema."""
    from alembic.config import Config

    from alembic import command

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    if url:
        config.attributes["url"] = url
    command.upgrade(config, "head")


def _cmd_migrate(_args: argparse.Namespace) -> int:
    migrate()
    print("Database is up to date.")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        import getpass

        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _cmd_users_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    with session_scope() as session:
        user = users.create_user(
            session, email=args.email, name=args.name, role=args.role, password=password, actor=None
        )
    print(f"Created {user.role} {user.email} ({user.id}).")
    return 0


def _cmd_users_deactivate(args: argparse.Namespace) -> int:
    with session_scope() as session:
        user = users.get_by_email(session, args.email)
        if user is None:
            print(f"error: no user with the email {args.email}", file=sys.stderr)
            return 1
        users.deactivate_user(session, user_id=user.id, actor=None)
    print(f"Deactivated {args.email}; their sessions and tokens have ended.")
    return 0


def _cmd_seed_demo(args: argparse.Namespace) -> int:
    with session_scope() as session:
        if args.if_empty and not demo.is_empty(session):
            print("Database already has users; demo data not loaded.")
            if demo.is_seeded(session):
                print(f"Demo owner login: {demo.DEMO_OWNER_EMAIL} / {demo.DEMO_PASSWORD}")
            return 0
        created = demo.seed_demo(session)
    print("Demo company loaded." if created else "Demo company already loaded.")
    print(f"Demo owner login: {demo.DEMO_OWNER_EMAIL} / {demo.DEMO_PASSWORD}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from khs_crm.integrations import backup

    archive = backup.make_backup(args.to)
    print(archive)
    if args.keep is not None:
        for old in backup.prune(archive.parent, args.keep):
            print(f"Removed {old}", file=sys.stderr)
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from khs_crm.integrations.backup_restore import restore

    report = restore(args.archive, migrate=migrate, force=args.force)
    print(
        f"Restored {report.rows} rows in {report.tables} tables and {report.files} files;"
        f" schema {report.revision_before} -> {report.revision_after}. Verified."
    )
    return 0


def _add_ops_commands(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="archive the database and photo files")
    backup.add_argument("--to", type=Path, help="folder for the archive (KHS_BACKUP_DIR)")
    backup.add_argument("--keep", type=int, help="then keep only the newest N archives")
    backup.set_defaults(func=_cmd_backup)
    restore = sub.add_parser("restore", help="restore an archive made by backup")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--force", action="store_true", help="replace a target holding data")
    restore.set_defaults(func=_cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khs-crm", description="KHS CRM administration")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(func=_cmd_migrate)

    users_parser = sub.add_parser("users", help="manage users")
    users_sub = users_parser.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create a user")
    add.add_argument("email")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="owner, admin or worker")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=_cmd_users_add)
    deactivate = users_sub.add_parser("deactivate", help="deactivate a user, ending their sessions")
    deactivate.add_argument("email")
    deactivate.set_defaults(func=_cmd_users_deactivate)

    seed = sub.add_parser("seed-demo", help="load the demo company (idempotent)")
    seed.add_argument("--if-empty", action="store_true", help="only when there are no users")
    seed.set_defaults(func=_cmd_seed_demo)
    _add_ops_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
