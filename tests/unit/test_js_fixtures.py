"""The JS tests' fixtures are what the Python gives now (config, tel vectors, row shapes), and
the Python rules behind them hold: one source for each rule the field app also applies."""

from __future__ import annotations

import json

import pytest

from khs_crm.office import forms
from khs_crm.office.limits import field_limits
from khs_crm.office.views import tel_href
from khs_crm.offline.pwa import client_config
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.jobs.materials import MAX_QUANTITY, MaterialCreate
from tests.unit.js_fixtures import BUILDERS, FIXTURES, TEL_CASES, render


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_committed_js_fixture_is_what_the_python_gives_now(name):
    committed = (FIXTURES / name).read_text()
    assert committed == render(BUILDERS[name]()), (
        f"tests/js/fixtures/{name} is out of date: run .venv/bin/python -m tests.unit.js_fixtures"
    )


@pytest.mark.parametrize(("phone", "href", "why"), TEL_CASES)
def test_the_office_dials_each_shared_tel_vector(phone, href, why):
    assert tel_href(phone) == href, why


def test_the_tel_vectors_the_js_reads_are_the_table_checked_here():
    cases = json.loads((FIXTURES / "tel_cases.json").read_text())["cases"]
    assert [(c["phone"], c["href"]) for c in cases] == [(p, h) for p, h, _ in TEL_CASES]


def test_the_config_carries_each_rule_from_its_python_source():
    config = client_config()
    assert config["closed"] == ["completed", "cancelled"]
    assert config["upcoming"] == ["scheduled", "in_progress", "on_hold"]
    assert config["officeRoles"] == ["owner", "admin"]
    assert config["photoTags"] == {
        "before": "Before",
        "progress": "Progress",
        "after": "After",
        "issue": "Issue",
    }
    assert config["photoTag"] == "progress"
    name = config["limits"]["material"]["create"]["name"]
    assert name["maxLength"] == MaterialCreate.model_fields["name"].metadata[-1].max_length
    quantity = config["limits"]["material"]["create"]["quantity"]
    assert (quantity["exclusiveMinimum"], quantity["maximum"], quantity["default"]) == (
        0,
        MAX_QUANTITY,
        1,
    )
    assert not config["limits"]["material"]["update"]["name"]["required"]
    assert config["limits"]["photo"]["create"]["caption"]["maxLength"] == 500


def test_the_office_form_and_the_phone_say_the_same_words_for_a_limit():
    rules = client_config()["limits"]["material"]["create"]
    too_long = "x" * (field_limits(MaterialCreate)["name"]["maxLength"] + 1)
    cases = [
        ({"name": too_long}, "name", rules["name"]["bounds"]),
        ({"name": ""}, "name", rules["name"]["empty"]),
        ({"name": "Nails", "quantity": "0"}, "quantity", rules["quantity"]["bounds"]),
        ({"name": "Nails", "unit": "u" * 41}, "unit", rules["unit"]["bounds"]),
    ]
    for form, field, words in cases:
        with pytest.raises(ValidationFailed) as refused:
            forms.material_create(form)
        assert refused.value.details == [{"field": field, "message": words}]
    assert rules["name"]["bounds"] == "Shorten the material's name to 200 characters or fewer."
    assert rules["quantity"]["bounds"] == "Enter a quantity above 0 and at most 1,000,000."
