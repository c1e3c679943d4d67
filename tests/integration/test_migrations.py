"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, select

from alembic import command
from khs_crm.cli import ROOT
from khs_crm.db import make_engine
from khs_crm.models import ActivityLog, Customer, JobNote, Material, Role, User
from khs_crm.models.base import UTCDateTime, utcnow
from khs_crm.services.core.versioning import next_version
from khs_crm.services.customers.search import is_search_object
from tests.conftest import PG_ADMIN_URL
from tests.support import databases
from tests.support.factories import make_job


def _config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["url"] = url
    return config


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    url = databases.create_pg_database(PG_ADMIN_URL, f"khs_mig_{uuid.uuid4().hex[:10]}")
    yield url
    databases.drop_pg_database(PG_ADMIN_URL, url)


def _not_search_object(name, type_, _parents) -> bool:
    # The search indexes / FTS5 tables of migration 0003 are not in the models on purpose.
    return not (type_ in ("table", "index") and is_search_object(name))


def test_upgrade_matches_models_and_downgrades_cleanly(blank_url):
    config = _config(blank_url)
    command.upgrade(config, "head")
    engine = make_engine(blank_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _not_search_object}
            ),
            SQLModel.metadata,
        )
    assert diff == []
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables

    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    engine.dispose()


def _old_log_table() -> sa.Table:
    """activity_log as migration 0007 left it (no job_id)."""
    return sa.table(
        "activity_log",
        sa.column("id", sa.Uuid()),
        sa.column("actor_id", sa.Uuid()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("changes", sa.JSON()),
        sa.column("created_at", UTCDateTime()),
    )


def _insert_as_of(engine, row):
    """Insert an ORM row's values into its table as the database has it now (an older
    revision: columns added later are left out). Returns the row."""
    existing = {c["name"] for c in inspect(engine).get_columns(row.__tablename__)}
    model = row.__table__
    then = sa.table(
        model.name, *[sa.column(c.name, c.type) for c in model.columns if c.name in existing]
    )
    with engine.begin() as conn:
        conn.execute(then.insert().values({c.name: getattr(row, c.name) for c in then.columns}))
    return row


def _old_user(engine, role: Role, **fields) -> User:
    suffix = uuid.uuid4().hex[:8]
    user = User(email=f"{role}-{suffix}@example.com", name=f"{role} {suffix}", role=role,
                password_hash="x", **fields)  # fmt: skip
    return _insert_as_of(engine, user)


def _seed_0007(engine) -> tuple[dict, dict[uuid.UUID, tuple]]:
    """A job, a material and a note, and activity rows in the shapes logged before 0008."""
    owner = _old_user(engine, Role.owner)
    with Session(engine, expire_on_commit=False) as session:
        customer = Customer(name="Pat", version=next_version(session))
        session.commit()
        _insert_as_of(engine, customer)
        job = make_job(session, customer)
        material = Material(job_id=job.id, name="Tile", version=next_version(session))
        note = JobNote(
            job_id=job.id, author_id=owner.id, body="Gate", version=next_version(session)
        )
        session.add_all([material, note])
        session.commit()
    ids = {"owner": owner.id, "job": job.id, "material": material.id, "note": note.id}
    crew = [str(uuid.uuid4()), str(uuid.uuid4())]
    thumb = {"thumbnail_key": [None, "t.webp"], "thumbnail_status": ["pending", "ready"]}
    created = {"title": "Deck", "assigned_user_ids": crew}  # a crew of two, not [old, new]
    rows = {
        uuid.uuid4(): ("job", job.id, owner.id, "create", created),
        uuid.uuid4(): ("job", job.id, owner.id, "update", {"title": ["Deck", "Porch"]}),
        uuid.uuid4(): ("material", material.id, owner.id, "update", {"purchased": [False, True]}),
        uuid.uuid4(): ("note", note.id, owner.id, "create", {"body": "Gate"}),
        uuid.uuid4(): ("photo", uuid.uuid4(), None, "update", thumb),
        uuid.uuid4(): ("customer", uuid.uuid4(), owner.id, "delete", {}),
    }
    with engine.begin() as conn:
        conn.execute(
            _old_log_table().insert(),
            [
                {"id": row_id, "entity": e, "entity_id": e_id, "actor_id": actor,
                 "action": action, "changes": changes, "created_at": utcnow()}
                for row_id, (e, e_id, actor, action, changes) in rows.items()
            ],
        )  # fmt: skip
    return ids, rows


def test_0008_types_the_activity_already_logged(blank_url):
    config = _config(blank_url)
    command.upgrade(config, "0007")
    engine = make_engine(blank_url)
    ids, rows = _seed_0007(engine)
    command.upgrade(config, "0008")
    with Session(engine) as session:
        logged = {r.id: r for r in session.exec(select(ActivityLog)).all()}
    create, update, tick, note, thumb, gone = (logged[row_id] for row_id in rows)
    crew = rows[create.id][4]["assigned_user_ids"]
    assert create.changes["assigned_user_ids"] == {"old": None, "new": crew}
    assert update.changes == {"title": {"old": "Deck", "new": "Porch"}}
    assert tick.changes == {"purchased": {"old": False, "new": True}}
    assert note.changes == {"body": {"old": None, "new": "Gate"}}
    assert [r.job_id for r in (create, update, tick, note)] == [ids["job"]] * 4
    assert (thumb.action, gone.action, gone.job_id) == ("housekeeping", "delete", None)

    command.downgrade(config, "0007")
    with engine.connect() as conn:
        back = {r.id: (r.action, r.changes) for r in conn.execute(sa.select(_old_log_table()))}
    assert back == {row_id: (row[3], row[4]) for row_id, row in rows.items()}
    engine.dispose()


def test_0009_revokes_the_calendar_links_of_people_already_deactivated(blank_url):
    config = _config(blank_url)
    command.upgrade(config, "0008")
    engine = make_engine(blank_url)
    gone = _old_user(engine, Role.worker, active=False)
    here = _old_user(engine, Role.worker)
    tokens = sa.table(
        "calendar_tokens",
        sa.column("id", sa.Uuid()),
        sa.column("user_id", sa.Uuid()),
        sa.column("token_hash", sa.String()),
        sa.column("created_at", UTCDateTime()),
        sa.column("revoked_at", UTCDateTime()),
    )
    with engine.begin() as conn:
        for user in (gone, here):
            conn.execute(
                tokens.insert().values(
                    id=uuid.uuid4(), user_id=user.id, token_hash=user.id.hex, created_at=utcnow()
                )
            )
    command.upgrade(config, "0009")
    with engine.connect() as conn:
        revoked = dict(conn.execute(sa.select(tokens.c.user_id, tokens.c.revoked_at)).all())
    engine.dispose()
    assert revoked[gone.id] is not None and revoked[here.id] is None


def test_0010_gives_everyone_the_company_language(blank_url):
    config = _config(blank_url)
    command.upgrade(config, "0009")
    engine = make_engine(blank_url)
    person = _old_user(engine, Role.worker)
    command.upgrade(config, "0010")
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("language", sa.String()))
    with engine.connect() as conn:
        language = conn.execute(sa.select(users.c.language).where(users.c.id == person.id))
        assert language.scalar_one() == "en"
    engine.dispose()
