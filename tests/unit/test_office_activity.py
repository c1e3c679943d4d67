"""People's timelines leave out system housekeeping (storage and thumbnail keys, search
keys): a change of those alone is logged as housekeeping, and never named in a sentence."""

from __future__ import annotations

from khs_crm.models import ActivityAction
from khs_crm.office.timelines import activity_page, customer_timeline
from khs_crm.services.core import activity


def _log(session, cast, pairs: dict) -> None:
    activity.record(
        session,
        actor=None,
        entity="customer",
        entity_id=cast.customer.id,
        action=ActivityAction.update,
        changes=activity.diff(pairs),
    )
    session.commit()


def test_a_change_of_system_fields_only_stays_out_of_timelines(session, cast):
    _log(session, cast, {"thumbnail_key": (None, "thumbs/a.webp"), "phone_digits": ("1", "2")})
    rows, _ = customer_timeline(session, customer_id=str(cast.customer.id), page=1, page_size=25)
    everything, _ = activity_page(session, entity="", page=1, page_size=25)
    for row in [*rows, *everything]:
        assert "thumbnail" not in row.summary and "digits" not in row.summary


def test_a_persons_change_is_told_without_its_system_fields(session, cast):
    _log(session, cast, {"phone": ("(512) 555-0100", "(512) 555-0199"), "phone_digits": ("1", "2")})
    rows, _ = customer_timeline(session, customer_id=str(cast.customer.id), page=1, page_size=25)
    assert rows[0].summary == (
        f"changed the phone of customer “{cast.customer.name}” "
        "from “(512) 555-0100” to “(512) 555-0199”"
    )
