"""The price method with known inputs and a known index (no database)."""

from datetime import date

import pytest
from pydantic import ValidationError

from portal.prices.conversion import CURRENCY, UNIT, Rates
from portal.prices.method import (
    ASSESSED,
    CARRIED,
    NOT_ASSESSED,
    NOT_NEEDED,
    TRIMMED,
    USED,
    Input,
    assess,
    capped_weights,
)
from portal.prices.options import Method

LOOSE = Method(min_inputs=1, min_companies=1, company_cap=1, outliers=0)


def offers(*prices: float, rank: int = 3, company: str | None = None) -> list[Input]:
    return [Input(rank, company or f"c{n}", p) for n, p in enumerate(prices)]


def test_the_value_is_the_mean_of_equal_inputs_with_its_range():
    result = assess(offers(100, 110, 120, 130), LOOSE)
    assert result.status == ASSESSED
    assert result.value == pytest.approx(115)
    assert (result.low, result.high, result.inputs, result.companies) == (100, 130, 4, 4)


def test_an_outlier_beyond_the_limit_is_trimmed_and_the_rest_kept():
    method = Method(min_inputs=3, min_companies=3, company_cap=1, outliers=1.96)
    inputs = offers(100, 101, 99, 100, 102, 98, 100, 300)
    result = assess(inputs, method)
    assert result.trimmed == 1
    assert result.value == pytest.approx(100)
    assert result.high == 102
    assert [o.input.price for o in result.outcomes if o.status == TRIMMED] == [300]


def test_no_trimming_when_the_rule_is_off():
    result = assess(offers(100, 101, 99, 100, 102, 98, 100, 300), LOOSE)
    assert result.trimmed == 0
    assert result.value == pytest.approx(1000 / 8)


def test_one_company_flooding_offers_cannot_move_the_index_past_its_cap():
    method = Method(min_inputs=5, min_companies=4, company_cap=0.3, outliers=1.96)
    honest = [Input(3, f"mill-{n}", 100) for n in range(4)]
    flood = [Input(3, "flooder", 10) for _ in range(100)]
    result = assess(honest + flood, method)
    assert result.status == ASSESSED
    # The flooder weighs at most 30 %: the index is at least 0.7 × 100 + 0.3 × 10.
    assert result.value == pytest.approx(0.7 * 100 + 0.3 * 10)
    assert result.capped == ("flooder",)
    flooder_weight = sum(o.weight for o in result.outcomes if o.input.company == "flooder")
    assert flooder_weight == pytest.approx(0.3)
    # Without the cap the flood would have set the price.
    uncapped = assess(
        honest + flood, Method(min_inputs=5, min_companies=4, company_cap=1, outliers=0)
    )
    assert uncapped.value < 15


def test_capped_weights_share_the_excess_in_proportion():
    inputs = (
        [Input(3, "a", 1)] * 6
        + [Input(3, "b", 1)] * 2
        + [Input(3, "c", 1)] * 1
        + [Input(3, "d", 1)]
    )
    weights = capped_weights(inputs, 0.4)
    by_company: dict[str, float] = {}
    for i, w in zip(inputs, weights, strict=True):
        by_company[i.company] = by_company.get(i.company, 0) + w
    assert by_company["a"] == pytest.approx(0.4)
    assert by_company["b"] == pytest.approx(0.6 * 2 / 4)
    assert by_company["c"] == by_company["d"] == pytest.approx(0.6 / 4)
    assert sum(weights) == pytest.approx(1)


def test_the_minimum_sample_leaves_a_point_unassessed_without_history():
    method = Method(min_inputs=5, min_companies=3, company_cap=0.5, too_little="carry")
    result = assess(offers(100, 101, 102, 103), method, previous=None)
    assert result.status == NOT_ASSESSED
    assert result.value is None
    assert "4 input(s)" in result.reason


def test_too_few_companies_also_fails_the_minimum():
    method = Method(min_inputs=3, min_companies=3, company_cap=0.5, outliers=0)
    result = assess(offers(100, 101, 102, 103, 104, company="one-mill"), method)
    assert result.status == NOT_ASSESSED
    assert "1 company" in result.reason


