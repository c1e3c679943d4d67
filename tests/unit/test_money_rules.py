"""The money rules, to the cent: cases worked by hand, then invariants over many cases."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from khs_crm.services.money import rules
from khs_crm.services.money.schemas import EstimateIn, PaymentIn


@dataclass
class Line:
    quantity: D
    unit_price: D
    taxable: bool = True


def test_the_worked_example():
    result = rules.totals([Line(D("3"), D("19.99"))], D("8.25"))
    assert (result.subtotal, result.tax, result.total) == (D("59.97"), D("4.95"), D("64.92"))


def test_three_decimal_quantities_round_half_up_per_line():
    # 2.125 × 10.10 = 21.4625 → 21.46; 0.005 × 1.00 = 0.005 → 0.01 (half-up, not to even)
    assert rules.line_amount(D("2.125"), D("10.10")) == D("21.46")
    assert rules.line_amount(D("0.005"), D("1.00")) == D("0.01")
    assert rules.line_amount(D("1.333"), D("0.75")) == D("1.00")  # 0.99975


def test_a_discount_lowers_the_taxable_sum_and_non_taxable_lines_are_not_taxed():
    lines = [
        Line(D("1"), D("1000.00")),  # taxable
        Line(D("8"), D("45.50"), taxable=False),  # labor, not taxed: 364.00
        Line(D("1"), D("-100.00")),  # discount, taxable
    ]
    result = rules.totals(lines, D("8.875"))
    # taxable 900.00 × 8.875 % = 79.875 → 79.88 (half-up)
    assert result.subtotal == D("1264.00")
    assert result.taxable == D("900.00")
    assert result.tax == D("79.88")
    assert result.total == D("1343.88")


def test_tax_is_computed_once_on_the_sum_not_per_line():
    # Per line: 0.0825 × 0.06 → 0.00 each; on the sum 3 × 0.06 = 0.18 → 0.01485 → 0.01
    lines = [Line(D("1"), D("0.06"))] * 3
    assert rules.totals(lines, D("8.25")).tax == D("0.01")


def test_a_total_below_zero_is_refused():
    result = rules.totals([Line(D("1"), D("10")), Line(D("1"), D("-20"))], D("0"))
    assert rules.total_problem(result) == "negative"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", 3),  # a JSON number
        ("quantity", "0"),
        ("quantity", "1.2345"),
        ("quantity", "-1"),
        ("unitPrice", 19.99),
        ("unitPrice", "19.999"),
        ("unitPrice", "-5.00"),  # negative only on a discount
    ],
)
def test_malformed_values_are_refused_with_the_field_named(field, value):
    line = {"kind": "material", "quantity": "1", "unitPrice": "1.00", field: value}
    with pytest.raises(ValidationError) as caught:
        EstimateIn.model_validate({"lines": [line]})
    assert any(field in err["loc"] for err in caught.value.errors())


def test_a_discount_may_be_negative_and_rates_take_three_decimals():
    data = EstimateIn.model_validate(
        {"lines": [{"kind": "discount", "quantity": "1", "unitPrice": "-5.00"}], "taxRate": "8.875"}
    )
    assert data.lines[0].unit_price == D("-5.00") and data.tax_rate == D("8.875")
    with pytest.raises(ValidationError):
        EstimateIn.model_validate({"taxRate": "8.8751"})
    with pytest.raises(ValidationError):
        PaymentIn.model_validate({"amount": 10, "method": "cash"})


quantities = st.decimals(min_value=D("0.001"), max_value=D("9999.999"), places=3)
prices = st.decimals(min_value=D("-500.00"), max_value=D("99999.99"), places=2)
rates = st.decimals(min_value=D("0"), max_value=D("100"), places=3)
lines = st.lists(st.builds(Line, quantities, prices, st.booleans()), min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(lines, rates)
def test_total_is_the_lines_plus_tax_and_tax_is_within_half_a_cent(items, rate):
    result = rules.totals(items, rate)
    amounts = [rules.line_amount(i.quantity, i.unit_price) for i in items]
    assert result.subtotal == sum(amounts, D(0))
    assert result.total == sum(amounts, D(0)) + result.tax
    exact = max(D(0), result.taxable) * rate / 100
    assert abs(result.tax - exact) <= D("0.005")
    for i, amount in zip(items, amounts, strict=True):
        assert abs(amount - i.quantity * i.unit_price) <= D("0.005")
        assert amount == amount.quantize(rules.CENT)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=D("-1000"), max_value=D("100000"), places=2), min_size=1, max_size=10
    ),
    st.lists(
        st.decimals(min_value=D("0.001"), max_value=D("100"), places=3), min_size=1, max_size=8
    ),
)
def test_percent_shares_never_bill_more_than_each_line(amounts, percents):
    billed = [D(0)] * len(amounts)
    for percent in percents:
        for i, amount in enumerate(amounts):
            billed[i] += rules.percent_share(amount, billed[i], percent)
    for amount, done in zip(amounts, billed, strict=True):
        assert abs(done) <= abs(amount)
        assert done == 0 or (done > 0) == (amount > 0)
    rest = rules.remaining(dict(enumerate(amounts)), dict(enumerate(billed)))
    assert [billed[i] + rest[i] for i in range(len(amounts))] == amounts
