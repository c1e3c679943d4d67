"""The People screen offers each person only the actions the signed-in one may take
(``users.may_manage``), and its handlers refuse the rest."""

from __future__ import annotations

from sqlmodel import select

from khs_crm.models import CalendarToken, Role, User
from khs_crm.state.office.people import PeopleState
from tests.support.factories import make_user
from tests.unit.test_office_state import call, root_state, signed_in, sub


def _account(session, user: User) -> tuple:
    session.expire_all()
    row = session.get(User, user.id)
    return row.name, str(row.role), row.active, row.auth_epoch, row.password_hash


def _people(session, actor: User) -> PeopleState:
    state = sub(root_state(signed_in(session, actor), "/people"), PeopleState)
    call(PeopleState.load, state)
    return state


def test_an_admin_sees_actions_only_on_workers_rows(session, cast):
    other_admin = make_user(session, Role.admin)
    state = _people(session, cast.admin)
    assert {row.id: row.manageable for row in state.rows} == {
        str(cast.owner.id): False,
        str(cast.admin.id): False,
        str(other_admin.id): False,
        str(cast.worker_a.id): True,
        str(cast.worker_b.id): True,
    }
    assert [option.value for option in state.roles] == ["worker"]  # so no role picker


def test_an_owner_sees_actions_on_every_row(session, cast):
    state = _people(session, cast.owner)
    assert all(row.manageable for row in state.rows)
    assert [option.value for option in state.roles] == ["worker", "admin", "owner"]


def test_an_admins_clicks_on_an_admins_row_change_nothing(session, cast):
    other = make_user(session, Role.admin)
    session.add(CalendarToken(user_id=other.id, token_hash="x" * 64, created_by=cast.owner.id))
    session.commit()
    before = _account(session, other)
    state = _people(session, cast.admin)
    state.target_id = state.revoking_id = str(other.id)
    clicks = [
        (PeopleState.change_role, (str(other.id), "worker")),
        (PeopleState.reset_password, ({"password": "another-password-1"},)),
        (PeopleState.deactivate, ()),
        (PeopleState.issue_link, (str(other.id), other.name)),
        (PeopleState.revoke_link, ()),
    ]
    for handler, args in clicks:
        call(handler, state, *args)
        assert state.error.startswith("Only an owner"), handler
        assert state.notice == ""
    assert _account(session, other) == before
    links = session.exec(select(CalendarToken).where(CalendarToken.user_id == other.id)).all()
    assert [link.revoked_at for link in links] == [None]


def test_the_office_sets_a_workers_language_from_the_people_screen(session, cast):
    state = _people(session, cast.admin)
    assert [option.label for option in state.languages] == ["English", "Español"]
    row = next(r for r in state.rows if r.id == str(cast.worker_a.id))
    assert (row.language, row.language_name) == ("en", "English")
    owner = next(r for r in state.rows if r.id == str(cast.owner.id))
    assert not owner.manageable and owner.language_name == "English"  # shown, not a picker
    call(PeopleState.change_language, state, str(cast.worker_a.id), "es")
    assert state.notice == "Language changed." and state.error == ""
    assert next(r for r in state.rows if r.id == str(cast.worker_a.id)).language == "es"
    call(PeopleState.change_language, state, str(cast.owner.id), "es")  # an owner: not theirs
    assert state.error and session.get(User, cast.owner.id).language == "en"


def test_making_someone_an_owner_asks_first(session, cast):
    state = _people(session, cast.owner)
    worker = str(cast.worker_a.id)
    call(PeopleState.change_role, state, worker, "owner")
    assert (state.dialog, state.target_name) == ("owner", cast.worker_a.name)
    assert _account(session, cast.worker_a)[1] == "worker"  # nothing changed yet
    call(PeopleState.close_dialog, state)
    assert _account(session, cast.worker_a)[1] == "worker"
    call(PeopleState.change_role, state, worker, "owner")
    call(PeopleState.change_role, state, worker, "owner")  # the question's "Make owner"
    assert _account(session, cast.worker_a)[1] == "owner"
    assert state.dialog == "" and state.notice == f"{cast.worker_a.name} is now an owner."
    call(PeopleState.change_role, state, str(cast.worker_b.id), "admin")  # no question
    assert _account(session, cast.worker_b)[1] == "admin" and state.dialog == ""
