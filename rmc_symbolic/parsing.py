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
>>> parse_exact("10**7"), parse_exact("1/2^10")
(Fraction(10000000, 1), Fraction(1, 1024))
"""

from __future__ import annotations

import math
import re
import sys
from fractions import Fraction

from .errors import InputError

# Exact rationals here run to 10^5 digits: allow them to cross strings.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

_DECIMAL = r"(\d+(?:\.\d*)?|\.\d+)"
_POWER = r"(?:(?:\*\*|\^)([+-]?\d+))"
#: a decimal (optionally with an exponent ``e-3``) or a power ``10**7``, ``2^-3``; then
#: optionally ``/`` an integer or a power of one
_NUMBER = re.compile(
    rf"^([+-]?){_DECIMAL}(?:[eE]([+-]?\d+)|{_POWER})?(?:/([+-]?)(\d+){_POWER}?)?$")

#: The largest k-list rmc accepts: one row is printed per k (use a step for long ranges).
MAX_KLIST = 1_000_000

#: Exact parameters have at most this many digits (numerator and denominator each):
#: ``1e-400`` is fine, ``1e-30000000`` is refused (it would not even fit a float, and its
#: exact value takes longer to form than any computation rmc does with it).
MAX_DIGITS = 100_000


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

    Accepts integers, decimals (``0.01``, ``1e-3``), powers (``10**7``, ``2^-3``) and
    rationals (``1/3``, ``1/10**20``), with at most :data:`MAX_DIGITS` digits.
    Raises :class:`InputError` naming ``name`` and the allowed range otherwise.
    """
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, int):
        value = Fraction(text)
    else:
        value = _read_number(str(text), name)
    rng = _range_text(lo, hi, lo_open, hi_open)
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise InputError(f"{name} = {text} is outside the allowed range {rng}")
    if hi is not None and (value > hi or (hi_open and value == hi)):
        raise InputError(f"{name} = {text} is outside the allowed range {rng}")
    return value


def _read_number(text: str, name: str) -> Fraction:
    t = text.strip().replace("_", "")
    shown = text if len(text) <= 40 else text[:20] + "..." + text[-10:]
    m = _NUMBER.match(t) if len(t) <= MAX_DIGITS + 64 else None
    if m is None:
        low = t.lower().lstrip("+-")
        if low in ("nan", "inf", "infinity", "oo"):
            raise InputError(f"{name}: {shown!r} is not a finite number")
        if len(t) > MAX_DIGITS + 64:
            raise InputError(f"{name}: a number of {len(t)} characters is too long (exact "
                             f"parameters have at most {MAX_DIGITS} digits)")
        raise InputError(
            f"{name}: {shown!r} is not a number (use an integer, a decimal such as 0.01, "
            f"a power such as 10**7, or a rational such as 1/3)")
    sign, mant, e10, power, dsign, den, dpower = m.groups()
    mant_digits = len(mant.replace(".", "").lstrip("0")) or 1
    if e10 is not None:
        digits = mant_digits + abs(int(e10)) if len(e10) < 12 else math.inf
    elif power is not None:
        digits = abs(int(power)) * mant_digits if len(power) < 12 else math.inf
    else:
        digits = mant_digits
    den_digits = 1 if den is None else (len(den.lstrip("0")) or 1)
    if dpower is not None:
        den_digits = abs(int(dpower)) * den_digits if len(dpower) < 12 else math.inf
    if max(digits, den_digits) > MAX_DIGITS:
        raise InputError(f"{name}: {shown} has more than {MAX_DIGITS} digits (exact "
                         f"parameters are limited to {MAX_DIGITS} digits, i.e. magnitudes "
                         f"between 1e-{MAX_DIGITS} and 1e{MAX_DIGITS})")
    try:
        value = Fraction(mant)
        if e10 is not None:
            value *= Fraction(10) ** int(e10)
        if power is not None:
            value = _power(value, int(power), name)
        if sign == "-":
            value = -value
        if den is not None:
            d = _power(Fraction(int(den)), int(dpower), name) if dpower else Fraction(int(den))
            value /= -d if dsign == "-" else d
    except ZeroDivisionError:
        raise InputError(f"{name}: {shown!r} divides by zero") from None
    return value


def _power(base: Fraction, e: int, name: str) -> Fraction:
    if base == 0 and e <= 0:
        raise InputError(f"{name}: 0 to the power {e} is undefined")
    return base**e


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
            if len(out) > MAX_KLIST:
                raise InputError(f"{name}: the k-list has more than {MAX_KLIST} entries")
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
        count = (b - a) // step + 1
        if count + len(out) > MAX_KLIST:
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise InputError(
                f"{name}: the k-list {shown!r} has {count + len(out)} entries, more than "
                f"{MAX_KLIST} (one row is printed per k): use a step, e.g. "
                f"{a}:{b}:{max(step, -(-count // 1000))}")
        out.update(range(a, b + 1, step))
    return sorted(out)
