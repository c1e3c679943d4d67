"""Document numbers under concurrent creation, on SQLite and PostgreSQL: threads with their
own sessions each create estimates, invoices or change orders (``CO-``, the same counters);
each kind's numbers come out 1..N, no gap, no duplicate, also when all kinds race at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from khs_crm.models import ChangeOrder, Estimate, Invoice, Role, User
from khs_crm.services.change_orders.schemas import ChangeOrderIn
from khs_crm.services.change_orders.service import create_change_order
from khs_crm.services.money.estimates import create_estimate
from khs_crm.services.money.invoices import create_invoice
from khs_crm.services.money.schemas import EstimateCreate, InvoiceCreate
from tests.support.factories import make_customer, make_job, make_user

THREADS = 6
EACH = 5
LINE = {"kind": "labor", "description": "Demo", "quantity": "1", "unitPrice": "10.00"}
Create = Callable[[Session, uuid.UUID, User], object]


def _estimate(session: Session, job_id: uuid.UUID, actor: User) -> object:
    return create_estimate(session, job_id=job_id, data=EstimateCreate(), actor=actor)


def _invoice(session: Session, job_id: uuid.UUID, actor: User) -> object:
    data = InvoiceCreate.model_validate({"kind": "progress", "lines": [LINE]})
    return create_invoice(session, job_id=job_id, data=data, actor=actor)


def _change_order(session: Session, job_id: uuid.UUID, actor: User) -> object:
    data = ChangeOrderIn.model_validate({"description": "Extra outlet", "lines": [LINE]})
    return create_change_order(session, job_id=job_id, data=data, actor=actor)


KINDS: dict[str, tuple[Create, type, str]] = {
    "estimates": (_estimate, Estimate, "E-"),
    "invoices": (_invoice, Invoice, "INV-"),
    "change-orders": (_change_order, ChangeOrder, "CO-"),
}


def _race(engine, creates: list[Create]) -> None:
    """THREADS threads per ``creates`` item, started together, each creating EACH documents,
    one transaction each."""
    with Session(engine) as setup:
        owner = make_user(setup, Role.owner)
        job = make_job(setup, make_customer(setup))
        owner_id, job_id = owner.id, job.id
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS * len(creates))

    def work(create: Create) -> None:
        try:
            start.wait()
            for _ in range(EACH):
                with Session(engine, expire_on_commit=False) as session:
                    actor = session.get(User, owner_id)
                    assert actor is not None
                    create(session, job_id, actor)
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(create,)) for create in creates for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def _numbers(engine, model: type, prefix: str) -> list[int]:
    with Session(engine) as session:
        found = session.exec(select(model.number)).all()  # type: ignore[attr-defined]
    assert all(number.startswith(prefix) for number in found), found
    return sorted(int(number.removeprefix(prefix)) for number in found)


@pytest.mark.real_commits  # threads with their own connections, committing for real
@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_concurrent_documents_get_consecutive_numbers(engine, kind):
    create, model, prefix = KINDS[kind]
    _race(engine, [create])
    assert _numbers(engine, model, prefix) == list(range(1, THREADS * EACH + 1))


@pytest.mark.real_commits
def test_every_kind_racing_at_once_keeps_its_own_sequence(engine):
    _race(engine, [create for create, _model, _prefix in KINDS.values()])
    for _create, model, prefix in KINDS.values():
        assert _numbers(engine, model, prefix) == list(range(1, THREADS * EACH + 1)), prefix


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
