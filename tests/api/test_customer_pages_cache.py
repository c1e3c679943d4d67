"""A customer's link page (estimate, invoice) holds a token and money figures: the app says
``no-store`` and no referrer, and the frontend's caching rules leave that alone."""

from __future__ import annotations

from tests.api.test_money import _approved, _deposit, _send
from tests.support.factories import bearer


def test_customer_link_pages_are_never_stored(client, cast):
    invoice = _deposit(client, cast, _approved(client, cast))
    sent = client.post(f"/api/invoices/{invoice['id']}/send", headers=bearer(cast.owner))
    invoice_path = "/" + sent.json()["data"]["link"]["url"].split("/", 3)[3]
    second = client.post(
        f"/api/jobs/{cast.job.id}/estimates", json={"lines": []}, headers=bearer(cast.owner)
    )
    estimate_path = _send(client, cast, second.json()["data"]["id"])
    for path in (estimate_path, invoice_path):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store", path
        assert page.headers["referrer-policy"] == "no-referrer", path
