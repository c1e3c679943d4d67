"""Two writers at once, on SQLite and PostgreSQL: one wins, the other is told (decision 0001).

Each pair of requests is released together by a barrier, each on its own client, so both run
at once in the app. ``held`` pairs go further: each request waits, once it has read the row
and passed the If-Match check, until the other has too, so both carry the same stale version
into the write and only the compare-and-swap can stop the second one.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from khs_crm.models import Customer, Job, JobAssignment, JobNote, Material, Photo, Role, User
from khs_crm.services.auth import users
from khs_crm.services.core.versioning import next_version
from khs_crm.services.customers import service as customers
from khs_crm.services.jobs import materials, workflow
from khs_crm.services.jobs import service as jobs
from khs_crm.services.photos import service as photos
from khs_crm.services.sync import pull as sync_pull
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.factories import bearer, make_job, make_user

# Two requests at once, each on its own connection and thread: real commits.
pytestmark = pytest.mark.real_commits

PAIRS = 10
PULL_PAUSE = 0.01  # seconds between a caught-up device's pulls (test_pulls_paging_...)


@dataclass
class Call:
    method: str
    url: str
    user: User
    json: Any
    version: int | None = None  # sent as If-Match


def send_together(calls: list[Call]) -> list[httpx.Response]:
    """Send the calls at the same moment, each from its own thread and client."""
    app, barrier = api_app(), threading.Barrier(len(calls))
    responses: list[Any] = [None] * len(calls)
    # Tokens are minted here, one at a time: the first ever mint writes the signing keys.
    headers = [bearer(call.user) for call in calls]
    for call, sent in zip(calls, headers, strict=True):
        if call.version is not None:
            sent["If-Match"] = f'"{call.version}"'

    def send(index: int, call: Call) -> None:
        with contextlib.closing(AppClient(app, raise_server_exceptions=False)) as client:
            barrier.wait(timeout=30)
            responses[index] = client.request(
                call.method, call.url, json=call.json, headers=headers[index]
            )

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in responses), "a request never came back"
    return responses


class Hold:
    """Stops each racing request at ``module.name`` (after it returns, or before it runs)
    until the other request has reached it too; ``reached`` counts the requests that did."""

    def __init__(self, monkeypatch, module, name: str, *, after: bool) -> None:
        self.barrier: threading.Barrier | None = None
        self.reached = 0
        self._lock = threading.Lock()
        original = getattr(module, name)

        def held(*args, **kwargs):
            if not after:
                self._meet()
            result = original(*args, **kwargs)
            if after:
                self._meet()
            return result

        monkeypatch.setattr(module, name, held)

    def arm(self) -> None:
        self.barrier, self.reached = threading.Barrier(2, timeout=10), 0

    def _meet(self) -> None:
        barrier = self.barrier
        if barrier is None:
            return
        with self._lock:
            self.reached += 1
        # A broken barrier: the other request stopped earlier, and the assertions say so.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()


# The versioned entities: where they are written, two different changes, what to read back.


@dataclass
class Entity:
    model: type
    path: str
    module: Any  # the service whose check_version a held pair stops at
    bodies: Callable[[Session, Any, int], tuple[Any, Any]]  # two different changes
    value: Callable[[Session, Any], Any]  # what a body changes, read back
    wanted: Callable[[Any], Any]  # ... as the body asks for it
    method: str = "PUT"


def _named(key: str) -> Callable[[Session, Any, int], tuple[Any, Any]]:
    return lambda _s, _row, i: ({key: f"Office A {i}"}, {key: f"Office B {i}"})


def _status_bodies(_session: Session, job: Job, _i: int) -> tuple[Any, Any]:
    moves = [m for m in workflow.allowed_moves(job.status, Role.owner) if m != "cancelled"]
    return {"status": moves[0]}, {"status": moves[-1 if len(moves) == 1 else 1]}


def _crew(session: Session, job: Job) -> set[uuid.UUID]:
    rows = session.exec(select(JobAssignment.user_id).where(JobAssignment.job_id == job.id))
    return set(rows.all())


def _crew_bodies(session: Session, job: Job, i: int) -> tuple[Any, Any]:
    workers = session.exec(select(User.id).where(User.role == Role.worker)).all()
    a, b, c = sorted(workers)
    crews = [[a], [b], [a, b], [c], [b, c], [a, c]]
    options = [crew for crew in crews if set(crew) != _crew(session, job)]
    first, second = options[i % len(options)], options[(i + 1) % len(options)]
    return {"userIds": [str(u) for u in first]}, {"userIds": [str(u) for u in second]}


ENTITIES = {
    "customer": Entity(
        Customer,
        "/api/customers/{}",
        customers,
        _named("name"),
        lambda _s, r: r.name,
        lambda b: b["name"],
    ),
    "job": Entity(
        Job, "/api/jobs/{}", jobs, _named("title"), lambda _s, r: r.title, lambda b: b["title"]
    ),
    "status": Entity(
        Job,
        "/api/jobs/{}/status",
        workflow,
        _status_bodies,
        lambda _s, r: r.status,
        lambda b: b["status"],
    ),
    "crew": Entity(
        Job,
        "/api/jobs/{}/assign",
        workflow,
        _crew_bodies,
        _crew,
        lambda b: {uuid.UUID(u) for u in b["userIds"]},
        method="POST",
    ),
    "material": Entity(
        Material,
        "/api/materials/{}",
        materials,
        _named("name"),
        lambda _s, r: r.name,
        lambda b: b["name"],
    ),
    "photo": Entity(
        Photo,
        "/api/photos/{}",
        photos,
        _named("caption"),
        lambda _s, r: r.caption,
        lambda b: b["caption"],
    ),
    "user": Entity(
        User, "/api/users/{}", users, _named("name"), lambda _s, r: r.name, lambda b: b["name"]
    ),
}


def _target(session: Session, cast, entity: str) -> uuid.UUID:
    """The row the pairs fight over."""
    if entity == "customer":
        return cast.customer.id
    if entity == "crew":
        make_user(session, Role.worker)  # a third worker, for more crews to choose from
    if entity in ("job", "status", "crew"):
        return cast.job.id
    if entity == "user":
        return cast.worker_b.id
    model = ENTITIES[entity].model
    fields = {"name": "Quartz countertop"} if model is Material else {"storage_key": "p/1.jpg"}
    if model is Photo:
        fields |= {"id": uuid.uuid4(), "content_type": "image/jpeg", "caption": "Kitchen wall"}
    row = model(job_id=cast.job.id, version=next_version(session), **fields)
    session.add(row)
    session.commit()
    return row.id


@pytest.mark.parametrize("mode", ["raced", "held"])
@pytest.mark.parametrize("entity", list(ENTITIES))
def test_of_two_writers_with_the_same_if_match_exactly_one_wins(
    engine, session, cast, monkeypatch, entity, mode
):
    spec = ENTITIES[entity]
    row_id = _target(session, cast, entity)
    hold = None
    if mode == "held":  # users take the writers' lock before reading: hold them before it
        after = entity != "user"
        hold = Hold(
            monkeypatch, spec.module, "check_version" if after else "lock_writes", after=after
        )
    for i in range(PAIRS):
        with Session(engine) as fresh:
            row = fresh.get(spec.model, row_id)
            bodies = spec.bodies(fresh, row, i)
        url = spec.path.format(row_id)
        calls = [
            Call(spec.method, url, actor, body, row.version)
            for actor, body in zip((cast.owner, cast.admin), bodies, strict=True)
        ]
        if hold:
            hold.arm()
        responses = send_together(calls)
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [200, 412], f"pair {i}: {statuses} {[r.text for r in responses]}"
        won, lost = (0, 1) if statuses[0] == 200 else (1, 0)
        assert responses[lost].json()["error"]["code"] == "PRECONDITION_FAILED"
        if hold:
            assert hold.reached == 2, f"pair {i}: the requests did not both reach the write"
            hold.barrier = None
        with Session(engine) as fresh:
            row = fresh.get(spec.model, row_id)
            assert spec.value(fresh, row) == spec.wanted(bodies[won]), f"pair {i}: lost update"
            assert row.version == responses[won].json()["data"]["version"]


@pytest.mark.parametrize("mode", ["raced", "held"])
def test_two_owners_deactivating_each_other_leave_one_active_owner(
    engine, session, cast, monkeypatch, mode
):
    second = make_user(session, Role.owner)
    hold = Hold(monkeypatch, users, "lock_writes", after=False) if mode == "held" else None
    for i in range(PAIRS):
        with Session(engine) as fresh:
            one, two = fresh.get(User, cast.owner.id), fresh.get(User, second.id)
        calls = [
            Call("PUT", f"/api/users/{two.id}", one, {"active": False}),
            Call("PUT", f"/api/users/{one.id}", two, {"active": False}),
        ]
        if hold:
            hold.arm()
        responses = send_together(calls)
        statuses = [r.status_code for r in responses]
        won = statuses.index(200) if 200 in statuses else None
        assert won is not None and statuses.count(200) == 1, f"pair {i}: {statuses}"
        lost = responses[1 - won]
        # Held, both are signed in when they write; raced, the loser may already be signed out.
        allowed = {"CONFLICT"} if hold else {"CONFLICT", "UNAUTHORIZED"}
        assert lost.json()["error"]["code"] in allowed, f"pair {i}: {lost.text}"
        if hold:
            assert lost.status_code == 409 and hold.reached == 2
            hold.barrier = None
        with Session(engine) as fresh:
            active = fresh.exec(select(User.id).where(User.role == Role.owner, User.active)).all()
            assert active == [calls[won].user.id], f"pair {i}: active owners {active}"
            users.update_user(fresh, user_id=(two, one)[won].id, actor=None, active=True)
            fresh.commit()


# Sync: pushes that overlap, pulls that page while a push commits.


def _op(entity: str, action: str, entity_id, changes: dict, seq: int) -> dict:
    return {
        "opId": str(uuid.uuid4()),
        "seq": seq,
        "entity": entity,
        "entityId": str(entity_id),
        "action": action,
        "changes": changes,
        "baseVersion": None,
    }


def _push(user: User, ops: list[dict], client_id: str = "phone-1") -> Call:
    return Call("POST", "/api/sync/push", user, {"clientId": client_id, "operations": ops})


def test_the_same_operations_pushed_twice_at_once_are_applied_once(engine, cast):
    for i in range(PAIRS):
        ops = [
            _op(
                "material",
                "create",
                uuid.uuid4(),
                {"jobId": str(cast.job.id), "name": f"M{i}-{n}"},
                n,
            )
            for n in range(30)
        ]
        first, second = ops[:20], ops[10:]  # ops 10..19 travel in both
        responses = send_together([_push(cast.worker_a, first), _push(cast.worker_a, second)])
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results: dict[str, list[dict]] = {}
        for response in responses:
            for result in response.json()["data"]["results"]:
                results.setdefault(result["opId"], []).append(result)
        for n, op in enumerate(ops):
            got = results[op["opId"]]
            expected = ["applied", "duplicate"] if 10 <= n < 20 else ["applied"]
            assert sorted(r["status"] for r in got) == expected, f"push {i}, op {n}: {got}"
            assert len({r["version"] for r in got}) == 1  # the duplicate names the same version
        with Session(engine) as fresh:
            ids = [uuid.UUID(op["entityId"]) for op in ops]
            assert len(fresh.exec(select(Material.id).where(Material.id.in_(ids))).all()) == 30


def _mixed_push(session: Session, cast, round_: int, size: int = 200) -> list[dict]:
    """One push writing jobs first, then materials and notes, then the customer."""
    job_ids = [cast.job.id] + [
        make_job(session, cast.customer, title=f"Extra {round_}-{n}").id for n in range(3)
    ]
    ops = [
        _op("job", "update", j, {"title": f"Job {round_}-{n}"}, n) for n, j in enumerate(job_ids)
    ]
    while len(ops) < size - 1:
        n, job_id = len(ops), str(job_ids[len(ops) % len(job_ids)])
        if n % 3:
            ops.append(
                _op("material", "create", uuid.uuid4(), {"jobId": job_id, "name": f"M{n}"}, n)
            )
        else:
            ops.append(
                _op("note", "create", uuid.uuid4(), {"jobId": job_id, "body": f"Note {n}"}, n)
            )
    ops.append(_op("customer", "update", cast.customer.id, {"notes": f"Round {round_}"}, size))
    return ops


class Puller:
    """A device following the cursor with small pages; remembers the newest version it saw."""

    def __init__(self, user: User) -> None:
        self.client = AppClient(api_app(), raise_server_exceptions=False)
        self.headers = bearer(user)
        self.cursor = 0
        self.seen: dict[tuple[str, str], int] = {}
        self.pulls = 0

    def pull_once(self) -> bool:
        response = self.client.get(
            "/api/sync/pull",
            params={"cursor": self.cursor, "limit": 7, "scope": "all"},
            headers=self.headers,
        )
        assert response.status_code == 200, response.text
        self.pulls += 1
        data = response.json()["data"]
        for change in data["changes"]:
            key = (change["entity"], change["entityId"])
            self.seen[key] = max(self.seen.get(key, 0), change["version"])
        assert data["cursor"] >= self.cursor
        self.cursor = data["cursor"]
        return data["hasMore"]

    def catch_up(self) -> None:
        while self.pull_once():
            pass


def _everything(engine) -> dict[tuple[str, str], int]:
    models = {"job": Job, "material": Material, "note": JobNote, "customer": Customer}
    with Session(engine) as fresh:
        return {
            (name, str(row_id)): version
            for name, model in models.items()
            for row_id, version in fresh.exec(select(model.id, model.version)).all()
        }


def _missed(puller: Puller, engine) -> list:
    return sorted(
        (key, v, puller.seen.get(key))
        for key, v in _everything(engine).items()
        if puller.seen.get(key) != v
    )


def test_small_pages_after_a_200_operation_push_miss_nothing(engine, session, cast):
    puller = Puller(cast.owner)
    puller.catch_up()
    (response,) = send_together([_push(cast.owner, _mixed_push(session, cast, 0))])
    assert {r["status"] for r in response.json()["data"]["results"]} == {"applied"}
    puller.catch_up()
    assert _missed(puller, engine) == []


def test_pulls_paging_while_pushes_commit_miss_nothing(engine, session, cast):
    puller, done, failed = Puller(cast.owner), threading.Event(), []

    def follow() -> None:
        try:
            while not done.is_set():
                puller.catch_up()
                # Caught up: a short pause before the next pull, not a loop holding the
                # interpreter lock the pushes' threads need (a push of 200 operations still
                # sees dozens of pulls, counted below).
                done.wait(PULL_PAUSE)
        except Exception as exc:  # reported below, in the test's own thread
            failed.append(exc)

    reader = threading.Thread(target=follow)
    reader.start()
    pulls_during: list[int] = []
    try:
        for round_ in range(5):
            push = _push(cast.owner, _mixed_push(session, cast, round_))
            before = puller.pulls
            (response,) = send_together([push])
            pulls_during.append(puller.pulls - before)
            assert response.status_code == 200, response.text
    finally:
        done.set()
        reader.join(timeout=120)
    assert failed == []
    assert min(pulls_during) >= 3, pulls_during  # the device pulled while each push ran
    puller.catch_up()
    assert _missed(puller, engine) == []


def test_a_push_committing_between_the_reads_of_one_pull_is_not_skipped(
    engine, session, cast, monkeypatch
):
    """The pull reads jobs, then materials, notes, photos, customers: a push that commits
    between those reads must not move the cursor past the jobs it wrote."""
    puller = Puller(cast.owner)
    puller.catch_up()
    ops = _mixed_push(session, cast, 0)
    jobs_read, pushed = threading.Event(), threading.Event()
    original = sync_pull._source

    def paused(*args, **kwargs):
        source = original(*args, **kwargs)
        if not jobs_read.is_set():  # the first read of the pull: its jobs
            jobs_read.set()
            pushed.wait(timeout=30)
        return source

    monkeypatch.setattr(sync_pull, "_source", paused)
    reader = threading.Thread(target=puller.pull_once)
    reader.start()
    assert jobs_read.wait(timeout=30)
    try:
        (response,) = send_together([_push(cast.owner, ops)])
        assert response.status_code == 200, response.text
    finally:
        pushed.set()
        reader.join(timeout=120)
    puller.catch_up()
    assert _missed(puller, engine) == []


def test_ticks_pushed_while_the_office_renames_one_lose_neither_change(engine, session, cast):
    """A run of edits skips the compare-and-swap because the push reads its rows under the
    writers' lock: an office PUT racing it either lands first (the tick merges over it) or
    is told 412; neither change is lost silently."""
    for i in range(PAIRS):
        rows = [
            Material(job_id=cast.job.id, name=f"R{i}-{n}", version=next_version(session))
            for n in range(3)
        ]
        session.add_all(rows)
        session.commit()
        target = rows[1]
        ticks = [
            _op("material", "update", m.id, {"purchased": True}, n) | {"baseVersion": m.version}
            for n, m in enumerate(rows)
        ]
        rename = Call("PUT", f"/api/materials/{target.id}", cast.owner, {"name": f"New {i}"})
        rename.version = target.version
        pushed, renamed = send_together([_push(cast.worker_a, ticks, f"phone-{i}"), rename])
        assert pushed.status_code == 200, pushed.text
        results = pushed.json()["data"]["results"]
        assert [r["status"] for r in results] == ["applied"] * 3, results
        assert renamed.status_code in (200, 412), renamed.text
        with Session(engine) as fresh:
            row = fresh.get(Material, target.id)
            assert row.purchased and row.purchased_by == cast.worker_a.id
            assert row.name == (f"New {i}" if renamed.status_code == 200 else f"R{i}-1")
            written = [results[1]["version"]]
            if renamed.status_code == 200:
                written.append(renamed.json()["data"]["version"])
            assert row.version == max(written) and len(set(written)) == len(written)
