import io

import pytest
from sqlmodel import func, select

from khs_crm import cli
from khs_crm.models import Customer, Job, JobStatus, Material, Role, User
from tests.support.databases import sqlite_only


def _add(monkeypatch, *args, password="a-long-password"):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.main(["users", "add", *args, "--password-stdin"])


def test_users_add_creates_a_user(engine, session, monkeypatch, capsys):
    assert _add(monkeypatch, "Ana@Example.com", "--name", "Ana", "--role", "admin") == 0
    assert "Created admin ana@example.com" in capsys.readouterr().out
    user = session.exec(select(User)).one()
    assert (user.email, user.role, user.active) == ("ana@example.com", Role.admin, True)
    assert user.password_hash.startswith("$2b$")


@sqlite_only
@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["x@example.com", "--name", "X", "--role", "boss"], "a-long-password", "Role must be"),
        (["x@example.com", "--name", "X", "--role", "worker"], "short", "at least 10"),
        (["not-an-email", "--name", "X", "--role", "worker"], "a-long-password", "valid email"),
    ],
)
def test_users_add_rejects_bad_input(engine, monkeypatch, capsys, args, password, message):
    assert _add(monkeypatch, *args, password=password) == 2
    assert message in capsys.readouterr().err


def test_users_add_rejects_duplicate_email(engine, monkeypatch, capsys):
    assert _add(monkeypatch, "dup@example.com", "--name", "A", "--role", "worker") == 0
    assert _add(monkeypatch, "DUP@example.com", "--name", "B", "--role", "worker") == 2
    assert "already exists" in capsys.readouterr().err


def test_seed_demo_is_realistic_and_idempotent(engine, session, capsys):
    assert cli.main(["seed-demo"]) == 0
    assert "owner@demo.khs-crm.test" in capsys.readouterr().out
    assert cli.main(["seed-demo"]) == 0
    assert "already loaded" in capsys.readouterr().out
    roles = session.exec(select(User.role)).all()
    assert sorted(roles) == ["admin", "owner", "worker", "worker", "worker"]
    assert session.exec(select(func.count()).select_from(Customer)).one() == 50
    statuses = set(session.exec(select(Job.status)).all())
    assert statuses == {s.value for s in JobStatus}
    assert session.exec(select(func.count()).select_from(Job)).one() == 80
    assert session.exec(select(func.count()).select_from(Material)).one() >= 160


def test_seed_demo_if_empty_leaves_real_data_alone(engine, monkeypatch, capsys):
    assert _add(monkeypatch, "real@example.com", "--name", "R", "--role", "owner") == 0
    assert cli.main(["seed-demo", "--if-empty"]) == 0
    assert "not loaded" in capsys.readouterr().out


def test_deactivate_refuses_last_owner(engine, monkeypatch, capsys):
    assert _add(monkeypatch, "boss@example.com", "--name", "B", "--role", "owner") == 0
    assert cli.main(["users", "deactivate", "boss@example.com"]) == 2
    assert "last active owner" in capsys.readouterr().err
