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
           "pmf_from_counts"]

_WORD = re.compile(r"\w+")

#: the tolerance within which a pmf file must sum to 1
PMF_TOLERANCE = Fraction(1, 10**9)


def word_counts(text: str) -> Counter:
    """Counts of the lower-cased ``\\w+`` words of ``text``."""
    return Counter(_WORD.findall(text.lower()))


def _read_text(path: str | Path, what: str) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file {str(path)!r} does not exist")
    if p.is_dir():
        raise InputError(f"{what} file {str(path)!r} is a directory")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{what} file {str(path)!r} cannot be read: {e.strerror}") from None
    if b"\x00" in data:
        raise InputError(f"{what} file {str(path)!r} is binary (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{what} file {str(path)!r} is not UTF-8 text (byte {e.start})") from None


def read_corpus(path: str | Path) -> Counter:
    """Word counts of a UTF-8 text file; an empty, binary or unreadable file is an error."""
    counts = word_counts(_read_text(path, "corpus"))
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
