"""The office screens' Reflex state, driven like the browser drives it, on a real database.

Each state is built inside a real root state whose router carries the session cookie (as
the websocket handshake does). No service is mocked: the handlers run their gate, the
services and the read models against the test database.
"""

from __future__ import annotations

import asyncio
import json
import pickle
import uuid

import pytest
import reflex as rx
from sqlmodel import func, select

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.integrations import jobqueue
from khs_crm.models import (
    ActivityLog,
    CalendarToken,
    Customer,
    Job,
    JobAssignment,
    JobNote,
    JobStatus,
    Material,
    Photo,
    Role,
    SyncConflict,
    User,
)
from khs_crm.office.activity import ActivityRow
from khs_crm.office.job_page import MaterialRow
from khs_crm.office.views import CustomerRow
from khs_crm.services.auth import service as auth
from khs_crm.services.customers.csv_transfer import MAX_IMPORT_BYTES
from khs_crm.state.office.base import PAGE_SIZE
from khs_crm.state.office.customer import CustomerState
from khs_crm.state.office.customers import CustomersState
from khs_crm.state.office.dashboard import DashboardState
from khs_crm.state.office.job import JobState
from khs_crm.state.office.job_activity import JobActivityState
from khs_crm.state.office.job_form import JobFormState
from khs_crm.state.office.job_materials import PAGE as MATERIALS_PAGE
from khs_crm.state.office.job_materials import JobMaterialsState
from khs_crm.state.office.job_photos import JobPhotosState
from khs_crm.state.office.jobs import BoardState, JobListState
from khs_crm.state.office.people import PeopleState
from khs_crm.state.office.review import ActivityState, ConflictsState
from khs_crm.state.office.schedule import ScheduleState
from tests.support.factories import make_customer, make_job, make_user
from tests.support.photo_files import image_bytes
from tests.support.uploads import uploaded

STATE_LIMIT = 100 * 1024


def root_state(cookie: str | None, path: str = "/") -> rx.State:
    """A root state as the websocket would build it: headers (cookie) and the page path."""
    root = rx.State(_reflex_internal_init=True)
    headers = {"origin": "http://testserver"}
    if cookie:
        headers["cookie"] = f"khs_session={cookie}"
    data = {"headers": headers, "pathname": path, "asPath": path, "query": {}}
    root.router_data = root._update_router_vars(data, {})
    return root


def sub(root: rx.State, cls: type[rx.State]):
    return root.get_substate(cls.get_full_name().split("."))


def call(handler, state, *args):
    """Run an event handler's function the way Reflex does (async ones to completion)."""
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result


def signed_in(session, user: User) -> str:
    raw = auth.create_session(session, user=user)
    session.commit()
    return raw


@pytest.fixture
def world(session, cast):
    """The cast plus a material, a note, a sync conflict and an owner's session."""
    material = Material(job_id=cast.job.id, name="Drywall", quantity=4, unit="sheets", version=90)
    note = JobNote(job_id=cast.job.id, author_id=cast.owner.id, body="Gate code 1234", version=91)
    conflict = SyncConflict(
        entity="material",
        entity_id=material.id,
        field="quantity",
        server_value=4,
        client_value=6,
        client_user_id=cast.worker_a.id,
        op_id=uuid.uuid4(),
    )
    session.add_all([material, note, conflict])
    session.commit()
    cast.material, cast.note, cast.conflict = material, note, conflict
    return cast


