"""The office's change-order screens, driven like the browser drives them, on a real database:
the list's views (to price, signed, sent, approved), pricing with a customer link, approving,
rejecting, the integrity warning, the drawn signature, pending photos, the job's card and
money, and who may price change orders on /people. Contract: docs/change_orders.md."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.models import ChangeOrder, ChangeOrderStatus, User
from khs_crm.office.change_order_page import BOX_H, BOX_W, drawn_path
from khs_crm.services.change_orders import decisions
from khs_crm.services.change_orders import service as change_orders
from khs_crm.services.change_orders.schemas import DeviceChangeOrder
from khs_crm.state.office.change_order import ChangeOrderState
from khs_crm.state.office.change_orders import ChangeOrdersState
from khs_crm.state.office.job_change_orders import JobChangeOrdersState
from khs_crm.state.office.money_job import JobMoneyState
from khs_crm.state.office.people import PeopleState
from tests.unit.test_office_state import call, root_state, signed_in, sub

SIGNED_AT = "2026-12-01T14:02:10.123Z"
LINE = {"kind": "labor", "description": "Move outlet", "quantity": "2.50", "unit": "h",
        "unitPrice": None, "taxable": True}  # fmt: skip


def signed_on_site(session, cast, *, photo_ids=(), description="Move the outlet 2 ft left"):
    """A change order written up and signed on the phone by the job's worker (unpriced)."""
    data = DeviceChangeOrder.model_validate(
        {
            "jobId": str(cast.job.id),
            "description": description,
            "lines": [LINE],
            "photoIds": [str(p) for p in photo_ids],
            "signature": {
                "name": "Dana Customer",
                "svgPath": "M10 10 L60 40 L110 12",
                "signedAt": SIGNED_AT,
            },
        }  # fmt: skip
    )
    row = change_orders.create_change_order(
        session, job_id=cast.job.id, data=data, actor=cast.worker_a, change_order_id=uuid.uuid4()
    )
    session.commit()
    return row


def page_of(session, user: User, row: ChangeOrder) -> ChangeOrderState:
    state = sub(root_state(signed_in(session, user), f"/change-orders/{row.id}"), ChangeOrderState)
    call(ChangeOrderState.load, state)
    return state


def list_of(session, user: User, view: str = "to_price") -> ChangeOrdersState:
    state = sub(root_state(signed_in(session, user), "/change-orders"), ChangeOrdersState)
    call(ChangeOrdersState.load, state)
    if view != "to_price":
        call(ChangeOrdersState.filter, state, view)
    return state


def priced(session, cast, row: ChangeOrder) -> tuple[ChangeOrderState, ChangeOrder]:
    state = page_of(session, cast.owner, row)
    call(ChangeOrderState.open_price, state)
    call(ChangeOrderState.price, state, {"price_1": "$45.00", "tax_rate": "10"})
    assert state.error == "", state.error
    session.expire_all()
    revision = session.get(ChangeOrder, uuid.UUID(state.co.revision_id))
    return state, revision


def test_a_signed_unpriced_one_waits_under_to_price_until_the_office_prices_it(session, cast):
    row = signed_on_site(session, cast)
    listed = list_of(session, cast.owner)
    assert [(r.number, r.total, r.status_label) for r in listed.rows] == [
        (row.number, "to be priced", "Signed")
    ]
    assert {t.view: t.count for t in listed.tabs}["to_price"] == 1

    state = page_of(session, cast.owner, row)
    assert state.co.can_price and not state.co.can_approve and state.co.integrity == "ok"
    assert [(x.description, x.unit_price, x.amount) for x in state.lines] == [
        ("Move outlet", "to be priced", "")
    ]
    call(ChangeOrderState.open_price, state)
    call(ChangeOrderState.set_price, state, "1", "45")
    assert state.priced_lines[0].amount == "$112.50"  # 2.5 h × $45

    state, revision = priced(session, cast, row)
    assert state.link.startswith("http://testserver/c/") and len(state.link) > 40
    assert revision.number in state.notice and revision.status == ChangeOrderStatus.sent
    assert revision.total is not None and str(revision.total) == "123.75"  # + 10 % tax
    assert not state.co.can_price and state.co.revision_number == revision.number
    assert list_of(session, cast.owner).rows == []  # priced: no longer waits for a price
    sent = list_of(session, cast.owner, "sent").rows
    assert [(r.number, r.total, r.note) for r in sent] == [
        (revision.number, "$123.75", f"prices {row.number}")
    ]
    everything = {r.number: r.note for r in list_of(session, cast.owner, "all").rows}
    assert everything[row.number] == f"priced as {revision.number}"


