"""Exact inputs and k-lists (rmc_symbolic.parsing)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmc_symbolic.errors import InputError
from rmc_symbolic.parsing import parse_exact, parse_int, parse_klist


def test_decimal_is_exact_not_the_nearest_double():
    assert parse_exact("0.01") == Fraction(1, 100)
    assert parse_exact("0.01") != Fraction(0.01)  # the double differs in the 18th digit


@pytest.mark.parametrize("text,value", [
    ("1/3", Fraction(1, 3)), ("1e-3", Fraction(1, 1000)), ("-2.5", Fraction(-5, 2)),
    (" 7 ", Fraction(7)), ("2501/10000", Fraction(2501, 10000)), (".5", Fraction(1, 2)),
    ("3.", Fraction(3)), ("1.5e2/3", Fraction(50)), ("1_000", Fraction(1000)),
])
def test_accepted_forms(text, value):
    assert parse_exact(text) == value


@pytest.mark.parametrize("text", ["abc", "1/0", "nan", "inf", "0x10", "", "1/2/3", "--1",
                                  "1e", "e5", "1/2.5"])
def test_rejected_forms(text):
    with pytest.raises(InputError):
        parse_exact(text, "p0")


def test_range_error_names_parameter_and_range():
    with pytest.raises(InputError, match=r"p0 = 2 is outside the allowed range \[0, 1\]"):
        parse_exact("2", "p0", 0, 1)
    with pytest.raises(InputError, match=r"\(0, inf\)"):
        parse_exact("0", "eps", lo=0, lo_open=True)
    assert parse_exact("1", "p0", 0, 1) == 1


def test_parse_int():
    assert parse_int("12", "n", 1) == 12
    with pytest.raises(InputError, match="not an integer"):
        parse_int("2.5", "n")
    with pytest.raises(InputError, match=r"n = 0 is outside the allowed range \[1, inf\)"):
        parse_int("0", "n", 1)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=30))
def test_decimal_strings_round_trip_exactly(d):
    assert parse_exact(str(d)) == Fraction(Decimal(str(d)))


@given(st.integers(-10**40, 10**40), st.integers(1, 10**40))
def test_rationals_exact(a, b):
    assert parse_exact(f"{a}/{b}") == Fraction(a, b)


def test_klists():
    assert parse_klist("1:50") == list(range(1, 51))
    assert parse_klist("1:1000:10") == list(range(1, 1001, 10))
    assert parse_klist("1,5,10") == [1, 5, 10]
    assert parse_klist("10,1:3,2") == [1, 2, 3, 10]
    assert parse_klist("7") == [7]


@pytest.mark.parametrize("text", ["0", "5:1", "1:2:0", "", "1::2", "a", "1:2:3:4", "1.5",
                                  "1,,2", "-1:3", "1:10**9"])
def test_bad_klists(text):
    with pytest.raises(InputError):
        parse_klist(text)


def test_klist_size_guard():
    with pytest.raises(InputError, match="more than"):
        parse_klist("1:100000000")