def snapshot(session) -> dict[str, object]:
    """Everything a data-changing handler could touch."""
    session.expire_all()
    count = lambda model: session.exec(select(func.count()).select_from(model)).one()  # noqa: E731
    return {
        "activity": count(ActivityLog),
        "customers": sorted(
            (str(c.id), c.name, c.deleted_at is None) for c in session.exec(select(Customer))
        ),
        "jobs": sorted(
            (str(j.id), j.title, str(j.status), j.deleted_at is None)
            for j in session.exec(select(Job))
        ),
        "crew": count(JobAssignment),
        "materials": sorted(
            (m.name, m.quantity, m.purchased, m.deleted_at is None)
            for m in session.exec(select(Material))
        ),
        "notes": count(JobNote),
        "photos": count(Photo),
        "users": sorted(
            (u.email, str(u.role), u.active, u.password_hash) for u in session.exec(select(User))
        ),
        "tokens": count(CalendarToken),
        "conflicts": sorted(str(c.resolved_at) for c in session.exec(select(SyncConflict))),
    }


# Every handler that changes data, with the arguments a browser would send.
def writes(w) -> list[tuple[type[rx.State], str, str, tuple]]:
    job, customer, material = str(w.job.id), str(w.customer.id), str(w.material.id)
    worker = str(w.worker_b.id)
    form = {"name": "Changed", "phone": "", "email": "", "address": "", "notes": ""}
    job_form = {"title": "Changed", "site_address": "", "description": ""}
    return [
        (CustomersState, "/customers", "create", (form,)),
        (CustomersState, "/customers", "import_csv", ([uploaded(b"name\nNew person\n")],)),
        (CustomerState, f"/customers/{customer}", "save", (form,)),
        (CustomerState, f"/customers/{customer}", "delete", ()),
        (BoardState, "/jobs", "move", (job, "in_progress")),
        (JobFormState, "/jobs", "save", (_form({**job_form, "crew": []}),)),
        (JobState, f"/jobs/{job}", "move", ("in_progress",)),
        (JobState, f"/jobs/{job}", "assign", ({"worker": worker},)),
        (JobState, f"/jobs/{job}", "unassign", (str(w.worker_a.id),)),
        (JobState, f"/jobs/{job}", "save", (job_form,)),
        (JobState, f"/jobs/{job}", "delete", ()),
        (JobMaterialsState, f"/jobs/{job}", "add", ({"name": "Screws"},)),
        (JobMaterialsState, f"/jobs/{job}", "add_lines", ({"lines": "Screws, 2"},)),
        (JobMaterialsState, f"/jobs/{job}", "edit", (material, "quantity", "9")),
        (JobMaterialsState, f"/jobs/{job}", "set_purchased", (material, True)),
        (JobMaterialsState, f"/jobs/{job}", "mark_selected", ()),
        (JobMaterialsState, f"/jobs/{job}", "remove", ()),
        (JobActivityState, f"/jobs/{job}", "add_note", ({"body": "Hello"},)),
        (JobPhotosState, f"/jobs/{job}", "delete", ()),
        (JobPhotosState, f"/jobs/{job}", "upload", ([uploaded(image_bytes(), "a.jpg")], _tag())),
        (PeopleState, "/people", "add", (_person(),)),
        (PeopleState, "/people", "change_role", (worker, "admin")),
        (PeopleState, "/people", "change_language", (worker, "es")),
        (PeopleState, "/people", "reactivate", (worker,)),
        (PeopleState, "/people", "deactivate", ()),
        (PeopleState, "/people", "reset_password", ({"password": "another-password-1"},)),
        (PeopleState, "/people", "issue_link", (worker, "B")),
        (PeopleState, "/people", "revoke_link", ()),
        (PeopleState, "/people", "save_cost", ({"hourly_cost": "28.50"},)),
        (PeopleState, "/people", "allow_pricing", (worker, True)),
        (ScheduleState, "/schedule", "issue_link", (worker, "B")),
        (ScheduleState, "/schedule", "revoke_link", ()),
        (ScheduleState, "/schedule", "move", (_move(w),)),
        (ConflictsState, "/conflicts", "keep", (str(w.conflict.id), "client")),
    ]


