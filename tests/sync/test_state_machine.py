"""Shuffled, duplicated and dropped batches from several devices end where a model that
applies each unique operation once (in server order) ends."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlmodel import Session, select

from khs_crm.db import get_engine
from khs_crm.models import Material, User
from khs_crm.services.sync import push as sync
from khs_crm.services.sync.apply import Operation
from tests.support import databases
from tests.support.factories import make_cast

CLIENTS = ["phone-a", "phone-b", "desktop"]


class SyncMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        databases.reset_caches()
        self.engine = get_engine()
        databases.empty_tables(self.engine)
        with Session(self.engine, expire_on_commit=False) as session:
            cast = make_cast(session)
        self.job_id = cast.job.id
        self.users = {
            "phone-a": cast.worker_a.id,
            "phone-b": cast.worker_a.id,
            "desktop": cast.owner.id,
        }
        self.seq = dict.fromkeys(CLIENTS, 0)
        self.pending: dict[str, list[Operation]] = {c: [] for c in CLIENTS}
        self.model: dict[uuid.UUID, dict] = {}
        self.consumed: set[uuid.UUID] = set()
        self.materials: list[uuid.UUID] = []

    def _op(self, client: str, entity_id: uuid.UUID, action: str, changes: dict) -> Operation:
        self.seq[client] += 1
        op_id = uuid.uuid4()
        raw = {"opId": str(op_id), "entityId": str(entity_id), "changes": changes}
        return Operation(op_id, self.seq[client], "material", entity_id, action, changes, None, raw)

    @rule(client=st.sampled_from(CLIENTS), name=st.text("abcdef", min_size=1, max_size=5))
    def create(self, client: str, name: str) -> None:
        material_id = uuid.uuid4()
        self.materials.append(material_id)
        changes = {"jobId": str(self.job_id), "name": name}
        self.pending[client].append(self._op(client, material_id, "create", changes))

    @rule(
        client=st.sampled_from(CLIENTS),
        pick=st.integers(0, 50),
        bought=st.booleans(),
        quantity=st.integers(1, 9),
    )
    def update(self, client: str, pick: int, bought: bool, quantity: int) -> None:
        if self.materials:
            material_id = self.materials[pick % len(self.materials)]
            changes = {"purchased": bought, "quantity": quantity}
            self.pending[client].append(self._op(client, material_id, "update", changes))

    @rule(client=st.sampled_from(CLIENTS), data=st.data())
    def push(self, client: str, data) -> None:
        ops = self.pending[client]
        if not ops:
            return
        batch = data.draw(st.lists(st.sampled_from(ops), max_size=8))  # drops and duplicates
        batch = data.draw(st.permutations(batch))
        with Session(self.engine, expire_on_commit=False) as session:
            user = session.get(User, self.users[client])
            results = sync.push(session, user=user, client_id=client, operations=batch)
            session.commit()
        for op in sorted(batch, key=lambda o: o.seq):
            self._model_apply(op)
        by_id = {r.op_id: r.status for r in results}
        for op in batch:
            assert by_id[op.op_id] in ("applied", "duplicate", "rejected"), by_id[op.op_id]

    def _model_apply(self, op: Operation) -> None:
        if op.op_id in self.consumed:
            return
        self.consumed.add(op.op_id)
        if op.action == "create":
            self.model[op.entity_id] = {
                "name": op.changes["name"],
                "purchased": False,
                "quantity": 1.0,
            }
        elif op.entity_id in self.model:
            self.model[op.entity_id].update(
                purchased=op.changes["purchased"], quantity=float(op.changes["quantity"])
            )

    @invariant()
    def server_equals_model(self) -> None:
        if not hasattr(self, "engine"):
            return
        with Session(self.engine) as session:
            rows = session.exec(select(Material)).all()
        server = {
            m.id: {"name": m.name, "purchased": m.purchased, "quantity": float(m.quantity)}
            for m in rows
        }
        assert server == self.model


def test_state_machine_runs_on_the_test_database(engine):
    """Runs the state machine against the test database (SQLite, and PostgreSQL when marked)."""
    case = SyncMachine.TestCase
    case.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    case().runTest()
