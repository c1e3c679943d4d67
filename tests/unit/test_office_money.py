"""The office money screens' presenters and state: running totals by the money rules, the
estimate editor's flow, payments, company settings, the job's card and the dashboard's sums."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod
from khs_crm.office.money import money
from khs_crm.office.money_company import company_update
from khs_crm.office.money_dashboard import money_figures
from khs_crm.office.money_docs import payment_input
from khs_crm.office.money_lines import LineDraft, estimate_input, with_amounts
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.money.dashboard import dashboard_money, month_starts
from khs_crm.state.office.company import CompanyState
from khs_crm.state.office.estimates_editor import EstimateState
from khs_crm.state.office.invoices_page import InvoiceState
from khs_crm.state.office.money_job import JobMoneyState
from tests.unit.test_office_state import call, root_state, signed_in, sub


def line(**cells) -> LineDraft:
    return LineDraft(key=cells.pop("key", "k1"), **cells)


def test_money_is_written_with_cents_and_a_sign():
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-50")) == "-$50.00"
    assert money(None) == ""


def test_running_totals_follow_the_issue_example():
    lines, totals = with_amounts(
        [line(description="Outlet", quantity="3", unit_price="19.99", taxable=True)], "8.25"
    )
    assert lines[0].amount == "$59.97" and lines[0].problem == ""
    assert (totals.subtotal, totals.tax, totals.total) == ("$59.97", "$4.95", "$64.92")


def test_untaxed_discount_and_three_decimal_lines_add_up_by_the_rules():
    lines, totals = with_amounts(
        [
            line(key="a", quantity="2.125", unit_price="10.00"),  # 21.25 taxable
            line(key="b", kind="labor", quantity="1", unit_price="100", taxable=False),
            line(key="c", kind="discount", quantity="1", unit_price="-$1,0.00"),  # typed oddly
            line(key="d"),  # a blank line is skipped
        ],
        "10",
    )
    assert [x.amount for x in lines] == ["$21.25", "$100.00", "-$10.00", ""]
    # tax once on the taxable sum 21.25 - 10.00 = 11.25 → 1.125 → 1.13 (half-up)
    assert (totals.subtotal, totals.tax, totals.total) == ("$111.25", "$1.13", "$112.38")


def test_a_bad_cell_is_named_and_left_out_of_the_totals():
    lines, totals = with_amounts(
        [line(key="a", quantity="0", unit_price="5"), line(key="b", quantity="1", unit_price="5")],
        "abc",
    )
    assert "quantity" in lines[0].problem and lines[0].amount == ""
    assert totals.subtotal == "$5.00" and "tax rate" in totals.problem
    with pytest.raises(ValidationFailed) as refused:
        estimate_input(lines, rate_text="abc", valid_until="", notes="")
    fields = {d["field"] for d in refused.value.details}
    assert fields == {"line_1", "tax_rate"}


def test_a_price_with_three_decimals_or_a_negative_material_is_refused():
    lines, _ = with_amounts(
        [
            line(key="a", quantity="1", unit_price="1.999"),
            line(key="b", quantity="1", unit_price="-5"),
        ],
        "0",
    )
    assert all("price" in x.problem for x in lines)


def test_payment_form_reads_amount_method_day_and_reference():
    data = payment_input(
        {"amount": "1,250.00", "method": "check", "received_on": "2026-11-02", "reference": "#12"}
    )
    assert data.amount == Decimal("1250.00") and data.method == "check"
    assert data.received_at is not None and data.received_at.date() == date(2026, 11, 2)
    assert payment_input({"amount": "-50", "method": "cash"}).amount == Decimal("-50")
    for bad in ({"amount": "12.345", "method": "cash"}, {"amount": "10", "method": "bitcoin"}):
        with pytest.raises(ValidationFailed):
            payment_input(bad)


def test_company_form_is_read_into_a_settings_change():
    form = {
        "name": "KHS",
        "default_tax_rate": "8.25%",
        "estimate_valid_days": "30",
        "payment_terms_days": "x",
        "deposit_percent": "30",
        "estimate_prefix": "E-",
        "invoice_prefix": "INV-",
    }
    with pytest.raises(ValidationFailed) as refused:
        company_update(form)
    assert [d["field"] for d in refused.value.details] == ["payment_terms_days"]
    data = company_update({**form, "payment_terms_days": "15"})
    assert data.default_tax_rate == Decimal("8.25") and data.payment_terms_days == 15


def test_month_starts_are_the_last_twelve_months_and_the_next():
    firsts = month_starts(date(2026, 1, 15))
    assert firsts[0] == date(2025, 2, 1) and firsts[-2] == date(2026, 1, 1)
    assert firsts[-1] == date(2026, 2, 1) and len(firsts) == 13


# With a database -----------------------------------------------------------------------


def _editor(session, user, path: str):
    root = root_state(signed_in(session, user), path)
    return sub(root, EstimateState)


def test_editor_flow_types_saves_and_sends(session, cast):
    money_state = sub(
        root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobMoneyState
    )
    redirect = call(JobMoneyState.new_estimate, money_state, False)
    estimate_id = str(redirect).split("/estimates/")[1].split('"')[0].split("'")[0][:36]
    state = _editor(session, cast.owner, f"/estimates/{estimate_id}")
    call(EstimateState.load, state)
    assert state.estimate.editable and len(state.lines) == 1
    key = state.lines[0].key
    for field, value in (("description", "Outlet"), ("quantity", "3"), ("unit_price", "19.99")):
        call(EstimateState.set_cell, state, key, field, value)
    call(EstimateState.set_rate, state, "8.25")
    assert state.totals.total == "$64.92" and state.dirty
    assert len(state.lines) == 2 and state.lines[1].description == ""  # a blank line to type into
    call(EstimateState.add_line, state, key)  # Enter: the browser moved to the blank line
    assert len(state.lines) == 2 and state.focus_key == ""
    call(EstimateState.set_cell, state, state.lines[1].key, "description", "Labor")
    assert len(state.lines) == 3  # typing into the blank line makes another
    call(EstimateState.add_line, state, key)  # Enter on line 1 again: a line in between
    assert len(state.lines) == 4 and state.focus_key == state.lines[1].key
    call(EstimateState.remove_line, state, state.lines[2].key)
    assert [x.description for x in state.lines] == ["Outlet", "", ""]
    call(EstimateState.save, state)
    assert state.error == "" and state.notice == "Draft saved." and not state.dirty
    assert state.estimate.total == "$64.92" and len(state.lines) == 2  # saved 1, a blank to type
    call(EstimateState.send, state)
    assert state.estimate.status == "sent" and "/e/" in state.link and state.estimate.link_active
    call(EstimateState.set_cell, state, state.lines[0].key, "quantity", "4")
    assert state.totals.total == "$64.92"  # a sent estimate is not edited
    call(EstimateState.revoke, state)
    assert not state.estimate.link_active and state.link == ""


def test_a_worker_is_sent_away_from_every_money_screen(session, cast):
    root = root_state(signed_in(session, cast.worker_a), "/estimates/x")
    for cls in (EstimateState, InvoiceState, CompanyState, JobMoneyState):
        state = sub(root, cls)
        result = call(cls.load, state)
        assert "/field" in str(result)
        assert not state.loaded


def _invoice(session, cast, total: str, *, sent_days_ago: int, due_days_ago: int) -> Invoice:
    from khs_crm.services.money import numbering

    now = datetime.now(UTC)
    invoice = Invoice(
        job_id=cast.job.id,
        customer_id=cast.customer.id,
        kind=InvoiceKind.progress,
        number=f"T-{numbering.next_number(session, 'invoice')}",
        status=InvoiceStatus.sent,
        total=Decimal(total),
        subtotal=Decimal(total),
        sent_at=now - timedelta(days=sent_days_ago),
        due_date=(now - timedelta(days=due_days_ago)).date(),
    )
    session.add(invoice)
    session.flush()
    return invoice


def test_dashboard_money_adds_up_owed_overdue_aging_and_months(session, cast):
    fresh = _invoice(session, cast, "100.00", sent_days_ago=2, due_days_ago=-20)
    old = _invoice(session, cast, "300.00", sent_days_ago=75, due_days_ago=45)
    session.add(
        Payment(
            invoice_id=old.id,
            amount=Decimal("50.00"),
            method=PaymentMethod.cash,
            received_at=datetime.now(UTC),
        )
    )
    old.paid, old.status = Decimal("50.00"), InvoiceStatus.partially_paid
    session.add(old)
    session.commit()
    data = dashboard_money(session)
    assert (data.outstanding, data.outstanding_value) == (2, Decimal("350.00"))
    assert (data.overdue, data.overdue_value) == (1, Decimal("250.00"))
    assert data.aging == (Decimal("100.00"), Decimal("0.00"), Decimal("250.00"), Decimal("0.00"))
    assert data.months[-1].collected == Decimal("50.00") and len(data.months) == 12
    assert sum(m.invoiced for m in data.months) == Decimal("400.00")
    figures = money_figures(data)
    assert figures.overdue_value == "$250.00" and len(figures.chart) == 12
    assert max(b.invoiced_h for b in figures.chart) == 150
    assert fresh.id != old.id


def test_a_sent_estimate_reads_in_the_job_timeline_not_as_a_job_move(session, cast):
    from khs_crm.office.timelines import job_timeline

    root = root_state(signed_in(session, cast.owner), f"/estimates/{cast.job.id}")
    state = sub(root, JobMoneyState)
    redirect = str(call(JobMoneyState.new_estimate, state, False))
    estimate_id = re.search(r"/estimates/([0-9a-f-]{36})", redirect).group(1)
    editor = _editor(session, cast.owner, f"/estimates/{estimate_id}")
    call(EstimateState.load, editor)
    call(EstimateState.send, editor)
    assert editor.error == ""
    rows, _page = job_timeline(session, job_id=str(cast.job.id), page=1, page_size=10)
    said = " | ".join(r.summary for r in rows)
    assert f"marked estimate “{editor.estimate.number}” sent on job “{cast.job.title}”" in said
    assert "moved job" not in said and "changed the total" not in said  # nothing to save