# Handlers that only read, page, filter or open and close dialogs: they change no data.
READ_ONLY = {
    "load", "refresh", "go", "go_jobs", "go_notes", "go_timeline", "search", "sort_by",
    "filter", "filter_status", "filter_worker", "filter_from", "filter_to", "clear_filters",
    "toggle_all", "shift", "this_week", "find_customer", "pick", "unpick", "select",
    "select_all", "rejected", "open_create", "close_create", "open_edit", "close_edit",
    "ask_delete", "cancel_delete", "ask_remove", "cancel_remove", "open_add", "close_add",
    "ask", "close_dialog", "ask_revoke", "cancel_revoke", "close_link", "open_new",
    "open_for", "close", "watch_thumbnails", "ask_cost", "close_cost",
    "open_move", "close_move", "pick_worker", "begin_upload", "upload_progress", "watch_upload",
}  # fmt: skip


def test_every_office_handler_is_either_read_only_or_role_tested(world):
    states = {cls for cls, *_ in writes(world)} | {DashboardState, JobListState, ActivityState}
    tested = {(cls, name) for cls, _path, name, _args in writes(world)}
    for cls in states:
        for name in set(cls.event_handlers) - set(rx.State.event_handlers):
            if name.startswith("set") and name != "set_purchased":
                continue  # Reflex's own setters (auto-setters are off)
            assert name in READ_ONLY or (cls, name) in tested, f"{cls.__name__}.{name}"


def _tag() -> dict[str, str]:
    return {"tag": "before", "caption": ""}


def _form(values: dict):
    from reflex_base.utils.form import FormData

    items = [(k, v) for k, v in values.items() if k != "crew"]
    items += [("crew", c) for c in values.get("crew", [])]
    return FormData(items)


def _move(w) -> dict[str, str]:
    """The schedule's drop form: worker A's job to a Monday, handed to worker B."""
    return {
        "job": str(w.job.id),
        "version": str(w.job.version),
        "from_day": "",
        "from_worker": str(w.worker_a.id),
        "to_day": "2026-12-07",
        "to_worker": str(w.worker_b.id),
    }


def _person() -> dict[str, str]:
    return {"name": "Nia", "email": "nia@example.com", "role": "worker", "password": "pw-123456789"}


def _aim(state: rx.State, w) -> None:
    """Point a state's remembered targets at real rows, as earlier clicks would have."""
    if isinstance(state, CustomerState):
        state.customer.id = str(w.customer.id)
    if isinstance(state, JobState):
        state.job.id = str(w.job.id)
    if isinstance(state, JobMaterialsState):
        state.selected, state.removing_id = [str(w.material.id)], str(w.material.id)
    if isinstance(state, JobPhotosState):
        state.confirm_id = str(uuid.uuid4())
    if isinstance(state, JobFormState):
        state.customer_id = str(w.customer.id)
    if isinstance(state, PeopleState):
        state.target_id = str(w.worker_b.id)
    if isinstance(state, PeopleState | ScheduleState):
        state.revoking_id = str(w.worker_b.id)


@pytest.mark.parametrize("who", ["worker", "signed_out", "deactivated_admin"])
def test_no_handler_changes_data_for_anyone_but_the_office(session, world, who):
    if who == "worker":
        cookie = signed_in(session, world.worker_a)
    elif who == "deactivated_admin":
        admin = make_user(session, Role.admin)
        cookie = signed_in(session, admin)
        admin.active, admin.auth_epoch = False, admin.auth_epoch + 1
        session.add(admin)
        session.commit()
    else:
        cookie = None
    before = snapshot(session)
    for cls, path, name, args in writes(world):
        state = sub(root_state(cookie, path), cls)
        _aim(state, world)
        result = call(getattr(cls, name), state, *args)
        target = "/field" if who == "worker" else "/login"
        assert target in str(result), f"{cls.__name__}.{name} did not turn {who} away"
        assert state.notice == "", f"{cls.__name__}.{name} reported success to {who}"
    assert snapshot(session) == before