def test_carry_forward_keeps_the_last_value_and_marks_it():
    method = Method(min_inputs=5, min_companies=3, company_cap=0.5, too_little="carry")
    result = assess(offers(90), method, previous=123.4)
    assert (result.status, result.value) == (CARRIED, 123.4)
    skip = Method(min_inputs=5, min_companies=3, company_cap=0.5, too_little="skip")
    assert assess(offers(90), skip, previous=123.4).status == NOT_ASSESSED


def test_higher_ranks_are_used_first_and_lower_ones_left_out_when_enough():
    method = Method(min_inputs=3, min_companies=3, company_cap=1, outliers=0)
    accepted = offers(200, 210, 220, rank=1)
    listings = offers(100, 100, 100, rank=3)
    result = assess(accepted + listings, method)
    assert result.value == pytest.approx(210)
    assert result.ranks == (1,)
    assert {o.status for o in result.outcomes if o.input.rank == 3} == {NOT_NEEDED}


def test_lower_ranks_complete_a_thin_sample():
    method = Method(min_inputs=4, min_companies=4, company_cap=1, outliers=0)
    inputs = [Input(1, "a", 200), Input(2, "b", 200), Input(4, "survey", 100), Input(3, "c", 100)]
    result = assess(inputs, method)
    assert result.status == ASSESSED
    assert result.ranks == (1, 2, 3, 4)
    assert result.value == pytest.approx(150)
    assert all(o.status == USED for o in result.outcomes)


def test_trimming_that_leaves_too_few_falls_back_to_carry_forward():
    method = Method(min_inputs=3, min_companies=3, company_cap=1, outliers=0.5)
    result = assess(offers(100, 100, 160), method, previous=99)
    assert result.status == CARRIED
    assert "after trimming" in result.reason


def test_a_method_whose_cap_cannot_hold_is_refused():
    with pytest.raises(ValidationError, match="cannot hold"):
        Method(min_inputs=3, min_companies=3, company_cap=0.3)


RATES = Rates(
    [
        (CURRENCY, "EUR", "USD", 1.10, date(2026, 1, 1)),
        (CURRENCY, "EUR", "USD", 1.20, date(2026, 6, 1)),
        (CURRENCY, "CNY", "USD", 0.14, date(2026, 1, 1)),
        (UNIT, "t", "kg", 1000, date(2000, 1, 1)),
    ]
)


def test_currency_conversion_uses_the_rate_of_the_day():
    assert RATES.price(100, "EUR", "t", "USD", "t", date(2026, 3, 1)) == pytest.approx(110)
    assert RATES.price(100, "EUR", "t", "USD", "t", date(2026, 7, 1)) == pytest.approx(120)
    assert RATES.price(120, "USD", "t", "EUR", "t", date(2026, 7, 1)) == pytest.approx(100)


def test_conversion_goes_through_one_other_currency():
    # 1 EUR = 1.10 USD and 1 CNY = 0.14 USD, so 1 EUR = 7.857 CNY.
    assert RATES.price(100, "EUR", "t", "CNY", "t", date(2026, 3, 1)) == pytest.approx(
        785.714, 1e-4
    )


def test_unit_conversion_scales_the_price_per_unit():
    assert RATES.price(0.6, "USD", "kg", "USD", "t", date(2026, 3, 1)) == pytest.approx(600)
    assert RATES.price(600, "USD", "t", "USD", "kg", date(2026, 3, 1)) == pytest.approx(0.6)
    assert RATES.price(0.5, "EUR", "kg", "USD", "t", date(2026, 7, 1)) == pytest.approx(600)


def test_no_rate_means_no_price():
    assert RATES.price(100, "EUR", "t", "USD", "t", date(2025, 12, 31)) is None
    assert RATES.price(100, "GBP", "t", "USD", "t", date(2026, 3, 1)) is None
    assert RATES.price(100, "USD", "coil", "USD", "t", date(2026, 3, 1)) is None
