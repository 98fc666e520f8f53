"""Counterexample search by sampling: Hypothesis draws points, mpmath evaluates both sides of
the claim to 50 correct digits, and a candidate is kept only when an Arb enclosure at that
exact point (:func:`arb_check_point`) excludes the claimed relation. Hypothesis then shrinks
the counterexample to a short one (few digits, near the low end of the ranges).

Finding nothing establishes nothing beyond "CHECKED": the report says how many points were
tried and at what precision. Each side is evaluated separately by
:func:`rmc_symbolic.evaluate.evaluate` on its mpmath path (``certified=False``: two working
precisions must agree; independent of the Arb check that follows), so cancellation
in ``rhs - lhs`` cannot manufacture a false alarm: a difference below the 50-digit noise is
treated as "too close to call" and left to the Arb check, which raises the precision until
the sign is certain (``2x/(2+x) <= log(1+x)`` at ``x = 1e-25`` is true; its margin is
~1e-76).

API
---
``arb_check_point(relations, point, max_prec=8192) -> PointCheck | None``: the first
  relation rigorously violated at the exact point, with the Arb ball of ``rhs - lhs``.
``search(relations, variables, max_examples=300, dps=50, deadline=None, seed=0) ->
  SearchResult``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp
from flint import arb, ctx

from rmc_symbolic.arb_eval import arb_from_fraction, arb_lambdify

from .enclosure import Var, symbolic_safe

__all__ = ["PointCheck", "SearchResult", "arb_check_point", "search", "violates_ball"]

Relation = tuple[sp.Expr, str, sp.Expr]


@dataclass
class PointCheck:
    """A relation rigorously violated at a point: ``index`` of the relation, the Arb ball of
    ``rhs - lhs`` there, the precision used, and whether an exact zero was shown by SymPy
    (for strict relations and equalities at a tight point)."""

    index: int
    ball: arb
    prec: int
    exact_zero: bool = False


@dataclass
class SearchResult:
    """Outcome of a sampling search."""

    point: dict[sp.Symbol, Fraction] | None
    check: PointCheck | None
    tested: int
    candidates: int
    dps: int
    stopped: str = ""


def violates_ball(op: str, d: arb) -> bool | None:
    """Is ``lhs op rhs`` violated, given the ball ``d`` of ``rhs - lhs``? True/False when
    certain, None when the ball cannot tell."""
    if op == "<=":
        return True if d < 0 else (False if d >= 0 else None)
    if op == "<":
        return True if d < 0 else (False if d > 0 else None)
    if op == ">=":
        return True if d > 0 else (False if d <= 0 else None)
    if op == ">":
        return True if d > 0 else (False if d < 0 else None)
    if op == "==":
        return True if (d > 0 or d < 0) else (False if d == 0 else None)
    raise ValueError(op)


def _exact_zero_at(expr: sp.Expr, point: dict[sp.Symbol, Fraction]) -> bool:
    if not symbolic_safe(sp.sympify(expr)):
        return False
    sub = {s: sp.Rational(q.numerator, q.denominator) for s, q in point.items()}
    try:
        val = sp.sympify(expr).xreplace(sub)
        return bool(val == 0 or sp.expand(val) == 0 or (
            len(str(val)) <= 400 and sp.simplify(val) == 0))
    except Exception:  # noqa: BLE001 - not shown to be zero
        return False


def arb_check_point(
    relations: Sequence[Relation],
    point: dict[sp.Symbol, Fraction],
    max_prec: int = 8192,
) -> PointCheck | None:
    """The first relation that an Arb enclosure of ``rhs - lhs`` at the exact ``point``
    shows to be violated (precision doubled from 64 bits up to ``max_prec`` until the
    ball decides), or None. For ``<``/``>`` (and ``<=``/``>=`` never) an exact zero,
    shown by SymPy at the exact point, is a violation."""
    syms = list(point)
    args = [point[s] for s in syms]
    for idx, (lhs, op, rhs) in enumerate(relations):
        d = sp.sympify(rhs) - sp.sympify(lhs)
        if not d.free_symbols <= set(syms):
            continue
        try:
            fn = arb_lambdify(d, syms)
        except NotImplementedError:
            continue
        prec = 64
        old = ctx.prec
        try:
            while prec <= max_prec:
                ctx.prec = prec
                ball = fn(*[arb_from_fraction(a) for a in args])
                if ball.is_finite():
                    v = violates_ball(op, ball)
                    if v is True:
                        return PointCheck(idx, ball, prec)
                    if v is False:
                        break
                    if op in ("<", ">", "==") and ball.rad() < arb(2) ** (-prec // 2):
                        # possibly exactly zero: SymPy decides
                        if _exact_zero_at(d, point):
                            if op == "==":
                                break
                            return PointCheck(idx, ball, prec, exact_zero=True)
                prec *= 2
        finally:
            ctx.prec = old
    return None


def _mp_side(expr: sp.Expr, point: dict[sp.Symbol, Fraction], dps: int):
    from rmc_symbolic.evaluate import evaluate

    params = {s: v for s, v in point.items() if expr.has(s)}
    return evaluate(sp.sympify(expr), params, dps=dps, certified=False)


def _looks_violated(relations, point, dps) -> bool:
    """mpmath says some relation fails (or is too close to call) at ``point``."""
    for lhs, op, rhs in relations:
        try:
            a = _mp_side(lhs, point, dps)
            b = _mp_side(rhs, point, dps)
        except Exception:  # noqa: BLE001 - undefined / complex / no agreement: skip
            continue
        if not (isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf)):
            continue
        with mpmath.workdps(dps + 10):
            d = b - a
            noise = max(abs(a), abs(b)) * mpmath.mpf(10) ** (-(dps - 5))
        if op == "==":
            if abs(d) > noise:
                return True
            continue
        close = abs(d) <= noise
        bad = {"<=": d < 0, "<": d <= 0, ">=": d > 0, ">": d >= 0}[op]
        if bad or (close and op in ("<", ">")):
            return True
        if close:
            return True  # too close to call at this precision: let Arb decide
    return False


def _decimal_strategy(lo: Fraction, hi: Fraction):
    from hypothesis import strategies as st

    def dec(p: int):
        a, b = math.ceil(lo * 10**p), math.floor(hi * 10**p)
        if a > b:
            return None
        return st.integers(a, b).map(lambda u, p=p: Fraction(u, 10**p))

    parts = [st.sampled_from(sorted({lo, hi}))]
    for p in (0, 1, 2, 3, 6, 12):
        s = dec(p)
        if s is not None:
            parts.append(s)
    # close to the ends, on a log scale
    w = hi - lo
    if w > 0:
        def near(e: int, side: int) -> Fraction:
            step = min(Fraction(1, 10**e), w)
            return lo + step if side == 0 else hi - step

        parts.append(st.builds(near, st.integers(1, 60), st.integers(0, 1)))
    # log-uniform over wide positive ranges: m * 10^e with 1 or 2 digits of mantissa
    if lo >= 0 and hi > 0:
        emin = -60 if lo == 0 else math.floor(math.log10(lo)) - 1
        emax = math.floor(math.log10(hi)) + 1
        if emax - emin >= 3:
            def logu(m: int, e: int) -> Fraction:
                v = Fraction(m) * (Fraction(10) ** e)
                return min(max(v, lo), hi)

            parts.append(st.builds(logu, st.integers(1, 99), st.integers(emin, emax)))
    return st.one_of(*parts)


class _TimeUp(Exception):
    pass


def search(
    relations: Sequence[Relation],
    variables: Sequence[Var],
    max_examples: int = 300,
    dps: int = 50,
    deadline: float | None = None,
    seed: int = 0,
) -> SearchResult:
    """Hypothesis-driven counterexample search over the box of ``variables``.

    Every point is exact (decimals, near-end points, log-scale points, the ends);
    ``relations`` are checked at ``dps`` digits; a violation is confirmed by
    :func:`arb_check_point` before it counts, and Hypothesis shrinks the confirmed
    counterexample. Deterministic for a given ``seed``."""
    import random

    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    syms = [v.symbol for v in variables]
    strat = st.tuples(*[
        st.integers(int(v.lo), int(v.hi)).map(Fraction) if v.integer
        else _decimal_strategy(v.lo, v.hi) for v in variables
    ])
    stats = {"tested": 0, "candidates": 0}
    found: dict = {}

    def condition(values) -> bool:
        if deadline is not None and time.monotonic() > deadline:
            raise _TimeUp
        stats["tested"] += 1
        pt = dict(zip(syms, values, strict=True))
        if not _looks_violated(relations, pt, dps):
            return False
        stats["candidates"] += 1
        chk = arb_check_point(relations, pt)
        if chk is None:
            return False
        found[tuple(values)] = chk
        return True

    cfg = settings(max_examples=max_examples, database=None, deadline=None,
                   phases=[Phase.generate, Phase.shrink],
                   suppress_health_check=list(HealthCheck))
    stopped = ""
    point = None
    try:
        values = find(strat, condition, settings=cfg, random=random.Random(seed))
        point = dict(zip(syms, values, strict=True))
    except NoSuchExample:
        pass
    except _TimeUp:
        stopped = "time limit reached"
        if found:  # the best confirmed point so far
            values = min(found, key=lambda v: sum(len(str(q)) for q in v))
            point = dict(zip(syms, values, strict=True))
    check = found.get(tuple(point.values())) if point is not None else None
    if point is not None and check is None:
        check = arb_check_point(relations, point)
        if check is None:  # pragma: no cover - find only returns confirmed points
            point = None
    return SearchResult(point, check, stats["tested"], stats["candidates"], dps, stopped)