@pytest.mark.real_commits  # the photo's thumbnail job writes from its worker thread
def test_the_same_handlers_do_change_data_for_the_office(session, world):
    """The role test above means something only if the handlers really write for the office."""
    cookie = signed_in(session, world.owner)
    before = snapshot(session)
    for cls, path, name, args in writes(world):
        if name in ("delete", "remove") or (cls, name) == (JobPhotosState, "delete"):
            continue
        state = sub(root_state(cookie, path), cls)
        _aim(state, world)
        call(getattr(cls, name), state, *args)
    after = snapshot(session)
    assert after["activity"] > before["activity"]
    assert after["notes"] == before["notes"] + 1
    assert after["photos"] == before["photos"] + 1
    assert after["tokens"] > before["tokens"]
    assert jobqueue.get_queue().join(20)  # the photo's thumbnail, before the tables are emptied


def test_every_office_screen_loads_for_an_owner(session, world):
    cookie = signed_in(session, world.owner)
    pages = [
        (DashboardState, "/"),
        (CustomersState, "/customers"),
        (CustomerState, f"/customers/{world.customer.id}"),
        (BoardState, "/jobs"),
        (JobListState, "/jobs/list"),
        (JobState, f"/jobs/{world.job.id}"),
        (JobMaterialsState, f"/jobs/{world.job.id}"),
        (JobActivityState, f"/jobs/{world.job.id}"),
        (JobPhotosState, f"/jobs/{world.job.id}"),
        (ScheduleState, "/schedule"),
        (PeopleState, "/people"),
        (ConflictsState, "/conflicts"),
        (ActivityState, "/activity"),
    ]
    for cls, path in pages:
        state = sub(root_state(cookie, path), cls)
        assert call(cls.load, state) is None, cls.__name__
        assert state.error == "", f"{cls.__name__}: {state.error}"
    job = sub(root_state(cookie, f"/jobs/{world.job.id}"), JobState)
    call(JobState.load, job)
    assert job.job.title == world.job.title and [m.label for m in job.crew] == [world.worker_a.name]
    assert {m.status for m in job.moves if m.allowed} == {
        "in_progress",
        "on_hold",
        "quoted",
        "cancelled",
    }
    materials = sub(root_state(cookie, f"/jobs/{world.job.id}"), JobMaterialsState)
    call(JobMaterialsState.load, materials)
    assert [m.name for m in materials.items] == ["Drywall"] and materials.to_buy == 1


def test_search_finds_part_of_a_phone_number(session, world):
    make_customer(session, name="Rosa Diaz", phone="(737) 555-0199")
    state = sub(root_state(signed_in(session, world.owner), "/customers"), CustomersState)
    for typed in ("555-0199", "737 555", "(737) 555-01"):
        call(CustomersState.search, state, typed)
        assert [r.name for r in state.rows] == ["Rosa Diaz"], typed
    call(CustomersState.search, state, "")
    assert state.total == 2


def test_invalid_customer_shows_each_fields_message(session, world):
    state = sub(root_state(signed_in(session, world.owner), "/customers"), CustomersState)
    state.creating = True
    form = {"name": " ", "phone": "call me", "email": "not-an-email", "address": "", "notes": ""}
    assert call(CustomersState.create, state, form) is None
    assert state.creating and set(state.field_errors) >= {"name", "phone", "email"}


def test_csv_import_reports_bad_rows_and_imports_nothing(session, world):
    state = sub(root_state(signed_in(session, world.owner), "/customers"), CustomersState)
    before = snapshot(session)["customers"]
    csv = b"name,email\nGood Person,good@example.com\n,missing@example.com\nBad,nope\n"
    call(CustomersState.begin_upload, state)  # the picker's first event: it waits and says so
    assert state.sending and state.sent_percent == 0
    call(CustomersState.import_csv, state, [uploaded(csv)])
    assert [p.where for p in state.import_report] == ["row 3.name", "row 4.email"]
    assert snapshot(session)["customers"] == before
    assert not state.sending  # the picker takes another file after a refused one
    call(CustomersState.begin_upload, state)
    assert state.import_report == []  # the last file's report goes as the next one is sent
    call(CustomersState.upload_progress, state, {"progress": 0.25})
    assert state.sent_percent == 25
    call(CustomersState.import_csv, state, [uploaded(b"name\nAna\nBo\n")])
    assert state.import_report == [] and state.notice == "Imported 2 customers."
    assert not state.sending


