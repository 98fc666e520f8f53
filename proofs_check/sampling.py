"""Counterexample search by sampling: Hypothesis draws exact points, an Arb ball of
``rhs - lhs`` at each point (about 50 digits, :data:`SAMPLE_PREC` bits) flags candidates,
and a candidate is kept only when an Arb enclosure at that exact point
(:func:`arb_check_point`, precision raised up to 8192 bits) excludes the claimed relation.
Hypothesis then shrinks the counterexample to a short one (few digits, near the low end of
the ranges).

Finding nothing establishes nothing beyond "CHECKED": the report says how many points were
tried, how many could be evaluated, and at what precision. A ball that cannot tell (it
contains 0: cancellation, or a tight point) makes the point a candidate for the Arb check,
which raises the precision until the sign is certain (``2x/(2+x) <= log(1+x)`` at
``x = 1e-25`` is true; its margin is ~1e-76). Exact zeros (for strict relations) are shown
only by exact rewriting (:func:`rmc_symbolic.certified_sign.exact_zero`), never by a
numeric judgement.

API
---
``arb_check_point(relations, point, max_prec=8192) -> PointCheck | None``: the first
  relation rigorously violated at the exact point, with the Arb ball of ``rhs - lhs``.
``search(relations, variables, max_examples=300, dps=50, deadline=None, seed=0) ->
  SearchResult`` (``dps``: the sampling precision in decimal digits).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from flint import arb, ctx

from rmc_symbolic.arb_eval import arb_from_fraction, arb_lambdify
from rmc_symbolic.certified_sign import exact_zero, variables_of

from .enclosure import Var, _ilog10

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
    evaluated: int = 0


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
    """``expr`` is exactly 0 at ``point`` by exact rewriting (never a numeric verdict)."""
    return exact_zero(expr, point, simplify_chars=400)


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
        if not variables_of(d) <= set(syms):
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


#: the working precision of the sampling evaluations (bits; ~50 digits)
SAMPLE_PREC = 170


def _looks_violated(programs, point_balls, stats) -> bool:
    """An Arb ball of ``rhs - lhs`` at the point says some relation fails, or cannot tell
    (contains 0: too close to call, left to :func:`arb_check_point`). Equalities are
    candidates only when the ball excludes 0. Balls that are not finite (undefined there,
    or beyond Arb's range) do not count as evaluated."""
    evaluated = False
    verdict = False
    for op, fn in programs:
        try:
            d = fn(*point_balls)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if not d.is_finite():
            continue
        evaluated = True
        v = violates_ball(op, d)
        if v is True or (v is None and op != "=="):
            verdict = True
    if evaluated:
        stats["evaluated"] += 1
    return verdict


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
        emin = -60 if lo == 0 else _ilog10(lo) - 1
        emax = _ilog10(hi) + 1
        if emax - emin >= 3:
            def logu(m: int, e: int) -> Fraction:
                v = Fraction(m) * (Fraction(10) ** e)
                return min(max(v, lo), hi)

            parts.append(st.builds(logu, st.integers(1, 99), st.integers(emin, emax)))
    return st.one_of(*parts)


class _TimeUp(Exception):
    pass


def _wraps_timeup(e: BaseException) -> bool:
    """Hypothesis may wrap the time-up signal (FlakyFailure is an exception group)."""
    subs = getattr(e, "exceptions", None) or ()
    return any(isinstance(x, _TimeUp) or _wraps_timeup(x) for x in subs)


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
    prec = max(64, int(dps * 3.33) + 4)
    programs = []
    for lhs, op, rhs in relations:
        try:
            programs.append((op, arb_lambdify(sp.sympify(rhs) - sp.sympify(lhs), syms)))
        except NotImplementedError:
            continue
    strat = st.tuples(*[
        st.integers(int(v.lo), int(v.hi)).map(Fraction) if v.integer
        else _decimal_strategy(v.lo, v.hi) for v in variables
    ])
    stats = {"tested": 0, "candidates": 0, "evaluated": 0}
    found: dict = {}

    def condition(values) -> bool:
        if tuple(values) in found:  # consistent on replay (Hypothesis re-runs examples)
            return True
        if deadline is not None and time.monotonic() > deadline:
            if not found:
                raise _TimeUp
            return False  # keep the confirmed counterexample, try nothing new
        stats["tested"] += 1
        pt = dict(zip(syms, values, strict=True))
        old = ctx.prec
        try:
            ctx.prec = prec
            balls = [arb_from_fraction(q) for q in values]
            looks = _looks_violated(programs, balls, stats)
        finally:
            ctx.prec = old
        if not looks:
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
    except Exception as e:  # noqa: BLE001 - _TimeUp, possibly wrapped by Hypothesis
        if not isinstance(e, _TimeUp) and not _wraps_timeup(e):
            raise
        stopped = "time limit reached"
    if deadline is not None and time.monotonic() > deadline:
        stopped = "time limit reached"
    if point is None and found:  # the best confirmed point so far
        values = min(found, key=lambda v: sum(len(str(q)) for q in v))
        point = dict(zip(syms, values, strict=True))
    check = found.get(tuple(point.values())) if point is not None else None
    if point is not None and check is None:
        check = arb_check_point(relations, point)
        if check is None:  # pragma: no cover - find only returns confirmed points
            point = None
    return SearchResult(point, check, stats["tested"], stats["candidates"], dps, stopped,
                        stats["evaluated"])
