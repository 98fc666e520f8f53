"""Corpora and pmfs for the discrete model (RESULTS.md §2 ``corollary1``, §3 ``corollary2``).

A corpus is tokenised into lower-cased ``\\w+`` words; its counts give the pmf
``p_i = c_i / n`` with ``n`` the number of tokens. Pmfs are kept exact (Fractions) where
the input is exact; the Zipf–Mandelbrot pmf ``p_i ∝ (i + b)^{−a}`` is computed with mpmath
at the requested precision.

>>> word_counts("The cat saw the dog. THE END")
Counter({'the': 3, 'cat': 1, 'saw': 1, 'dog': 1, 'end': 1})
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

from .errors import InputError
from .parsing import parse_exact

__all__ = ["word_counts", "read_corpus", "read_counts", "read_pmf", "zipf_mandelbrot",
           "pmf_from_counts", "zipf_seconds", "pmf_sum_seconds"]

#: seconds per probability of the Zipf-Mandelbrot pmf, and per term of a sum over a pmf
#: in :func:`rmc_symbolic.evaluate.evaluate`, by digits (the 2-core reference machine)
_ZIPF_SECONDS = ((15, 4.4e-06), (100, 5.5e-06), (1000, 2.5e-05), (10000, 0.00033))
_TERM_SECONDS = ((15, 1.1e-05), (100, 1.1e-05), (1000, 3.6e-05), (10000, 0.00044))


def zipf_seconds(m: int, dps: int) -> float:
    """Estimated seconds of :func:`zipf_mandelbrot` with ``m`` symbols at ``dps`` digits."""
    from .limits import loglog_interp

    return m * loglog_interp(_ZIPF_SECONDS, dps)


def pmf_sum_seconds(terms: int, dps: int) -> float:
    """Estimated seconds of one evaluation of a sum over a pmf of ``terms`` distinct
    probabilities at ``dps`` digits."""
    from .limits import loglog_interp

    return terms * loglog_interp(_TERM_SECONDS, dps)

_WORD = re.compile(r"\w+")
_NONWORD = re.compile(r"\W")

#: the tolerance within which a pmf file must sum to 1
PMF_TOLERANCE = Fraction(1, 10**9)


def word_counts(text: str) -> Counter:
    """Counts of the lower-cased ``\\w+`` words of ``text``."""
    return Counter(_WORD.findall(text.lower()))


def _read_text(path: str | Path, what: str) -> str:
    from .textfile import read_text

    return read_text(path, what, what)


def _last_word_start(text: str) -> int:
    """Where the word at the end of ``text`` starts (``len(text)`` if it ends in a
    non-word character), by windows from the end (linear time)."""
    end, window = len(text), 4096
    while end > 0:
        lo = max(0, end - window)
        last = None
        for last in _NONWORD.finditer(text, lo, end):  # noqa: B007 - the last one
            pass
        if last is not None:
            return last.end()
        end, window = lo, 2 * window
    return 0


def read_corpus(path: str | Path) -> Counter:
    """Word counts of a UTF-8 text file; an empty, binary or unreadable file is an error.
    The file is read in chunks (memory holds the vocabulary, not the text)."""
    from .textfile import iter_text

    counts: Counter = Counter()
    carry = ""
    for chunk in iter_text(path, "corpus", "corpus"):
        text = carry + chunk
        cut = _last_word_start(text)  # a word may continue in the next chunk
        carry = text[cut:]
        counts.update(word_counts(text[:cut]))
    counts.update(word_counts(carry))
    if not counts:
        raise InputError(f"corpus file {str(path)!r} has no words")
    return counts


def _lines(path: str | Path, what: str) -> list[tuple[int, str]]:
    text = _read_text(path, what)
    out = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    out = [(i, t) for i, t in out if t and not t.startswith("#")]
    if not out:
        raise InputError(f"{what} file {str(path)!r} is empty")
    return out


def read_counts(path: str | Path) -> list[int]:
    """One non-negative integer count per line (blank lines and ``#`` comments skipped)."""
    counts = []
    for lineno, t in _lines(path, "counts"):
        v = parse_exact(t, f"counts line {lineno}", lo=0)
        if v.denominator != 1:
            raise InputError(f"counts line {lineno}: {t!r} is not an integer")
        counts.append(int(v))
    if sum(counts) == 0:
        raise InputError(f"counts file {str(path)!r} has total count 0")
    return counts


def read_pmf(path: str | Path) -> list[Fraction]:
    """One probability per line, read exactly; they must sum to 1 within 1e-9."""
    pmf = [parse_exact(t, f"pmf line {lineno}", lo=0, hi=1)
           for lineno, t in _lines(path, "pmf")]
    total = sum(pmf)
    if abs(total - 1) > PMF_TOLERANCE:
        raise InputError(
            f"pmf file {str(path)!r} sums to {float(total):.12g}, not 1 within 1e-9")
    return pmf


def pmf_from_counts(counts) -> tuple[list[Fraction], int]:
    """The exact pmf ``c_i / n`` and ``n = sum c_i`` of a list (or Counter) of counts."""
    values = list(counts.values()) if isinstance(counts, dict) else list(counts)
    n = sum(values)
    if n <= 0:
        raise InputError("counts: the total count must be positive")
    return [Fraction(c, n) for c in values if c > 0], n


def zipf_mandelbrot(a: Fraction, b: Fraction, m: int, dps: int = 30):
    """The Zipf–Mandelbrot pmf ``p_i = (i + b)^{−a} / Σ_j (j + b)^{−a}``, i = 1..m, as
    mpmath numbers at ``dps`` digits (RESULTS.md §6, Fig. 7).

    Domain: a > 0, b > -1, integer m >= 1.
    """
    import mpmath

    if a <= 0:
        raise InputError(f"zipf a = {a} is outside the allowed range (0, inf)")
    if b <= -1:
        raise InputError(f"zipf b = {b} is outside the allowed range (-1, inf)")
    if m < 1:
        raise InputError(f"zipf m = {m} is outside the allowed range [1, inf)")
    with mpmath.workdps(dps + 10):
        aa = mpmath.mpf(a.numerator) / a.denominator
        bb = mpmath.mpf(b.numerator) / b.denominator
        w = [mpmath.power(i + bb, -aa) for i in range(1, m + 1)]
        z = mpmath.fsum(w)
        return [wi / z for wi in w]