@pytest.mark.parametrize(
    ("typed", "said"),
    [("", "Enter a price for this line"), ("1.999", "at most 2 decimals"), ("-5", "below 0")],
    ids=["blank", "three-decimals", "negative"],
)
def test_a_price_that_does_not_read_is_named_on_its_line(session, cast, typed, said):
    row = signed_on_site(session, cast)
    state = page_of(session, cast.owner, row)
    call(ChangeOrderState.open_price, state)
    call(ChangeOrderState.price, state, {"price_1": typed, "tax_rate": "8.25"})
    assert state.pricing and state.link == ""
    assert said in state.field_errors["price_1"]
    assert "prices need fixing" in state.error
    session.expire_all()
    assert decisions.approved_value(session, job_id=cast.job.id)[0] == 0


def test_the_customers_approval_then_the_office_approves_and_the_job_is_worth_more(session, cast):
    row = signed_on_site(session, cast)
    state, revision = priced(session, cast, row)
    token = state.link.rsplit("/", 1)[-1]
    decisions.customer_approve(session, token=token, name="Dana Customer", ip="", user_agent="")
    session.commit()

    listed = list_of(session, cast.owner, "signed")
    assert [r.number for r in listed.rows] == [revision.number]
    page = page_of(session, cast.owner, revision)
    assert page.co.can_approve and page.signature.name == "Dana Customer"
    assert page.signature.path == ""  # approved through the link: typed, not drawn
    call(ChangeOrderState.approve, page)
    assert page.error == "" and page.co.status == "approved"
    assert page.notice == f"{revision.number} is approved: it adds $123.75 to the job's value."
    assert any("Approved by Dana Customer through the link" in h for h in page.co.history)

    money = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobMoneyState)
    call(JobMoneyState.load, money)
    assert money.money.has_change_orders
    assert (money.money.approved_value, money.money.change_orders) == ("$123.75", "$123.75")
    assert money.money.approved_estimate == "$0.00"

    call(ChangeOrderState.approve, page)  # twice: refused in words, the page as it is now
    assert "cannot be approved now" in page.error and page.co.status == "approved"


def test_reject_with_a_reason_and_a_reason_too_long(session, cast):
    row = signed_on_site(session, cast)
    state = page_of(session, cast.owner, row)
    call(ChangeOrderState.ask_reject, state)
    call(ChangeOrderState.reject, state, {"reason": "x" * 2001})
    assert state.rejecting and "Shorten the reason" in state.field_errors["reason"]
    call(ChangeOrderState.reject, state, {"reason": "Customer changed their mind"})
    assert state.co.status == "rejected" and not state.rejecting
    assert state.notice == f"{row.number} is rejected."
    assert any("Reason: Customer changed their mind" in h for h in state.co.history)
    assert not (state.co.can_price or state.co.can_approve or state.co.can_reject)


