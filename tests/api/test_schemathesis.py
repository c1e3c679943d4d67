"""Property-based requests generated from /api/openapi.json, judged by every check
schemathesis has (its CLI's ``--checks all``) but the three that judge what this test does
not do, each named below with the reason.

Each operation is one test: the coverage phase (boundary values, missing and unexpected
parts, undeclared methods) and MAX_EXAMPLES fuzzed requests, valid and invalid, the same ones
every run (derandomized). An operation's cases are made when its test runs, not when the
tests are collected: collecting only lists the operations, so each pytest-xdist process no
longer builds every operation's coverage cases (10-23 s) before running its share.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.core.failures import FailureGroup, as_reported_failure
from schemathesis.core.result import Err, Ok
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.hypothesis.reporting import ignore_hypothesis_output
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.python._constants.orchestrator import make_constants_value_source

from tests.support.api_app import api_app
from tests.support.factories import bearer

# The coverage phase is the same whatever this is, and is most of the time (about 80 s of
# 115 s in one process, 5,650 of 6,550 requests). It alone gets every status every operation
# answers but some 400s (a body that is not UTF-8 text). Measured 2026-11-30 on the same code,
# 10, 25 and 50 fuzzed requests per operation each added 400s on a different 19-23
# operations and no other status; each 10 more cost ~22 s. Derandomized, the sample is the
# same every run, so a bigger budget only widens one fixed sample.
MAX_EXAMPLES = 10

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
SCHEMA = schemathesis.openapi.from_asgi("/api/openapi.json", api_app(), config=CONFIG)


def _label(result: Ok | Err) -> str:
    """The operation's label, or the error of a part of the document schemathesis cannot
    read (raised: the tests are not collected)."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok().label


# Listing the operations is quick; building one's cases (the coverage phase's above all) is not.
OPERATIONS = [_label(result) for result in SCHEMA.get_all_operations()]
# Values the app's code names (constants) are offered to the generator, as the pytest plugin does.
FEEDBACK = FeedbackSources(constants_value_source=make_constants_value_source(SCHEMA))


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


@settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
def _send(case, headers: dict[str, str]) -> None:
    case.call_and_validate(headers=dict(headers), checks=RUN)


# Why not schemathesis's own ways: `schema.parametrize()` builds every operation's cases as it
# collects (in every xdist process); `schemathesis.pytest.from_fixture` builds them when run,
# but runs all operations in one test, which xdist cannot share out. Both call
# build_operation_test, as this does.
@pytest.mark.parametrize("operation", OPERATIONS)
def test_generated_requests(operation, engine, owner_headers):
    """One operation's cases, made now, sent and judged."""
    run = build_operation_test(
        config=SCHEMA.config,
        operation=SCHEMA.find_operation_by_label(operation),
        test_func=_send,
        given_kwargs={},
        feedback=FEEDBACK,
    )
    with ignore_hypothesis_output():  # a failure is reported once, below, not printed twice
        try:
            run(headers=owner_headers)
        except FailureGroup as failures:
            raise as_reported_failure(failures) from None
