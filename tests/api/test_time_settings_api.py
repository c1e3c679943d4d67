"""The company's time settings (docs/time.md): the office reads them, only the owner changes
them, and a value that cannot be a week start or an overtime threshold is refused in words a
person can act on (422), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from khs_crm.services.time.schemas import OVERTIME_SAID, WEEK_DAY_SAID
from tests.support.factories import bearer


def test_the_owner_changes_the_week_start_and_the_overtime_threshold(client, cast):
    before = client.get("/api/time-settings", headers=bearer(cast.admin)).json()["data"]
    assert (before["weekStartDay"], before["overtimeHours"]) == (0, "40.00")
    body = {"weekStartDay": 6, "overtimeHours": 44}
    response = client.put("/api/time-settings", json=body, headers=bearer(cast.owner))
    assert response.status_code == 200, response.text
    after = client.get("/api/time-settings", headers=bearer(cast.admin)).json()["data"]
    assert (after["weekStartDay"], after["overtimeHours"]) == (6, "44.00")


def test_an_admin_is_told_no_and_a_worker_finds_nothing(client, cast):
    body = {"weekStartDay": 6}
    admin = client.put("/api/time-settings", json=body, headers=bearer(cast.admin))
    assert admin.status_code == 403
    assert admin.json()["error"]["message"] == "Only the owner can change the time settings."
    worker = client.put("/api/time-settings", json=body, headers=bearer(cast.worker_a))
    assert worker.status_code == 404
    assert client.get("/api/time-settings", headers=bearer(cast.worker_a)).status_code == 404
    settings = client.get("/api/time-settings", headers=bearer(cast.owner)).json()["data"]
    assert settings["weekStartDay"] == 0


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({"weekStartDay": 7}, "weekStartDay", WEEK_DAY_SAID),
        ({"weekStartDay": -1}, "weekStartDay", WEEK_DAY_SAID),
        ({"weekStartDay": "Monday"}, "weekStartDay", WEEK_DAY_SAID),
        ({"weekStartDay": None}, "weekStartDay", WEEK_DAY_SAID),
        ({"overtimeHours": 169}, "overtimeHours", OVERTIME_SAID),
        ({"overtimeHours": 40.5}, "overtimeHours", OVERTIME_SAID),
        ({"overtimeHours": "forty"}, "overtimeHours", OVERTIME_SAID),
        ({"overtimeHours": True}, "overtimeHours", OVERTIME_SAID),
    ],
    ids=["day-8", "day-minus", "day-name", "day-null", "hours-169", "hours-half", "hours-text",
         "hours-bool"],
)  # fmt: skip
def test_a_value_that_cannot_be_a_setting_is_refused_in_words(client, cast, body, field, said):
    response = client.put("/api/time-settings", json=body, headers=bearer(cast.owner))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [{"field": field, "message": said}]
