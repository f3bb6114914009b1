"""Money is exact: Decimal to the centime, never float; percentages exact until displayed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jamaati.programmes.money import money, parse_amount, percent, percent_display, share


def test_money_quantizes_to_the_centime_half_up():
    assert money("0.005") == Decimal("0.01")
    assert money("2.675") == Decimal("2.68")  # a float would give 2.67
    assert money(180_000_000) == Decimal("180000000.00")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money(0.1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("180000000", Decimal("180000000.00")),
        ("1 250 000,50", Decimal("1250000.50")),
        ("1\u202f250\u202f000,50", Decimal("1250000.50")),
        ("1,250,000.50", Decimal("1250000.50")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("1,250,000", Decimal("1250000.00")),
        ("60000000 MAD", Decimal("60000000.00")),
        ("0.1", Decimal("0.10")),
    ],
)
def test_amounts_are_read_as_people_write_them(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "", "-5", "0", "1.005", "NaN", "Infinity"])
def test_bad_amounts_are_refused_with_a_message(text):
    with pytest.raises(ValidationError):
        parse_amount(text)


def test_ten_times_ten_centimes_is_exactly_one_dirham():
    total = sum((parse_amount("0.10") for _ in range(10)), Decimal("0.00"))
    assert total == Decimal("1.00")
    assert percent(total, Decimal("4.00")) == Decimal("25")


def test_percentages_stay_exact_and_round_only_for_display():
    exact = percent(Decimal("1"), Decimal("3"))
    assert exact != Decimal("33.3")
    assert percent_display(exact) == Decimal("33.3")
    assert percent_display(percent(Decimal("2"), Decimal("3")), places=0) == Decimal("67")
    assert percent(Decimal("5"), Decimal("0")) is None


def test_a_sum_shared_in_parts_adds_up_exactly():
    parts = share(Decimal("100.00"), 3)
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")