def test_a_change_behind_the_apps_back_is_flagged_and_cannot_be_approved(session, cast):
    row = signed_on_site(session, cast)
    _state, revision = priced(session, cast, row)
    revision.status = ChangeOrderStatus.signed  # as if the customer had approved it
    revision.signature = {"name": "Dana", "svgPath": "", "signedAt": SIGNED_AT,
                          "contentHash": "0" * 64}  # fmt: skip
    session.add(revision)
    session.commit()
    ident = revision.id.hex if session.bind.dialect.name == "sqlite" else revision.id
    session.execute(text("UPDATE change_orders SET description = 'x' WHERE id = :i"), {"i": ident})
    session.commit()
    listed = list_of(session, cast.owner, "signed")
    assert [r.mismatch for r in listed.rows] == [True]
    page = page_of(session, cast.owner, revision)
    assert page.co.integrity == "mismatch" and not page.co.can_approve and page.co.can_reject


def test_the_signature_is_drawn_inside_its_box_and_a_missing_photo_is_pending(session, cast):
    path = drawn_path("M10 10 L60 40 L110 12 m5 5 l20 0")
    numbers = [float(n) for n in path.replace("M", " ").replace("L", " ").split()]
    assert path.count("M") == 2 and all(0 <= n <= BOX_W for n in numbers[::2])
    assert all(0 <= n <= BOX_H for n in numbers[1::2])
    assert drawn_path("") == "" and drawn_path("<script>") == ""
    row = signed_on_site(session, cast, photo_ids=[uuid.uuid4()])
    page = page_of(session, cast.owner, row)
    assert [(p.label, p.pending) for p in page.photos] == [("Photo 1", True)]
    assert page.signed and page.signature.path.startswith("M")
    assert page.co.pdf_href == f"/api/change-orders/{row.id}/pdf"


def test_the_job_page_lists_its_change_orders(session, cast):
    row = signed_on_site(session, cast)
    state = sub(
        root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobChangeOrdersState
    )
    call(JobChangeOrdersState.load, state)
    assert [(r.id, r.number, r.total) for r in state.rows] == [
        (str(row.id), row.number, "to be priced")
    ]
    assert state.total == 1


def test_only_the_owner_decides_who_prices_change_orders(session, cast):
    worker = str(cast.worker_a.id)
    owner = sub(root_state(signed_in(session, cast.owner), "/people"), PeopleState)
    call(PeopleState.load, owner)
    assert owner.show_pricers and owner.pricers == []
    call(PeopleState.allow_pricing, owner, worker, True)
    assert owner.pricers == [worker] and "may now price change orders" in owner.notice
    assert decisions.may_price(session, user_id=cast.worker_a.id)

    admin = sub(root_state(signed_in(session, cast.admin), "/people"), PeopleState)
    call(PeopleState.load, admin)
    assert not admin.show_pricers and admin.pricers == []  # never reaches an admin's browser
    call(PeopleState.allow_pricing, admin, worker, False)
    assert admin.error == "Only the owner can decide who prices change orders."
    session.expire_all()
    assert decisions.may_price(session, user_id=cast.worker_a.id)


@pytest.mark.parametrize("who", ["worker", "signed_out"])
def test_the_change_order_moves_turn_away_anyone_but_the_office(session, cast, who):
    row = signed_on_site(session, cast)
    cookie = signed_in(session, cast.worker_a) if who == "worker" else None
    target = "/field" if who == "worker" else "/login"
    moves = [
        (ChangeOrderState, "price", ({"price_1": "45", "tax_rate": "0"},)),
        (ChangeOrderState, "approve", ()),
        (ChangeOrderState, "reject", ({"reason": ""},)),
        (ChangeOrderState, "load", ()),
        (ChangeOrdersState, "load", ()),
        (JobChangeOrdersState, "load", ()),
        (PeopleState, "allow_pricing", (str(cast.worker_a.id), True)),
    ]
    for cls, name, args in moves:
        state = sub(root_state(cookie, f"/change-orders/{row.id}"), cls)
        result = call(getattr(cls, name), state, *args)
        assert target in str(result), f"{cls.__name__}.{name} did not turn {who} away"
        assert state.notice == ""
    session.expire_all()
    again = session.get(ChangeOrder, row.id)
    assert again.status == ChangeOrderStatus.signed
    assert not decisions.may_price(session, user_id=cast.worker_a.id)
