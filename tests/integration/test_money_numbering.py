"""Document numbers under concurrent creation, on SQLite and PostgreSQL: threads with their
own sessions each create estimates; the numbers come out 1..N, no gap, no duplicate."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from khs_crm.models import Estimate, Role
from khs_crm.services.money.estimates import create_estimate
from khs_crm.services.money.schemas import EstimateCreate
from tests.support.factories import make_customer, make_job, make_user

THREADS = 6
EACH = 5


@pytest.mark.real_commits  # threads with their own connections, committing for real
def test_concurrent_estimates_get_consecutive_numbers(engine):
    with Session(engine) as setup:
        owner = make_user(setup, Role.owner)
        job = make_job(setup, make_customer(setup))
        owner_id, job_id = owner.id, job.id
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                with Session(engine, expire_on_commit=False) as session:
                    actor = session.get(type(owner), owner_id)
                    create_estimate(session, job_id=job_id, data=EstimateCreate(), actor=actor)
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with Session(engine) as session:
        numbers = sorted(int(n.split("-")[-1]) for n in session.exec(select(Estimate.number)).all())
    assert numbers == list(range(1, THREADS * EACH + 1))


@pytest.mark.real_commits
def test_a_creation_that_rolls_back_gives_its_number_back(engine):
    with Session(engine, expire_on_commit=False) as setup:
        owner = make_user(setup, Role.owner)
        job = make_job(setup, make_customer(setup))
        setup.refresh(owner)
    with Session(engine, expire_on_commit=False) as session:
        create_estimate(session, job_id=job.id, data=EstimateCreate(), actor=owner)
        session.rollback()
    with Session(engine, expire_on_commit=False) as session:
        estimate = create_estimate(session, job_id=job.id, data=EstimateCreate(), actor=owner)
        session.commit()
    assert estimate.number.endswith("-0001")
