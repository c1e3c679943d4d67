"""Each person's language: set by the office on the People page or by the person themself."""

from __future__ import annotations

import pytest
from sqlmodel import select

from khs_crm.models import ActivityLog
from khs_crm.services.auth import users
from khs_crm.services.core.errors import Forbidden, PreconditionFailed, ValidationFailed


def test_everyone_starts_in_the_company_language(cast):
    assert {cast.owner.language, cast.worker_a.language} == {"en"}


def test_the_office_sets_a_workers_language_and_it_is_logged(session, cast):
    before = cast.worker_a.version
    changed = users.update_user(session, user_id=cast.worker_a.id, actor=cast.owner, language="es")
    assert changed.language == "es" and changed.version > before
    (logged,) = session.exec(
        select(ActivityLog).where(ActivityLog.entity_id == cast.worker_a.id)
    ).all()
    assert logged.changes == {"language": {"old": "en", "new": "es"}}


def test_a_person_sets_their_own_language(session, cast):
    version = cast.worker_a.version
    mine = users.set_own_language(session, actor=cast.worker_a, language="es")
    assert mine.language == "es"
    with pytest.raises(PreconditionFailed):
        users.set_own_language(
            session, actor=cast.worker_a, language="en", expected_version=version
        )
    again = users.set_own_language(session, actor=cast.worker_a, language="es")
    assert again.version == mine.version  # nothing changed, nothing written


@pytest.mark.parametrize("language", ["fr", "", "ES", "es-MX"])
def test_only_the_apps_languages_are_accepted(session, cast, language):
    with pytest.raises(ValidationFailed, match="en, es"):
        users.set_own_language(session, actor=cast.worker_a, language=language)
    with pytest.raises(ValidationFailed):
        users.update_user(session, user_id=cast.worker_a.id, actor=cast.owner, language=language)


def test_managing_someone_elses_language_follows_least_privilege(session, cast):
    with pytest.raises(Forbidden):
        users.update_user(session, user_id=cast.owner.id, actor=cast.admin, language="es")
    with pytest.raises(Forbidden):
        users.update_user(session, user_id=cast.worker_b.id, actor=cast.worker_a, language="es")
