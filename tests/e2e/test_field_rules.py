"""The phone applies the server's rules, sent in its config: a material outside the limits of
the server's input model is named next to the form and never queued (production build).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from khs_crm.office.limits import input_rules
from khs_crm.office.views import tel_href
from khs_crm.services.jobs.materials import MaterialCreate
from tests.e2e import test_field_pwa as field_pwa
from tests.e2e.test_field_pwa import banner
from tests.e2e.test_field_sync import (
    checkbox,
    open_job_offline,
    open_material_form,
    queued_on_device,
    server,
    wait_saved_on_device,
    wait_synced,
)

office, crew_job, phone = field_pwa.office, field_pwa.crew_job, field_pwa.phone

pytestmark = pytest.mark.e2e

RULES = input_rules(MaterialCreate)


def test_a_material_the_server_would_refuse_is_named_and_never_queued(phone, crew_job):
    job = open_job_offline(phone, crew_job)
    customer = crew_job["customer"]
    call = phone.get_by_role("link", name=f"Call {customer['name']}")
    expect(call).to_have_attribute("href", tel_href(customer["phone"]))  # the office's rule

    form = open_material_form(phone)
    longest = RULES["name"]["maxLength"]
    too_long = "Stud " + "x" * (longest - 4)  # one character over the limit
    form.get_by_label("Material").fill(too_long)
    form.get_by_label("Quantity").fill("3")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(form.get_by_role("alert")).to_have_text(RULES["name"]["bounds"])
    expect(form.get_by_label("Material")).to_have_value(too_long)  # kept, to be shortened
    phone.wait_for_timeout(300)
    assert queued_on_device(phone) == 0
    assert banner(phone).inner_text() == "Offline — your changes are kept on this phone"

    form.get_by_label("Material").fill("Studs")
    form.get_by_label("Quantity").fill("0")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(form.get_by_role("alert")).to_have_text(RULES["quantity"]["bounds"])
    assert queued_on_device(phone) == 0

    at_limit = too_long[:longest]
    form.get_by_label("Material").fill(at_limit)
    form.get_by_label("Quantity").fill("3")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(form.get_by_role("alert")).to_have_count(0)
    expect(form.get_by_label("Material")).to_have_value("")  # queued: the form is cleared
    checkbox(phone, f"{at_limit} (3)").wait_for()
    wait_saved_on_device(phone, 1)

    phone.context.set_offline(False)
    wait_synced(phone)  # the server took what the phone let through
    names = [m["name"] for m in server(phone, f"/api/jobs/{job['id']}/materials")]
    assert at_limit in names and too_long not in names
