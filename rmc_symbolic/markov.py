"""Exact and certified absorption probabilities of the recursive-training Markov chains,
and every Bernoulli bound of the paper held against them (RESULTS.md §2, §3).

Public entry point; the chains live in :mod:`rmc_symbolic.wright_fisher` (Bernoulli /
Wright–Fisher, ``T[i][j] = C(n,j) i^j (n−i)^(n−j) / n^n``) and
:mod:`rmc_symbolic.galton_watson` (Poisson / critical Galton–Watson).

Chains
    :func:`absorption_exact` (exact rationals; the contract used by ``rmc bernoulli
    --exact``), :func:`absorption_certified` (Arb balls with a promised number of certified
    digits), :func:`absorption_float` (float64 with accuracy notes),
    :func:`eventual_absorption` (fundamental matrix), :func:`eigenvalues`,
    :func:`spectrum`, :func:`gw_extinction` (truncated Galton–Watson chain with a rigorous
    truncation bound).

Checks
    :func:`first_violation` / :func:`check_chain`: the results ``theorem1``,
    ``theorem1_ext``, ``seddik``, ``absorption`` and ``wf_heterozygosity``, taken from the
    registry (``get(id).parts[...]``), compared with the exact chain for every n <= n_max,
    every i0 in 0..n (p0 = i0/n) and every 1 <= k <= k_max. Rational sides (seddik,
    wf_heterozygosity, absorption) are compared exactly; sides with ``exp`` and ``g_k``
    (theorem1, theorem1_ext) by an Arb enclosure of the bound (:func:`arb_eval.arb_lambdify`,
    with ``g_k`` enclosed by :func:`iterated_map.gk_arb_values`) against the exact rational,
    at rising precision; a tie the enclosure cannot split is decided exactly (exact
    rational arithmetic or exact rewriting at the exact point, with every constant a
    certified :class:`~rmc_symbolic.certified_sign.ArbConstant`; then Arb up to 8192 bits)
    or reported as undecided — never counted as holding.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, ctx, fmpz, fmpz_mat, fmpz_poly

from . import parsing as _parsing  # noqa: F401  (lifts Python's int/str digit limit)
from .errors import InputError
from .galton_watson import GW_MAX_STATES, GWResult, gw_extinction
from .wright_fisher import (
    CERTIFIED_MAX_N,
    CERTIFIED_MAX_SECONDS,
    EXACT_MAX_BYTES,
    EXACT_MAX_SECONDS,
    FLOAT_MAX_N,
    MAX_K,
    Certified,
    ExactValues,
    FloatResult,
    Spectrum,
    absorption_certified,
    absorption_exact,
    absorption_exact_values,
    absorption_float,
    certified_cost,
    certified_digits,
    eigenvalues,
    eventual_absorption,
    exact_cost,
    spectrum,
    transition_matrix_int,
)

__all__ = [
    "absorption_exact", "absorption_exact_values", "absorption_certified",
    "absorption_float", "eventual_absorption", "eigenvalues", "spectrum",
    "transition_matrix_int", "gw_extinction", "exact_cost", "certified_cost",
    "certified_digits", "first_violation", "check_chain", "Violation", "ChainCheck",
    "CHECKED_RESULTS", "Certified", "ExactValues", "FloatResult", "GWResult", "Spectrum",
    "EXACT_MAX_SECONDS", "EXACT_MAX_BYTES", "CERTIFIED_MAX_SECONDS", "CERTIFIED_MAX_N",
    "FLOAT_MAX_N", "MAX_K",
    "GW_MAX_STATES",
]

#: the results :func:`first_violation` checks against the exact chain
CHECKED_RESULTS = ("theorem1", "theorem1_ext", "seddik", "absorption", "wf_heterozygosity")

#: working precisions (bits) tried in turn before a tie is sent to the exact decision
_PRECS = (80, 256, 1024)


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Violation:
    """The first case where a bound fails against the exact chain (``decided=True``), or,
    when nothing fails but some case could not be decided, the first such case
    (``decided=False``).

    ``side``: the registry part (``lower``, ``upper``; ``lower_one``/``upper_one`` for
    Pr(P_k ≠ 1) with p0 -> 1 − p0; ``exact``; ``to_one``/``to_zero``; ``eigenvalue``).
    ``bound``: the part at this point (exact ``"a/b"`` or an Arb enclosure ``"[m +/- r]"``);
    ``exact``: the chain's exact value; ``margin``: how much the statement holds by
    (value − lower, upper − value, or chain − formula for identities): negative = violated.
    ``k`` is None for k-free statements (eventual absorption, eigenvalues); ``i0`` is None for
    the eigenvalues."""

    result_id: str
    n: int
    i0: int | None
    k: int | None
    side: str
    bound: str
    exact: Fraction | None
    margin: str
    decided: bool = True

    @property
    def p0(self) -> Fraction | None:
        return None if self.i0 is None else Fraction(self.i0, self.n)

    def __str__(self) -> str:
        what = "violated" if self.decided else "undecided"
        where = f"n={self.n}" + (f", i0={self.i0} (p0={self.p0})" if self.i0 is not None
                                 else "") + (f", k={self.k}" if self.k is not None else "")
        ex = "-" if self.exact is None else _short(self.exact)
        return (f"{self.result_id}.{self.side} {what} at {where}: bound {self.bound}, "
                f"exact {ex}, margin {self.margin}")


@dataclass
class ChainCheck:
    """What :func:`check_chain` established for one result.

    ``cases``: the (n, i0, k) points (or (n, i0) / n for k-free parts) visited;
    ``comparisons``: cases × sides; ``by_exact``: comparisons decided in exact rational
    arithmetic; ``by_enclosure``: decided by an Arb enclosure of the bound;
    ``undecided``: the comparisons neither could decide; ``violation``: the first violation
    (or, with none, the first undecided case, ``decided=False``), or None."""

    result_id: str
    n_max: int
    k_max: int
    sides: list[str]
    violation: Violation | None = None
    cases: int = 0
    comparisons: int = 0
    by_exact: int = 0
    by_enclosure: int = 0
    undecided: list[Violation] = field(default_factory=list)
    seconds: float = 0.0
    stopped_early: bool = False

    @property
    def holds(self) -> bool:
        """True when every comparison was decided and none failed."""
        return self.violation is None and not self.undecided

    def description(self) -> str:
        """One paragraph: what was covered and how it was decided."""
        dom = (f"every n in [1, {self.n_max}], every i0 in [0, n] (p0 = i0/n)"
               + (f", every k in [1, {self.k_max}]" if self.result_id != "absorption" else ""))
        if self.result_id == "absorption":
            dom += "; eventual absorption by the exact fundamental matrix"
        if self.result_id == "wf_heterozygosity":
            dom += "; and the eigenvalues (characteristic polynomial of n^n T, exact)"
        head = (f"{self.result_id} ({', '.join(self.sides)}) against the exact Wright-Fisher "
                f"chain on {dom}: {self.cases} cases, {self.comparisons} comparisons "
                f"({self.by_exact} in exact rational arithmetic, {self.by_enclosure} by Arb "
                f"enclosures of the bound against the exact value)")
        if self.violation is not None and self.violation.decided:
            tail = f"; FIRST VIOLATION: {self.violation}"
            if self.stopped_early:
                tail += " (stopped there)"
        elif self.undecided:
            tail = f"; {len(self.undecided)} undecided, first: {self.undecided[0]}"
        else:
            tail = "; all hold"
        return head + tail + f" [{self.seconds:.1f} s]"


def _short(q: Fraction, limit: int = 60) -> str:
    s = f"{q.numerator}/{q.denominator}" if q.denominator != 1 else str(q.numerator)
    if len(s) <= limit:
        return s
    import mpmath

    with mpmath.workdps(20):
        v = mpmath.mpf(q.numerator) / q.denominator
    return f"{mpmath.nstr(v, 15)} (exact rational of {len(s)} characters)"


# --------------------------------------------------------------------------- evaluators


class _NotRational(Exception):
    pass


def _ipow(b, e):
    """``b ** e`` for an integer-valued exponent ``e`` (fmpq or int)."""
    ei = int(e)
    if ei != e:
        raise _NotRational(f"non-integer exponent {e}")
    return b**ei


def _fmpq_printer():
    from sympy.printing.pycode import PythonCodePrinter

    class _FmpqPrinter(PythonCodePrinter):
        """Python code over python-flint rationals: constants as fmpq, Max/Min as
        max/min, symbolic exponents through _ipow (they must be integers)."""

        def _print_Rational(self, e):
            return f"fmpq({e.p}, {e.q})"

        def _print_Integer(self, e):
            return f"fmpq({e.p})"

        _print_Half = _print_Rational
        _print_One = _print_Integer
        _print_Zero = _print_Integer
        _print_NegativeOne = _print_Integer

        def _print_Pow(self, e, rational=False):
            if e.exp.is_Integer:
                return f"({self._print(e.base)})**({int(e.exp)})"
            return f"_ipow({self._print(e.base)}, {self._print(e.exp)})"

        def _print_Max(self, e):
            return "max(" + ", ".join(self._print(a) for a in e.args) + ")"

        def _print_Min(self, e):
            return "min(" + ", ".join(self._print(a) for a in e.args) + ")"

    return _FmpqPrinter


def _rational_program(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable | None:
    """An exact evaluator of ``expr`` over python-flint rationals (``+ − * /``, integer
    powers, rational constants, Max, Min, finite Products) taking and returning ``fmpq``;
    None when ``expr`` has anything else (exp, g_k, ...)."""
    from flint import fmpq

    allowed = (sp.Add, sp.Mul, sp.Pow, sp.Max, sp.Min, sp.Product, sp.Symbol, sp.Tuple)
    for node in sp.preorder_traversal(expr):
        if node.is_Number:
            if not node.is_Rational:
                return None
        elif not isinstance(node, allowed):
            return None
    if expr.has(sp.Product):
        return _product_program(expr, symbols)
    f = sp.lambdify(list(symbols), expr,
                    modules=[{"fmpq": fmpq, "_ipow": _ipow, "max": max, "min": min}],
                    printer=_fmpq_printer())

    def fn(*args):
        return fmpq(f(*[fmpq(a.numerator, a.denominator) if isinstance(a, Fraction)
                        else fmpq(a) for a in args]))

    return fn


def _product_program(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable:
    """A tree-walking exact evaluator (for the finite Products of the eigenvalue part)."""
    from flint import fmpq

    syms = list(symbols)

    def ev(e: sp.Basic, env: dict):
        if e.is_Rational:
            return fmpq(int(e.p), int(e.q))
        if isinstance(e, sp.Symbol):
            return env[e]
        if isinstance(e, sp.Add):
            acc = fmpq(0)
            for a in e.args:
                acc += ev(a, env)
            return acc
        if isinstance(e, sp.Mul):
            acc = fmpq(1)
            for a in e.args:
                acc *= ev(a, env)
            return acc
        if isinstance(e, sp.Pow):
            return _ipow(ev(e.base, env), ev(e.exp, env))
        if isinstance(e, sp.Max):
            return max(ev(a, env) for a in e.args)
        if isinstance(e, sp.Min):
            return min(ev(a, env) for a in e.args)
        if isinstance(e, sp.Product):
            (var, lo, hi), = e.limits
            acc = fmpq(1)
            for t in range(int(ev(lo, env)), int(ev(hi, env)) + 1):
                acc *= ev(e.function, {**env, var: fmpq(t)})
            return acc
        raise _NotRational(str(e))

    def fn(*args):
        return ev(expr, {s: fmpq(Fraction(a).numerator, Fraction(a).denominator)
                         for s, a in zip(syms, args, strict=True)})

    return fn


_G = sp.Symbol("G_k", positive=True)


def _arb_program(expr: sp.Expr) -> Callable[..., arb]:
    """Arb enclosure of a registry expression in (n, p0, k, G) where G stands for g_k
    (substituted so that g_k is enclosed once per k, by gk_arb_values)."""
    from .arb_eval import arb_lambdify
    from .iterated_map import gk
    from .symbols import k, n, p0

    e = expr.xreplace({gk(k): _G})
    if e.has(gk):
        raise NotImplementedError(f"g_k with an argument other than k in {expr}")
    return arb_lambdify(e, [n, p0, k, _G])


def _exact_decide(expr: sp.Expr, n_: int, p0_: Fraction, k_: int | None,
                  value: Fraction) -> int | None:
    """The sign of ``expr(n, p0, k) − value``, certified, or None.

    The exact point is substituted by :func:`rmc_symbolic.certified_sign.rebuild` (every
    constant SymPy would judge numerically becomes a certified ArbConstant); the
    difference is then decided by exact rational arithmetic when it reduces to a rational
    (e.g. ``exp(0) = 1``), by exact rewriting when it reduces to 0
    (:func:`~rmc_symbolic.certified_sign.exact_zero`), else by an Arb enclosure that
    excludes 0 at up to 8192 bits. No ``nsimplify`` guess, no SymPy sign assumption."""
    from .certified_sign import constant_sign, exact_zero, rebuild
    from .symbols import k, n, p0

    env = {n: n_, p0: p0_}
    if k_ is not None:
        env[k] = k_
    d = rebuild(sp.Add(expr, -sp.Rational(value.numerator, value.denominator),
                       evaluate=False), env)
    if isinstance(d, sp.Rational):
        return (d.p > 0) - (d.p < 0)
    if exact_zero(d):
        return 0
    s = constant_sign(d, max_prec=8192)
    return s if s in (1, -1) else None


# --------------------------------------------------------------------------- the sides


@dataclass
class _Side:
    name: str
    part: str          # registry part
    relation: str      # "lower" (part <= value), "upper" (value <= part), "equal"
    quantity: str      # nonzero | nonfull | alive | het | to_one | to_zero
    mirror: bool       # evaluate the part at 1 - p0 (Pr(P_k != 1))


_SIDES: dict[str, list[_Side]] = {
    "theorem1": [
        _Side("lower", "lower", "lower", "nonzero", False),
        _Side("upper", "upper", "upper", "nonzero", False),
        _Side("lower_one", "lower", "lower", "nonfull", True),
        _Side("upper_one", "upper", "upper", "nonfull", True),
    ],
    "theorem1_ext": [
        _Side("lower", "lower", "lower", "alive", False),
        _Side("upper", "upper", "upper", "alive", False),
    ],
    "seddik": [
        _Side("lower", "lower", "lower", "alive", False),
        _Side("upper", "upper", "upper", "alive", False),
    ],
    "wf_heterozygosity": [_Side("exact", "exact", "equal", "het", False)],
    "absorption": [
        _Side("to_one", "to_one", "equal", "to_one", False),
        _Side("to_zero", "to_zero", "equal", "to_zero", False),
    ],
}


def _value_parts(ev: ExactValues, quantity: str, idx: int) -> tuple[fmpz, fmpz]:
    if quantity == "nonzero":
        num, den = ev.raw("p_zero", idx)
        return den - num, den
    if quantity == "nonfull":
        num, den = ev.raw("p_full", idx)
        return den - num, den
    if quantity == "alive":
        return ev.raw("p_alive", idx)
    if quantity == "het":
        return ev.raw("het", idx)
    raise ValueError(quantity)


def _sign_exact(bound, num: fmpz, den: fmpz) -> int:
    """sign(value − bound) for value = num/den (den > 0) and an fmpq bound."""
    lhs = num * bound.q
    rhs = bound.p * den
    return (lhs > rhs) - (lhs < rhs)


def _fraction_of(num, den=None) -> Fraction:
    if den is None:  # an fmpq
        return Fraction(int(num.p), int(num.q))
    return Fraction(int(num), int(den))


# --------------------------------------------------------------------------- the checks


#: seconds per comparison of a bound with the exact chain, and of the exact eventual
#: absorption per (n+1)^3 (the 2-core reference machine; benchmarks/README.md "limits")
_COMPARE_SECONDS = 7e-6
_EVENTUAL_SECONDS = 4e-8


def check_chain_seconds(result_id: str, n_max: int, k_max: int) -> float:
    """Estimated seconds of :func:`check_chain`: per n the exact spectrum once, per start
    i0 the exact values for k = 1..k_max (the cost model of
    :func:`rmc_symbolic.wright_fisher.exact_cost`, without the reduction to lowest terms),
    and one comparison per side, i0 and k."""
    import math

    from . import wright_fisher as wf

    if result_id == "absorption":
        return sum(_EVENTUAL_SECONDS * (n_ + 1) ** 3 for n_ in range(1, n_max + 1))
    sides = len(_SIDES.get(result_id, ())) or 1
    bits_per_k = k_max * (k_max + 1) / 2  # sum of k over 1..k_max
    total = 0.0
    for n_ in range(1, n_max + 1):
        lg = math.log2(n_) if n_ > 1 else 1.0
        bits = n_ * lg * bits_per_k + 64 * k_max
        setup = 0.0 if wf._cached(n_) else wf._SETUP_C * (n_ / 20) ** wf._SETUP_EXP
        spectral = (n_ + 1) * wf._SPECTRAL_PER_BIT * bits
        iterate = (n_ + 1) ** 2 * wf._ITERATE_PER_BIT * (n_ * lg + 64) * bits_per_k
        total += setup + (n_ + 1) * (min(spectral, iterate)
                                     + k_max * sides * _COMPARE_SECONDS)
    return total


def check_chain(result_id: str, n_max: int = 30, k_max: int = 100,
                stop_at_first: bool = True) -> ChainCheck:
    """Hold the registry's ``result_id`` against the exact Wright–Fisher chain for every
    n <= n_max, every i0 in 0..n (p0 = i0/n) and every 1 <= k <= k_max; see
    :class:`ChainCheck`. ``result_id`` is one of :data:`CHECKED_RESULTS`.

    Every comparison is rigorous: exact rationals where the bound is rational; else an Arb
    enclosure of the bound at 80, 256, 1024 bits against the exact chain value, then an
    exact SymPy decision of a remaining tie; what stays open is listed as undecided.
    """
    from .registry import get
    from .symbols import p0 as P0

    if result_id not in _SIDES:
        raise InputError(f"result id {result_id!r} is not checked against the chain "
                         f"(known: {', '.join(CHECKED_RESULTS)})")
    if isinstance(n_max, bool) or not isinstance(n_max, int) or not 1 <= n_max <= 200:
        raise InputError(f"n_max = {n_max} is outside the allowed range [1, 200]")
    if isinstance(k_max, bool) or not isinstance(k_max, int) or not 1 <= k_max <= 10000:
        raise InputError(f"k_max = {k_max} is outside the allowed range [1, 10000]")
    t0 = time.perf_counter()
    res = get(result_id)
    sides = _SIDES[result_id]
    report = ChainCheck(result_id, n_max, k_max, [s.name for s in sides])
    if result_id == "wf_heterozygosity":
        report.sides.append("eigenvalue")

    from .symbols import k as K_
    from .symbols import n as N_

    compiled = []
    for sd in sides:
        expr = res.parts[sd.part]
        rat = _rational_program(expr, [N_, P0, K_])
        arbf = None if rat is not None else _arb_program(expr)
        compiled.append((sd, expr, rat, arbf))

    gk_cache: dict[int, list[arb]] = {}

    def gks(prec: int) -> list[arb]:
        if prec not in gk_cache:
            from .iterated_map import gk_arb_values

            gk_cache[prec] = gk_arb_values(range(1, k_max + 1), prec)
        return gk_cache[prec]

    def finish(v: Violation | None) -> ChainCheck:
        report.violation = v
        if v is None and report.undecided:
            report.violation = report.undecided[0]
        report.seconds = time.perf_counter() - t0
        return report

    def record(v: Violation) -> bool:
        """Return True when the search should stop."""
        if v.decided:
            report.violation = v
            report.stopped_early = stop_at_first
            return stop_at_first
        report.undecided.append(v)
        return False

    for n_ in range(1, n_max + 1):
        if result_id == "wf_heterozygosity":
            report.cases += 1
            report.comparisons += 1
            v = _check_eigenvalues(res, n_)
            report.by_exact += 1
            if v is not None and record(v):
                return finish(v)
        if result_id == "absorption":
            for i0 in range(n_ + 1):
                report.cases += 1
                ez, eo = eventual_absorption(n_, i0)
                p0f = Fraction(i0, n_)
                for sd, _expr, rat, _ in compiled:
                    report.comparisons += 1
                    report.by_exact += 1
                    b = _fraction_of(rat(n_, p0f, 1))
                    val = eo if sd.quantity == "to_one" else ez
                    if b != val:
                        v = Violation(result_id, n_, i0, None, sd.name, _short(b), val,
                                      _short(val - b))
                        if record(v):
                            return finish(v)
            continue
        het = result_id == "wf_heterozygosity"
        ks = list(range(1, k_max + 1))
        for i0 in range(n_ + 1):
            ev = absorption_exact_values(n_, i0, ks, het=het, max_seconds=1e9)
            p0f = Fraction(i0, n_)
            qballs: dict[tuple[bool, int], arb] = {}
            for idx, k_ in enumerate(ks):
                report.cases += 1
                vballs: dict[tuple[str, int], arb] = {}
                for sd, expr, rat, arbf in compiled:
                    report.comparisons += 1
                    q = 1 - p0f if sd.mirror else p0f
                    num, den = _value_parts(ev, sd.quantity, idx)
                    if rat is not None:
                        b = rat(n_, q, k_)
                        sgn = _sign_exact(b, num, den)
                        report.by_exact += 1
                        ok = (sgn == 0) if sd.relation == "equal" else (
                            sgn >= 0 if sd.relation == "lower" else sgn <= 0)
                        if not ok:
                            val, bq = _fraction_of(num, den), _fraction_of(b)
                            margin = (val - bq) if sd.relation != "upper" else (bq - val)
                            v = Violation(result_id, n_, i0, k_, sd.name, _short(bq), val,
                                          _short(margin))
                            if record(v):
                                return finish(v)
                        continue
                    verdict, b_ball, m_ball = _decide_arb(
                        arbf, sd, n_, q, k_, idx, num, den, gks, qballs, vballs)
                    if verdict is None:
                        val = _fraction_of(num, den)
                        sgn = _exact_decide(expr, n_, q, k_, val)
                        if sgn is not None:
                            report.by_exact += 1
                            ok = sgn <= 0 if sd.relation == "lower" else sgn >= 0
                            if not ok:
                                v = Violation(result_id, n_, i0, k_, sd.name, b_ball.str(12),
                                              val, m_ball.str(6))
                                if record(v):
                                    return finish(v)
                            continue
                        v = Violation(result_id, n_, i0, k_, sd.name, b_ball.str(12), val,
                                      m_ball.str(6), decided=False)
                        record(v)
                        continue
                    report.by_enclosure += 1
                    if not verdict:
                        val = _fraction_of(num, den)
                        v = Violation(result_id, n_, i0, k_, sd.name, b_ball.str(12), val,
                                      m_ball.str(6))
                        if record(v):
                            return finish(v)
    return finish(report.violation)


def _decide_arb(arbf, sd: _Side, n_: int, q: Fraction, k_: int, idx: int,
                num: fmpz, den: fmpz, gks, qballs: dict, vballs: dict
                ) -> tuple[bool | None, arb, arb]:
    """(holds?, bound ball, margin ball) by Arb at rising precision; holds is None when
    no precision in _PRECS separates the margin from 0."""
    from flint import fmpq

    old = ctx.prec
    try:
        for prec in _PRECS:
            ctx.prec = prec
            qb = qballs.get((sd.mirror, prec))
            if qb is None:
                qb = qballs[(sd.mirror, prec)] = arb(fmpq(q.numerator, q.denominator))
            val = vballs.get((sd.quantity, prec))
            if val is None:
                val = vballs[(sd.quantity, prec)] = arb(num) / arb(den)
            b = arbf(arb(n_), qb, arb(k_), gks(prec)[idx])
            m = (val - b) if sd.relation == "lower" else (b - val)
            if not m.is_finite():
                continue
            if m >= 0:
                return True, b, m
            if m < 0:
                return False, b, m
        return None, b, m
    finally:
        ctx.prec = old


def _check_eigenvalues(res, n_: int) -> Violation | None:
    """The registry's ``eigenvalue`` part for j = 0..n against the characteristic
    polynomial of the integer matrix n^n T (exact)."""
    from .symbols import j as J_
    from .symbols import n as N_

    rat = _rational_program(res.parts["eigenvalue"], [N_, J_])
    scale = fmpz(n_) ** n_
    expected = fmpz_poly([1])
    for jj in range(n_ + 1):
        lam = _fraction_of(rat(n_, jj))
        r = lam * int(scale)
        if r.denominator != 1:
            return Violation("wf_heterozygosity", n_, None, None, "eigenvalue",
                             _short(lam), None, "n^n lambda_j is not an integer")
        expected *= fmpz_poly([-r.numerator, 1])
    got = fmpz_mat(transition_matrix_int(n_)).charpoly()
    if got != expected:
        return Violation("wf_heterozygosity", n_, None, None, "eigenvalue",
                         "prod (x - n^n lambda_j)", None,
                         "the characteristic polynomial of n^n T differs")
    return None


def first_violation(result_id: str, n_max: int = 30, k_max: int = 100) -> Violation | None:
    """The first (n, i0, k, side) — in the order n, i0, k, side — where the registry's
    ``result_id`` fails against the exact Wright–Fisher chain, over every n <= n_max, every
    i0 in 0..n (p0 = i0/n) and every 1 <= k <= k_max; None when it holds everywhere.

    ``result_id``: ``theorem1`` (Pr(P_k ≠ 0), and Pr(P_k ≠ 1) with p0 -> 1 − p0),
    ``theorem1_ext``, ``seddik`` (Pr(P_k ∉ {0,1})), ``absorption`` (eventual absorption,
    k-free), ``wf_heterozygosity`` (E[P_k(1 − P_k)] and the eigenvalues). A case that can be
    decided neither by enclosures nor exactly is returned with ``decided=False`` (only if no
    case fails); :func:`check_chain` gives the full account (counts, undecided cases).

    >>> first_violation("seddik", n_max=4, k_max=5) is None
    True
    """
    return check_chain(result_id, n_max, k_max).violation