def test_a_csv_past_the_limit_is_refused_without_reading_it_whole(session, world):
    state = sub(root_state(signed_in(session, world.owner), "/customers"), CustomersState)
    before = snapshot(session)["customers"]
    big = uploaded(b"name\n" + b"Ana\n" * (2 * MAX_IMPORT_BYTES // 4))  # 10 MB of rows
    call(CustomersState.import_csv, state, [big])
    assert state.error == "The file is larger than 5 MB."
    assert big.file.tell() == MAX_IMPORT_BYTES + 1  # read no further than needed to tell
    assert snapshot(session)["customers"] == before


def test_workflow_refuses_a_skipped_step_with_the_reason(session, world):
    lead = make_job(session, world.customer, title="Porch")
    state = sub(root_state(signed_in(session, world.owner), "/jobs"), BoardState)
    call(BoardState.move, state, str(lead.id), "completed")
    assert "cannot move to completed" in state.error
    call(BoardState.move, state, str(lead.id), "quoted")
    assert state.notice == "Moved “Porch” to Quoted."
    session.refresh(lead)
    assert lead.status == JobStatus.quoted


def _filled(state: rx.State, name: str, row, count: int) -> None:
    """A full page of distinct copies (a repeated object or text would pickle only once)."""

    def copy(i: int):
        texts = {k: f"{i:03d}{v[3:]}" for k, v in row.model_dump().items() if isinstance(v, str)}
        return row.model_copy(update=texts)

    setattr(state, name, [copy(i) for i in range(count)])


def _tree(state: rx.State):
    yield state
    for child in state.substates.values():
        yield from _tree(child)


def test_per_session_state_stays_under_100_kb_with_full_pages(session, world):
    """Every office screen at once, each list a full page of the longest rows possible."""
    root = root_state(signed_in(session, world.owner), "/customers")
    customer = CustomerRow(
        id=str(uuid.uuid4()),
        name="N" * 200,
        phone="5" * 40,
        email="e" * 254,
        address="A" * 500,
        updated="Wed, Dec 31 2026, 11:59 PM",
    )
    _filled(sub(root, CustomersState), "rows", customer, PAGE_SIZE)
    entry = ActivityRow(
        id=str(uuid.uuid4()),
        when="Wed, Dec 31 2026, 11:59 PM",
        who="W" * 120,
        summary="changed the site address of job “" + "T" * 200 + "” from “…” to “…”",
        href=f"/jobs/{uuid.uuid4()}",
    )
    _filled(sub(root, ActivityState), "rows", entry, PAGE_SIZE)
    material = MaterialRow(
        id=str(uuid.uuid4()),
        name="M" * 200,
        quantity="1000000",
        unit="u" * 40,
        supplier="S" * 200,
        purchased=True,
        bought="Bought Wed, Dec 31 2026, 11:59 PM by " + "W" * 120,
        key=f"{uuid.uuid4()}-1234567",
    )
    _filled(sub(root, JobMaterialsState), "items", material, MATERIALS_PAGE)
    for cls in (DashboardState, CustomerState, JobActivityState):
        call(cls.load, sub(root, cls))
    as_json = len(json.dumps(root.dict(), default=str).encode())
    pickled = sum(len(pickle.dumps(state)) for state in _tree(root))
    assert as_json < STATE_LIMIT, f"the state is {as_json / 1024:.1f} KB as JSON"
    assert pickled < STATE_LIMIT, f"the state is {pickled / 1024:.1f} KB pickled"
