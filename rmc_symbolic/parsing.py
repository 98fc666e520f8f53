"""Exact parameters and k-lists.

Every parameter enters rmc as an exact rational: ``"0.01"`` is ``1/100`` (never the
nearest double), ``"1/3"`` is one third, ``"1e-3"`` is ``1/1000``.

>>> parse_exact("0.01")
Fraction(1, 100)
>>> parse_exact("2501/10000", name="p0", lo=0, hi=1)
Fraction(2501, 10000)
>>> parse_klist("1:5")
[1, 2, 3, 4, 5]
>>> parse_klist("1,5,10")
[1, 5, 10]
>>> parse_klist("1:10:4")
[1, 5, 9]
"""

from __future__ import annotations

import re
import sys
from fractions import Fraction

from .errors import InputError

# Exact rationals here run to 10^5 digits: allow them to cross strings.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/[+-]?\d+)?$")

#: The largest k-list rmc accepts (a guard against typos such as 1:10**12).
MAX_KLIST = 10_000_000


def _range_text(lo, hi, lo_open: bool, hi_open: bool) -> str:
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    lo_s = "-inf" if lo is None else str(lo)
    hi_s = "inf" if hi is None else str(hi)
    return f"{left}{lo_s}, {hi_s}{right}"


def parse_exact(
    text: str | int | Fraction,
    name: str = "value",
    lo: int | Fraction | None = None,
    hi: int | Fraction | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> Fraction:
    """Read ``text`` as an exact rational and check it lies in the stated range.

    Accepts integers, decimals (``0.01``, ``1e-3``) and rationals (``1/3``).
    Raises :class:`InputError` naming ``name`` and the allowed range otherwise.
    """
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, int):
        value = Fraction(text)
    else:
        t = str(text).strip().replace("_", "")
        if not _NUMBER.match(t):
            raise InputError(
                f"{name}: {text!r} is not a number (use an integer, a decimal such as 0.01, "
                f"or a rational such as 1/3)"
            )
        num, _, den = t.partition("/")
        try:
            value = Fraction(num) / (Fraction(den) if den else 1)
        except ZeroDivisionError:
            raise InputError(f"{name}: {text!r} divides by zero") from None
    rng = _range_text(lo, hi, lo_open, hi_open)
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise InputError(f"{name} = {text} is outside the allowed range {rng}")
    if hi is not None and (value > hi or (hi_open and value == hi)):
        raise InputError(f"{name} = {text} is outside the allowed range {rng}")
    return value


def parse_int(
    text: str | int, name: str = "value", lo: int | None = None, hi: int | None = None
) -> int:
    """Read ``text`` as an integer in ``[lo, hi]`` (no rounding: ``2.5`` is an error)."""
    value = parse_exact(text, name)
    if value.denominator != 1:
        raise InputError(f"{name}: {text!r} is not an integer")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        rng = _range_text(lo, hi, False, False)
        raise InputError(f"{name} = {text} is outside the allowed range {rng}")
    return v


def parse_klist(text: str, name: str = "k", lo: int = 1, hi: int | None = None) -> list[int]:
    """Parse a k-list: ``1,5,10``, ``1:50`` (inclusive) or ``1:1000:10`` (start:stop:step).

    Items may be mixed (``1,2,10:20``). The result is sorted and without repeats.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{name}: empty k-list (use e.g. 1,5,10 or 1:50 or 1:1000:10)")
    out: set[int] = set()
    for item in text.split(","):
        item = item.strip()
        parts = item.split(":")
        if len(parts) == 1:
            out.add(parse_int(parts[0], name, lo, hi))
            continue
        if len(parts) not in (2, 3) or any(not p.strip() for p in parts):
            raise InputError(
                f"{name}: malformed k-list item {item!r} (use a, a:b or a:b:step)"
            )
        a = parse_int(parts[0], name, lo, hi)
        b = parse_int(parts[1], name, lo, hi)
        step = parse_int(parts[2], f"{name} step", 1) if len(parts) == 3 else 1
        if b < a:
            raise InputError(f"{name}: empty range {item!r} (stop {b} < start {a})")
        if (b - a) // step + 1 + len(out) > MAX_KLIST:
            raise InputError(f"{name}: the k-list {text!r} has more than {MAX_KLIST} entries")
        out.update(range(a, b + 1, step))
    return sorted(out)
