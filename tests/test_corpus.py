"""The corpus tokenizer and pmf readers."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import mpmath
import pytest

from rmc_symbolic.corpus import (
    pmf_from_counts,
    read_corpus,
    read_counts,
    read_pmf,
    word_counts,
    zipf_mandelbrot,
)
from rmc_symbolic.errors import InputError


def test_tokenizer_known_counts():
    text = "The cat, the CAT and the dog's bone. Ünïcode wörds: ÜNÏCODE! 42 42"
    assert word_counts(text) == Counter({"the": 3, "cat": 2, "and": 1, "dog": 1, "s": 1,
                                         "bone": 1, "ünïcode": 2, "wörds": 1, "42": 2})


def test_read_corpus_and_pmf(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("b a b\nc b\n", encoding="utf-8")
    counts = read_corpus(f)
    assert counts == Counter({"b": 3, "a": 1, "c": 1})
    pmf, n = pmf_from_counts(counts)
    assert n == 5 and sorted(pmf) == [Fraction(1, 5), Fraction(1, 5), Fraction(3, 5)]


def test_read_pmf_exact_and_tolerance(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("# a pmf\n0.1\n0.2\n\n0.7\n")
    assert read_pmf(f) == [Fraction(1, 10), Fraction(1, 5), Fraction(7, 10)]
    f.write_text("0.5\n0.5000000001\n")  # off by 1e-10: accepted as given
    assert sum(read_pmf(f)) == Fraction(10000000001, 10000000000)
    f.write_text("0.5\n0.500000002\n")
    with pytest.raises(InputError, match="not 1 within 1e-9"):
        read_pmf(f)
    f.write_text("0.5\nx\n")
    with pytest.raises(InputError, match="pmf line 2"):
        read_pmf(f)


def test_read_counts(tmp_path):
    f = tmp_path / "n.txt"
    f.write_text("3\n0\n2\n")
    assert read_counts(f) == [3, 0, 2]
    f.write_text("0\n0\n")
    with pytest.raises(InputError, match="total count 0"):
        read_counts(f)
    f.write_text("-1\n")
    with pytest.raises(InputError, match="outside"):
        read_counts(f)


def test_zipf_mandelbrot():
    pmf = zipf_mandelbrot(Fraction(1), Fraction(27, 10), 1000, 30)
    with mpmath.workdps(40):
        assert abs(mpmath.fsum(pmf) - 1) < mpmath.mpf(10) ** -28
        assert abs(pmf[0] / pmf[1] - mpmath.mpf("4.7") / mpmath.mpf("3.7")) < 1e-25
    with pytest.raises(InputError):
        zipf_mandelbrot(Fraction(1), Fraction(-1), 10)
