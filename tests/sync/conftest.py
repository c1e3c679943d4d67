import pytest
from sqlmodel import Session

from tests.support.factories import make_cast


@pytest.fixture
def pg_engine(postgres_url, monkeypatch):
    """The app's engine on the per-run PostgreSQL database, committing for real (pushes and
    pulls at once, a killed server): tables emptied before and after, as for ``real_commits``."""
    from khs_crm.db import get_engine
    from tests.support import databases

    monkeypatch.setenv("KHS_DATABASE_URL", postgres_url)
    databases.reset_caches()
    engine = get_engine()
    databases.empty_tables(engine)
    yield engine
    databases.empty_tables(engine)
    databases.reset_caches()


@pytest.fixture
def pg_cast(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as session:
        return make_cast(session)
