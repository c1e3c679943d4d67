"""A page load's handlers ask who is signed in once between writes: the same cookie within
moments is answered from memory, and signing out (the session in the database or in Redis),
deactivation or a password reset is seen by the very next check."""

from __future__ import annotations

import pytest

from khs_crm.services.auth import service as auth
from khs_crm.services.auth import users
from khs_crm.state import auth as auth_state
from tests.support.factories import make_user


@pytest.fixture
def lookups(monkeypatch):
    """How many times the real session lookup ran."""
    calls: list[str] = []
    real = auth.user_for_session

    def counted(session, raw):
        calls.append(raw)
        return real(session, raw)

    monkeypatch.setattr(auth, "user_for_session", counted)
    return calls


def _signed_in(session, role="owner"):
    user = make_user(session, role)
    raw = auth.create_session(session, user=user)
    session.commit()
    return user, raw


def test_the_same_cookie_moments_later_is_not_looked_up_again(session, lookups):
    user, raw = _signed_in(session)
    for _ in range(3):
        assert auth_state.user_for_cookie(raw).id == user.id
    assert len(lookups) == 1
    assert auth_state.user_for_cookie(None) is None and len(lookups) == 1


@pytest.mark.parametrize("store", ["database", "redis"])
def test_signing_out_is_seen_by_the_next_check(session, lookups, store, request):
    if store == "redis":
        request.getfixturevalue("redis_url")
    user, raw = _signed_in(session)
    assert auth_state.user_for_cookie(raw).id == user.id
    auth.end_session(session, raw)
    session.commit()
    assert auth_state.user_for_cookie(raw) is None
    assert len(lookups) == 2


def test_deactivation_and_a_new_password_are_seen_by_the_next_check(session, lookups):
    owner, _ = _signed_in(session)
    worker, raw = _signed_in(session, "worker")
    assert auth_state.user_for_cookie(raw).id == worker.id
    users.reset_password(session, user_id=worker.id, password="another-password-2026", actor=owner)
    session.commit()
    assert auth_state.user_for_cookie(raw) is None

    other, raw = _signed_in(session, "worker")
    assert auth_state.user_for_cookie(raw).id == other.id
    users.deactivate_user(session, user_id=other.id, actor=owner)
    session.commit()
    assert auth_state.user_for_cookie(raw) is None
