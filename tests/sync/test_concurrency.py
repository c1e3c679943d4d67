"""Concurrent pushes on PostgreSQL: a puller following the cursor never skips a change."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlmodel import Session

from khs_crm.models import User
from khs_crm.services.sync import pull as sync_pull
from khs_crm.services.sync import push as sync
from khs_crm.services.sync.apply import Operation

pytestmark = pytest.mark.postgres

WRITERS = 4
OPS_EACH = 40


def _create(job_id: uuid.UUID, seq: int, name: str) -> Operation:
    raw = {"jobId": str(job_id), "name": name}
    return Operation(
        uuid.uuid4(),
        seq,
        "material",
        uuid.uuid4(),
        "create",
        raw,
        None,
        {"n": name, "s": seq, "r": str(uuid.uuid4())},
    )


def test_no_pull_skips_a_change_while_pushes_run(pg_engine, pg_cast):
    created: set[uuid.UUID] = set()
    lock = threading.Lock()
    done = threading.Event()

    def writer(index: int) -> None:
        with Session(pg_engine, expire_on_commit=False) as session:
            user = session.get(User, pg_cast.owner.id if index % 2 else pg_cast.worker_a.id)
            for seq in range(OPS_EACH):
                op = _create(pg_cast.job.id, seq, f"w{index}-{seq}")
                (result,) = sync.push(session, user=user, client_id=f"c{index}", operations=[op])
                session.commit()  # the push route's boundary
                assert result.status == "applied", result.error
                with lock:
                    created.add(op.entity_id)

    seen: set[uuid.UUID] = set()
    cursor = 0

    def pull_once() -> None:
        nonlocal cursor
        with Session(pg_engine, expire_on_commit=False) as session:
            user = session.get(User, pg_cast.worker_a.id)
            while True:
                page = sync_pull.pull(
                    session, user=user, cursor=cursor, limit=25, scope="week", tz_name="UTC"
                )
                seen.update(c.entity_id for c in page.changes if c.entity == "material")
                cursor = page.cursor
                if not page.has_more:
                    return

    def puller() -> None:
        while not done.is_set():
            pull_once()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    reader = threading.Thread(target=puller)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    pull_once()  # the device's next pull after the burst
    assert len(created) == WRITERS * OPS_EACH
    assert created <= seen, f"{len(created - seen)} changes were skipped by the cursor"
