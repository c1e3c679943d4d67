"""Property-based requests generated from /api/openapi.json, judged by every check
schemathesis has (its CLI's ``--checks all``) but the three that judge what this test does
not do, each named below with the reason.

Each operation is one test: the coverage phase (boundary values, missing and unexpected
parts, undeclared methods) and MAX_EXAMPLES fuzzed requests, valid and invalid, the same ones
every run (derandomized). On this 2-core machine the 52 operations take about 75 s in one
process (100 examples: about 2 min).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from tests.support.api_app import api_app
from tests.support.factories import bearer

MAX_EXAMPLES = 50

load_all_checks()
NOT_HERE = {
    # These judge a sequence of calls (a read after a delete; a read after a create), which
    # only schemathesis's stateful phase makes, chaining operations by links. Every case here
    # is one request on its own, so they would pass having judged nothing. What they guard is
    # tested directly: a soft-deleted record answers 404 (test_customers, test_jobs,
    # test_materials, test_photos) and a created one is read back (the same files).
    "use_after_free": "needs chained calls (stateful phase)",
    "ensure_resource_availability": "needs chained calls (stateful phase)",
    # This replays one identity's reads as another's; it needs several identities from an
    # `[auth.wfc]` document, and every request here is the owner's. Who may see what is
    # tested for owner, admin and two workers over every route: test_route_matrix,
    # test_existence_oracles, test_least_privilege.
    "object_level_authorization": "needs a second identity",
}
RUN = [check for check in CHECKS.get_all() if check.__name__ not in NOT_HERE]

# Operations whose input is checked against the data, not only its shape: a request that fits
# the schema may still be refused with 422, and rightly. Positive data must be accepted or
# refused with 422 there; everywhere else, 422 for a request that fits the schema fails.
CHECKED_AGAINST_DATA = {
    # customerId must name a customer that exists, assignedUserIds active workers, and the
    # scheduled end may not come before the start.
    "POST /api/jobs": "customer, crew and schedule are checked against the data",
    # The CSV's rows are checked one by one (all valid, or nothing is imported).
    "POST /api/customers/import": "the file must be a CSV of valid customers",
    # The file must be a JPEG, PNG, WebP or HEIC by its bytes.
    "POST /api/jobs/{job_id}/photos": "the file must be an image",
    # q is read as words: blank once control characters are dropped, or more than 8 words, is
    # refused ("printable" is a Unicode property a JSON Schema pattern cannot name).
    "GET /api/customers/search": "q must hold 1 to 8 printable words",
}


def _checked_against_data() -> list[dict]:
    accepted = {"expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]}
    return [
        {"include-name": name, "checks": {"positive_data_acceptance": accepted}}
        for name in CHECKED_AGAINST_DATA
    ]


CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",  # valid and invalid requests
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # Text never holds NUL (PostgreSQL cannot take it): every text input refuses it
            # with 422, as the API's description says (test_nul_text.py), rather than a
            # pattern on each field. These requests run on SQLite, which would take it.
            "allow-x00": False,
        },
        "operations": _checked_against_data(),
    }
)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", api_app(), config=CONFIG)


@pytest.fixture
def db_url(sqlite_url):
    """Generated input is about the HTTP layer: SQLite is enough here."""
    return sqlite_url


def test_every_check_runs_but_the_ones_named_here():
    registered = {check.__name__ for check in CHECKS.get_all()}
    assert NOT_HERE.keys() <= registered
    assert {check.__name__ for check in RUN} == registered - NOT_HERE.keys()
    assert len(RUN) >= 11


@pytest.fixture
def owner_headers(cast) -> dict[str, str]:
    """The owner's access token, signed once per operation instead of once per request."""
    return bearer(cast.owner)


@schema.parametrize()
@settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_generated_requests(case, engine, owner_headers):
    case.call_and_validate(headers=dict(owner_headers), checks=RUN)
