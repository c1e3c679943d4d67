"""The activity log tells money in words a person reads, each row opening its page: an
estimate and an invoice by number on their job, a payment on its invoice, the company's
settings."""

from __future__ import annotations

from khs_crm.office.timelines import activity_page
from tests.api.test_money import _approved, _deposit
from tests.support.factories import bearer


def _rows(session):
    rows, _ = activity_page(session, entity="", page=1, page_size=50)
    return {row.summary: row.href for row in rows}


def test_money_rows_read_as_sentences_and_open_their_pages(client, cast, session):
    estimate = _approved(client, cast)
    invoice = _deposit(client, cast, estimate)
    sent = client.post(f"/api/invoices/{invoice['id']}/send", headers=bearer(cast.owner))
    assert sent.status_code == 200, sent.text
    paid = client.post(
        f"/api/invoices/{invoice['id']}/payments",
        json={"amount": "10.00", "method": "cash", "reference": ""},
        headers=bearer(cast.owner),
    )
    assert paid.status_code == 201, paid.text
    session.expire_all()

    rows = _rows(session)
    on_job = f"on job “{cast.job.title}”"
    number, invoice_number = estimate["number"], invoice["number"]
    assert rows[f"added estimate “{number}” {on_job}"] == f"/estimates/{estimate['id']}"
    assert rows[f"added invoice “{invoice_number}” {on_job}"] == f"/invoices/{invoice['id']}"
    assert rows[f"added payment on invoice “{invoice_number}” {on_job}"] == (
        f"/invoices/{invoice['id']}"
    )
    assert rows[f"marked estimate “{number}” approved {on_job}"] == f"/estimates/{estimate['id']}"
    assert f"marked invoice “{invoice_number}” partially paid {on_job}" in rows
    assert not [summary for summary in rows if "change_order" in summary or "  " in summary]
