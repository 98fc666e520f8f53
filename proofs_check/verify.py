"""``verify(claim, vars, ints, timeout) -> Report``: check the user's own claim.

What may decide a verdict (the soundness rule): Arb enclosures (python-flint), exact
rational arithmetic, and SymPy identities obtained by exact rewriting of expressions in
which every numeric constant SymPy would judge numerically is a certified
:class:`~rmc_symbolic.certified_sign.ArbConstant`. Never SymPy's ``is_positive`` &c.,
``evalf``, ``nsimplify``, floats, or sampling.

Steps (each a *phase*; the report names the phase in which time ran out):

0. **domain** — the claim *as written* (before any simplification) is defined on the whole
   box: every ``log``/``loggamma`` argument > 0, ``sqrt`` and real-power bases >= 0 (> 0),
   divisors != 0, no pole of ``gamma``, ``g(k)`` at integers k >= 1
   (:class:`~proofs_check.claim_parser.Condition`). A condition refuted at a point is an
   :class:`~rmc_symbolic.errors.InputError` (exit code 2); one that can be neither certified
   nor refuted leaves the claim at best CHECKED;
1. **symbolic** — SymPy simplifies ``rhs - lhs`` to 0: an identity (EXACT for ``==``,
   ``<=``, ``>=``; FAILED for ``<``, ``>``). Runs in a killable child process with its own
   time limit;
2. **enclosure** — Arb branch-and-bound over the whole box (:mod:`proofs_check.enclosure`):
   PROVED, with a certified lower bound of the margin valid on every piece of the box;
3. **touch points** — where the enclosures could not settle a piece, exact rational points
   are tried: the simplest rational in each unsettled piece, its corners, and the rational
   roots of ``rhs - lhs`` that SymPy finds exactly (each re-checked by Arb/exact
   arithmetic); for ``==`` also the ends and the middle of the box: an Arb ball that
   excludes 0 refutes an equality at once;
4. **sampling** — Hypothesis draws exact points, Arb at ~50 digits flags candidates: no
   counterexample = CHECKED (never PROVED).

A FAILED report's counterexample is re-verified by an Arb enclosure of ``rhs - lhs`` at that
exact point (decimal inputs read as exact rationals) which excludes the claimed relation,
at a point where the claim is certified to be defined; ``margin`` is that value
(``rhs - lhs``, an Arb midpoint, ~15 digits). For PROVED reports, ``margin`` is a certified
lower bound of ``rhs - lhs`` (``>=`` claims: of ``lhs - rhs``) over the whole domain, when
the certificates provide one.

The whole check runs in a forked child process (:mod:`proofs_check.deadline`) killed at
``timeout`` + :data:`GRACE` seconds: whatever phase it is in, ``verify`` returns by then
(UNDECIDED, naming the phase).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from rmc_symbolic.certified_sign import (
    constant_sign,
    exact_zero,
    symbolic_safe,
    variables_of,
)
from rmc_symbolic.errors import InputError
from rmc_symbolic.parsing import parse_exact

from . import deadline as dl
from .claim_parser import Claim, Condition, parse_claim
from .enclosure import Outcome, Var, decimal_text, nice_point, prove_relation
from .sampling import PointCheck, arb_check_point, search
from .status import Report, Status

__all__ = ["verify", "DEFAULT_TIMEOUT", "MAX_TIMEOUT", "parse_range", "parse_timeout",
           "simplest_rational"]

#: seconds for the whole check when the caller passes ``timeout=None``
DEFAULT_TIMEOUT = 120.0
#: the longest time limit accepted (seconds; 11.6 days)
MAX_TIMEOUT = 10**6
#: seconds the hard limit adds to ``timeout`` before the check process is killed
GRACE = 2.0
#: share of the time by which the domain conditions must be settled
DOMAIN_SHARE = 0.2
#: the symbolic step's time limit: 1 s + this share of the total, at most
#: SYMBOLIC_MAX_SECONDS (identities simplify in well under a second; a simplify that runs
#: longer rarely ends at all)
SYMBOLIC_SHARE = 0.05
SYMBOLIC_MAX_SECONDS = 10.0
#: share of the time by which the enclosures must end (the rest: touch points, sampling)
ENCLOSURE_SHARE = 0.75
#: share of the time by which the touch points must be tried
TOUCH_SHARE = 0.8
#: the symbolic step is skipped for expressions with more operations than this
SYMBOLIC_MAX_OPS = 60
#: boxes per domain condition
DOMAIN_BOXES = 20_000
#: the largest |exponent| and the most characters of a range end or a time limit
MAX_END_EXP10 = 1000
MAX_END_CHARS = 1000

_GK_NOTE = ("g_k for k > 2^16: a certified Abel-function enclosure (truncated Abel "
            "function, its defect bounded by Cauchy's estimate, summed with g_j <= 2/(j+1) "
            "of lemma2_sharp.upper; rmc_symbolic.arb_eval.gk_arb_large), not an iteration")
_INT_NOTE = ("integer variables: intervals of integers are enclosed over their real hull "
             "(which contains the integers), split down to single integers where needed")


# --------------------------------------------------------------------------- inputs


_POWER_END = re.compile(r"^([+-]?)(\d{1,4})\*\*(\d{1,4})$")
_EXP10 = re.compile(r"[eE]([+-]?\d+)")


def _parse_number(text, name: str) -> Fraction:
    """An exact number for a range end or a time limit: what :func:`parse_exact` reads
    (``0.01``, ``1e-25``, ``1/3``) and integer powers such as ``10**18``; sizes are checked
    *before* anything is computed (``1e400000000`` is refused, not built)."""
    if isinstance(text, bool):
        raise InputError(f"{name}: {text!r} is not a number")
    if isinstance(text, (int, Fraction)):
        return Fraction(text)
    if isinstance(text, float):
        if not math.isfinite(text):
            raise InputError(f"{name}: {text!r} is not a finite number")
        text = repr(text)
    t = str(text).strip().replace("_", "")
    if len(t) > MAX_END_CHARS:
        raise InputError(f"{name}: more than {MAX_END_CHARS} characters")
    m = _POWER_END.match(t)
    if m:
        base, e = int(m.group(2)), int(m.group(3))
        if base > 1 and e * math.log10(base) > MAX_END_EXP10:
            raise InputError(f"{name} = {t} is beyond 10^{MAX_END_EXP10}")
        v = Fraction(base) ** e
        return -v if m.group(1) == "-" else v
    for ex in _EXP10.findall(t):
        if len(ex) > 6 or abs(int(ex)) > MAX_END_EXP10:
            raise InputError(f"{name} = {t}: the exponent is beyond 10^±{MAX_END_EXP10}")
    return parse_exact(t, name)


def parse_range(name: str, spec, integer: bool) -> tuple[Fraction, Fraction]:
    """Read a range ``"lo:hi"`` (or a pair) as exact rationals (integers for ``integer``);
    empty or inverted ranges raise :class:`InputError`. Ends may be integers, decimals,
    rationals (``1/3``) or integer powers (``10**18``), up to 10^±1000."""
    kind = "--int" if integer else "--var"
    if isinstance(spec, str):
        text = spec.strip()
        # split at the ':' that separates the bounds (bounds may be negative or rationals)
        if text.count(":") != 1:
            raise InputError(f"{kind} {name}={spec}: write the range as lo:hi "
                             "(e.g. 0:1, -0.99:1000, 1/3:2)")
        lo_s, hi_s = text.split(":")
    else:
        try:
            lo_s, hi_s = spec
        except (TypeError, ValueError):
            raise InputError(f"{kind} {name}: the range must be (lo, hi)") from None
    lo = _parse_number(lo_s, f"{name} (low end)")
    hi = _parse_number(hi_s, f"{name} (high end)")
    if integer and (lo.denominator != 1 or hi.denominator != 1):
        raise InputError(f"{kind} {name}={lo_s}:{hi_s}: the ends of an integer range must be "
                         "integers")
    if lo > hi:
        raise InputError(f"{kind} {name}={lo_s}:{hi_s}: empty range (low end > high end)")
    return lo, hi


def parse_timeout(timeout) -> float:
    """The time limit in seconds: ``None`` gives :data:`DEFAULT_TIMEOUT`; anything else must
    lie in ``(0, MAX_TIMEOUT]`` (read exactly: ``"1e400"`` is refused, not overflowed)."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    q = _parse_number(timeout, "timeout")
    if not 0 < q <= MAX_TIMEOUT:
        raise InputError(f"timeout = {timeout} is outside the allowed range "
                         f"(0, {MAX_TIMEOUT}] seconds")
    return float(q)


# --------------------------------------------------------------------------- reports


def _domain_text(variables: list[Var]) -> str:
    return ", ".join(v.text() for v in variables) or "(no variables)"


def _statement(claim: Claim) -> str:
    parts = []
    for i, (lhs, op, rhs) in enumerate(claim.relations):
        if i == 0:
            parts.append(sp.sstr(lhs))
        parts.append(op)
        parts.append(sp.sstr(rhs))
    return " ".join(parts)


def _fmt_ball(b) -> str:
    """The midpoint of an Arb ball as a decimal string (~15 significant digits)."""
    import mpmath

    from rmc_symbolic.iterated_map import arb_mid_to_mpf

    v = arb_mid_to_mpf(b)
    if v == 0:
        return "0"
    return mpmath.nstr(v, 15, min_fixed=-4, max_fixed=16)


def _point_text(point: Mapping[sp.Symbol, Fraction]) -> dict[str, str]:
    return {str(s): decimal_text(q) for s, q in point.items()}


def _point_in(point: Mapping[sp.Symbol, Fraction], variables: list[Var]
              ) -> dict[sp.Symbol, Fraction]:
    """The counterexample over every declared variable (unused ones at their low end)."""
    return {v.symbol: point.get(v.symbol, v.lo) for v in variables}


@dataclass
class _Setup:
    """Everything the check needs, prepared (and validated) in the calling process."""

    parsed: Claim
    variables: list[Var]
    active: list[Var]
    domain: str
    statement: str
    total: float
    t0: float
    notes: list[str] = field(default_factory=list)

    def report(self, status, method, detail="", margin=None, cex=None) -> Report:
        return Report(claim=self.parsed.text, statement=self.statement, status=status,
                      method=method, domain=self.domain, detail=detail,
                      counterexample=cex, margin=margin,
                      seconds=time.monotonic() - self.t0)

    def at(self, share: float) -> float:
        return self.t0 + share * self.total

    def left(self) -> float:
        return self.t0 + self.total - time.monotonic()


def _failed(st: _Setup, point, chk: PointCheck, method: str, detail: str = "") -> Report:
    claim = st.parsed
    lhs, op, rhs = claim.relations[chk.index]
    rel = f"{sp.sstr(lhs)} {op} {sp.sstr(rhs)}"
    how = (f"Arb enclosure of rhs - lhs at this exact point, {chk.prec} bits, excludes "
           f"'{op}'")
    if chk.exact_zero:
        how = "rhs - lhs is exactly 0 at this point (exact rewriting), which violates " \
              f"'{op}'"
    det = f"violated: {rel}; re-verified: {how}"
    if detail:
        det += f"; {detail}"
    ball = chk.ball
    if not chk.exact_zero:  # the printed margin: recomputed at >= 256 bits, 15 digits
        from flint import ctx

        from rmc_symbolic.arb_eval import arb_from_fraction, arb_lambdify

        syms = list(point)
        old = ctx.prec
        try:
            ctx.prec = max(256, chk.prec)
            b = arb_lambdify(sp.sympify(rhs) - sp.sympify(lhs), syms)(
                *[arb_from_fraction(point[s]) for s in syms])
            if b.is_finite():
                ball = b
        finally:
            ctx.prec = old
    return st.report(Status.FAILED, method, det, cex=_point_text(point),
                     margin="0" if chk.exact_zero else _fmt_ball(ball))


# --------------------------------------------------------------------------- step 0: domain


@dataclass
class _Domain:
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def certified(self) -> bool:
        return not self.unknown


class _Refuted(Exception):
    pass


def _where(point) -> str:
    return ", ".join(f"{s} = {decimal_text(q)}" for s, q in point.items())


def _prove(lhs, op, rhs, variables, deadline) -> Outcome:
    vs = [v for v in variables if v.symbol in
          (variables_of(sp.sympify(lhs)) | variables_of(sp.sympify(rhs)))]
    return prove_relation(sp.sympify(lhs), op, sp.sympify(rhs), vs, deadline=deadline,
                          max_boxes=DOMAIN_BOXES, use_log=False)


def _value_at(expr: sp.Expr, point, max_prec: int = 1024):
    """An Arb ball of ``expr`` at the exact point (finite, at the lowest of 64..max_prec
    bits that decides its sign), or None."""
    from flint import ctx

    from rmc_symbolic.arb_eval import arb_from_fraction, arb_lambdify

    syms = list(point)
    try:
        fn = arb_lambdify(expr, syms)
    except NotImplementedError:
        return None
    old = ctx.prec
    ball = None
    try:
        prec = 64
        while prec <= max_prec:
            ctx.prec = prec
            b = fn(*[arb_from_fraction(point[s]) for s in syms])
            if b.is_finite():
                ball = b
                if not b.contains(0):
                    break
            prec *= 2
    finally:
        ctx.prec = old
    return ball


def _is_zero_at(expr, point) -> bool:
    return exact_zero(expr, {s: q for s, q in point.items()})


def _nonzero_factors(e: sp.Expr) -> list[sp.Expr]:
    """Expressions whose being != 0 implies ``e != 0`` where ``e`` is defined: exp and
    gamma have no zeros, a product is 0 only where a factor is, ``b**y`` only where b is
    (none for y < 0), a constant by its certified sign."""
    if not variables_of(e):
        return [] if constant_sign(e) in (1, -1) else [e]
    if isinstance(e, (sp.exp, sp.gamma, sp.cosh)):
        return []
    if isinstance(e, sp.Mul):
        return [f for a in e.args for f in _nonzero_factors(a)]
    if isinstance(e, sp.Pow):
        b, y = e.args
        if isinstance(y, sp.Rational) and y < 0:
            return []
        return _nonzero_factors(b)
    return [e]


def _nonzero(c: Condition, expr: sp.Expr, variables, deadline, prior_ok: bool) -> str:
    """expr != 0 on the box: "ok", or raises _Refuted, or "unknown"."""
    factors = _nonzero_factors(expr)
    if all(_prove(0, "<", f, variables, deadline).status == "proved" or
           _prove(f, "<", 0, variables, deadline).status == "proved" for f in factors):
        return "ok"
    pos = _prove(0, "<", expr, variables, deadline)
    if pos.status == "proved":
        return "ok"
    neg = _prove(expr, "<", 0, variables, deadline)
    if neg.status == "proved":
        return "ok"
    pts = [o.point for o in (pos, neg) if o.status == "failed" and o.point]
    for p in pts:
        if _is_zero_at(expr, p):
            raise _Refuted(f"{c.where} needs {sp.sstr(expr)} != 0, but it is 0 at "
                           f"{_where(p)}")
    # a sign change along the (convex) box of real variables, with expr continuous there
    vs = variables_of(expr)
    if pos.status == "failed" and neg.status == "failed" and prior_ok and \
            all(not v.integer for v in variables if v.symbol in vs):
        a, b = _value_at(expr, pos.point), _value_at(expr, neg.point)
        if a is not None and b is not None and a < 0 and b > 0:
            raise _Refuted(f"{c.where} needs {sp.sstr(expr)} != 0, but it changes sign "
                           f"between {_where(pos.point)} and {_where(neg.point)}, so it "
                           "vanishes in between")
    for p in _candidate_points(expr, variables, [pos, neg], deadline):
        if _is_zero_at(expr, p):
            raise _Refuted(f"{c.where} needs {sp.sstr(expr)} != 0, but it is 0 at "
                           f"{_where(p)}")
    return "unknown"


def _decide(c: Condition, variables: list[Var], deadline: float, prior_ok: bool) -> str:
    """One condition on the box: "ok" (certified), "unknown", or raises _Refuted."""
    e = c.expr
    if c.kind in ("pos", "nonneg", "int_ge1"):
        op = "<" if c.kind == "pos" else "<="
        low = 1 if c.kind == "int_ge1" else 0
        out = _prove(low, op, e, variables, deadline)
        if out.status == "proved":
            return "ok"
        if out.status == "failed" and out.point:
            need = (f"{sp.sstr(e)} {'>' if op == '<' else '>='} {low}" if low == 0 else
                    f"an integer k >= 1 (here k = {sp.sstr(e)})")
            raise _Refuted(f"{c.where} needs {need}, which fails at {_where(out.point)}")
        return "unknown"
    if c.kind == "nonzero":
        return _nonzero(c, e, variables, deadline, prior_ok)
    if c.kind == "intpow":
        y = c.exponent
        if _prove(0, "<=", y, variables, deadline).status == "proved":
            return "ok"
        return _nonzero(c, e, variables, deadline, prior_ok)
    if c.kind == "pow":
        y = c.exponent
        ypos = (constant_sign(y) == 1) if not variables_of(y) else \
            _prove(0, "<", y, variables, deadline).status == "proved"
        out = _prove(0, "<=" if ypos else "<", e, variables, deadline)
        if out.status == "proved":
            return "ok"
        if out.status == "failed" and out.point:
            bv = _value_at(e, out.point)
            yv = _value_at(y, out.point) if variables_of(y) else None
            if bv is not None and bv < 0 and (yv is None and not variables_of(y) or
                                              yv is not None and _off_integers(yv)):
                raise _Refuted(f"{c.where}: a negative base to a non-integer power at "
                               f"{_where(out.point)}")
            if not ypos and _is_zero_at(e, out.point) and (
                    not variables_of(y) or (yv is not None and yv <= 0)):
                raise _Refuted(f"{c.where}: 0 to a power <= 0 at {_where(out.point)}")
        return "unknown"
    if c.kind == "not_pole":
        if _prove(0, "<", e, variables, deadline).status == "proved":
            return "ok"
        from rmc_symbolic.arb_eval import arb_bounds, arb_interval, arb_lambdify

        vs = [v for v in variables if v.symbol in variables_of(e)]
        try:
            ball = arb_lambdify(e, [v.symbol for v in vs])(
                *[arb_interval(v.lo, v.hi) for v in vs])
        except NotImplementedError:
            return "unknown"
        if not ball.is_finite():
            return "unknown"
        lo, hi = arb_bounds(ball)
        poles = range(math.ceil(lo), min(0, math.floor(hi)) + 1)
        if len(poles) > 20:
            return "unknown"
        verdict = "ok"
        for m in poles:
            shifted = Condition("nonzero", sp.Add(e, -m), None, c.where)
            if _nonzero(shifted, shifted.expr, variables, deadline, prior_ok) != "ok":
                verdict = "unknown"
        return verdict
    raise ValueError(c.kind)  # pragma: no cover


def _off_integers(ball) -> bool:
    from rmc_symbolic.arb_eval import arb_bounds

    lo, hi = arb_bounds(ball)
    return math.floor(lo) == math.floor(hi) and lo != math.floor(lo)


def _certify_conditions(st: _Setup) -> _Domain:
    """Step 0: the claim as written is defined on the whole box (see the module docstring).
    Raises InputError when a condition is refuted."""
    dom = _Domain()
    deadline = st.at(DOMAIN_SHARE)
    prior_ok = True
    for c in st.parsed.conditions:
        if time.monotonic() > deadline:
            dom.unknown.append(f"{c.text()} (not checked: time limit)")
            prior_ok = False
            continue
        try:
            verdict = _decide(c, st.active, deadline, prior_ok)
        except _Refuted as e:
            raise InputError(f"claim: not defined on the whole domain: {e}") from None
        if verdict == "ok":
            dom.notes.append(f"defined: {c.text()} (certified)")
        else:
            dom.unknown.append(c.text())
            prior_ok = False
    return dom


def _defined_at(st: _Setup, dom: _Domain, point) -> bool:
    """At an exact point: every condition of the claim as written is certified there (Arb
    balls / exact arithmetic). Always True once the domain is certified."""
    if dom.certified:
        return True
    for c in st.parsed.conditions:
        if not _condition_at(c, point):
            return False
    return True


def _condition_at(c: Condition, point) -> bool:
    sub = {s: q for s, q in point.items()
           if s in variables_of(c.expr) | (variables_of(c.exponent)
                                          if c.exponent is not None else set())}
    b = _value_at(c.expr, sub)
    if b is None:
        return False
    if c.kind == "pos":
        return bool(b > 0)
    if c.kind == "nonneg":
        return bool(b >= 0) or exact_zero(c.expr, sub)
    if c.kind == "nonzero":
        return not b.contains(0)
    if c.kind == "intpow":
        y = _value_at(c.exponent, sub)
        return not b.contains(0) or (y is not None and bool(y >= 0))
    if c.kind == "int_ge1":
        return bool(b >= 1)
    if c.kind == "pow":
        return bool(b > 0)
    if c.kind == "not_pole":
        return bool(b > 0) or _off_integers(b)
    return False


# --------------------------------------------------------------------------- step 1: symbolic


def _simplify_to_zero(ds: list) -> list[bool]:
    """SymPy's simplify of each difference is the integer 0 (run in a killable child)."""
    return [sp.simplify(d) == 0 for d in ds]


def _nonzero_somewhere(d: sp.Expr, active: list[Var]) -> bool:
    """An Arb ball of ``d`` excludes 0 at the middle or at the golden-section point of the
    box (so ``d`` is not identically 0 there)."""
    vs = [v for v in active if v.symbol in variables_of(d)]
    golden = Fraction(6180339887, 10**10)
    points = [{v.symbol: (nice_point(v.lo, v.hi) if not v.integer else
                          Fraction((v.lo + v.hi) // 2)) for v in vs},
              {v.symbol: (v.lo + (v.hi - v.lo) * golden if not v.integer else
                          Fraction(math.floor(v.lo + (v.hi - v.lo) * golden)))
               for v in vs}]
    for p in points:
        b = _value_at(d, p, max_prec=256)
        if b is not None and not b.contains(0):
            return True
    return False


def _symbolic(st: _Setup) -> tuple[str, int | None, str]:
    """("exact", None, note) when every rhs - lhs simplifies to 0 (and the relations allow
    equality), ("false", i, note) when relation i is strict and rhs - lhs is identically 0,
    ("", None, note) otherwise."""
    ds = []
    for lhs, _, rhs in st.parsed.relations:
        d = sp.sympify(rhs) - sp.sympify(lhs)
        if not symbolic_safe(d, SYMBOLIC_MAX_OPS):
            return ("", None, "")
        ds.append(d)
    # an identity vanishes everywhere: a point of the box where an Arb ball of rhs - lhs
    # excludes 0 rules it out without asking SymPy (the common case, and the fast one)
    zero: list[bool | None] = [True if d == 0 else
                               (False if _nonzero_somewhere(d, st.active) else None)
                               for d in ds]
    todo = [i for i, z in enumerate(zero) if z is None]
    if todo:
        budget = min(SYMBOLIC_MAX_SECONDS, 1 + SYMBOLIC_SHARE * st.total,
                     0.5 * max(0.0, st.left()))
        if budget < 0.05:
            return ("", None, "symbolic step skipped (no time left)")
        kind, val = dl.run_killable(_simplify_to_zero, ([ds[i] for i in todo],), budget)
        if kind != "ok":
            note = (f"symbolic step stopped at its time limit ({budget:.3g} s)"
                    if kind == "timeout" else f"symbolic step failed ({kind})")
            return ("", None, note)
        for i, z in zip(todo, val, strict=True):
            zero[i] = z
    for i, (_, op, _) in enumerate(st.parsed.relations):
        if zero[i] and op in ("<", ">"):
            return ("false", i, "")
    if all(zero):
        return ("exact", None, "")
    return ("", None, "")


# --------------------------------------------------------------------------- step 3: touch points


def simplest_rational(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator (then numerator) in ``[lo, hi]``.

    >>> simplest_rational(Fraction("0.3333"), Fraction("0.3334"))
    Fraction(1, 3)
    >>> simplest_rational(Fraction(-7, 2), Fraction(-3))
    Fraction(-3, 1)
    """
    lo, hi = Fraction(lo), Fraction(hi)
    if lo > hi:
        raise ValueError("empty interval")
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -simplest_rational(-hi, -lo)
    # continued fractions of the two ends, until they part
    terms: list[int] = []
    a, b = lo, hi
    for _ in range(10_000):
        fa = math.floor(a)
        if fa != a and fa + 1 <= b or fa == a:
            terms.append(fa if fa == a else fa + 1)
            break
        terms.append(fa)
        a, b = 1 / (b - fa), 1 / (a - fa)
    else:  # pragma: no cover - rationals have finite continued fractions
        return lo
    q = Fraction(terms[-1])
    for t in reversed(terms[:-1]):
        q = t + 1 / q
    return q


def _rational_roots(d: sp.Expr, x: sp.Symbol) -> list:
    """Rational roots of d in x that SymPy finds exactly (run in a killable child; each one
    is re-checked by the caller with exact arithmetic / Arb)."""
    out = []
    for r in sp.solve(d, x):
        if isinstance(r, sp.Rational):
            out.append(Fraction(int(r.p), int(r.q)))
    return out


def _candidate_points(expr: sp.Expr, variables: list[Var], outcomes: list[Outcome],
                      deadline: float) -> list[dict]:
    """Exact points where ``expr`` may vanish: the simplest rational of each unsettled
    piece (and its corners), and exact rational roots (one real variable)."""
    pts: list[dict] = []
    seen = set()

    def add(p):
        key = tuple(sorted((str(s), q) for s, q in p.items()))
        if key not in seen:
            seen.add(key)
            pts.append(p)

    for o in outcomes:
        for piece in o.unresolved[:8]:
            add({s: (simplest_rational(lo, hi) if not _is_int(s, variables) else
                     Fraction((lo + hi) // 2)) for s, (lo, hi) in piece.items()})
            add({s: lo for s, (lo, _) in piece.items()})
            add({s: hi for s, (_, hi) in piece.items()})
    vs = [v for v in variables if v.symbol in variables_of(expr)]
    if len(vs) == 1 and not vs[0].integer and symbolic_safe(expr, SYMBOLIC_MAX_OPS):
        budget = min(3.0, deadline - time.monotonic())
        if budget > 0.05:
            kind, roots = dl.run_killable(_rational_roots, (expr, vs[0].symbol), budget)
            if kind == "ok":
                for r in roots:
                    if vs[0].lo <= r <= vs[0].hi:
                        add({vs[0].symbol: r})
    return pts


def _is_int(sym, variables) -> bool:
    return any(v.symbol == sym and v.integer for v in variables)


def _fill(point: dict, active: list[Var]) -> dict:
    return {v.symbol: point.get(v.symbol, v.lo) for v in active}


# --------------------------------------------------------------------------- the check


def verify(
    claim: str,
    vars: Mapping[str, object] | None = None,  # noqa: A002 - the documented name
    ints: Mapping[str, object] | None = None,
    timeout: float | str | Fraction | None = None,
    *,
    isolate: bool = True,
) -> Report:
    """Check the user's claim over the box ``vars`` (real ranges) x ``ints`` (integer
    ranges) and return a :class:`~proofs_check.status.Report`.

    ``vars``/``ints`` map names to ``"lo:hi"`` strings or ``(lo, hi)`` pairs of exact
    numbers (``"0.01"``, ``"1/3"``, ``"10**18"``, ints, Fractions). ``timeout`` (seconds,
    at most :data:`MAX_TIMEOUT`; default :data:`DEFAULT_TIMEOUT`) bounds the whole check:
    with ``isolate`` (default) it runs in a child process that is killed at ``timeout`` +
    :data:`GRACE` seconds, whatever it is doing. Bad input, and claims not defined on the
    whole box, raise :class:`~rmc_symbolic.errors.InputError`.

    >>> r = verify("2*x/(2+x) <= log(1+x)", vars={"x": "0:1000"})
    >>> str(r.status), r.domain
    ('PROVED', 'x in [0, 1000]')
    """
    t0 = time.monotonic()
    total = parse_timeout(timeout)
    vars = dict(vars or {})
    ints = dict(ints or {})
    ranges = {nm: parse_range(nm, spec, False) for nm, spec in vars.items()}
    iranges = {nm: parse_range(nm, spec, True) for nm, spec in ints.items()}
    parsed = parse_claim(claim, real=list(ranges), ints=list(iranges))
    variables = [Var(parsed.symbols[nm], lo, hi, False) for nm, (lo, hi) in ranges.items()]
    variables += [Var(parsed.symbols[nm], lo, hi, True) for nm, (lo, hi) in iranges.items()]
    used = set().union(*[(variables_of(a) | variables_of(b)) for a, _, b in parsed.relations])
    for c in parsed.conditions:
        used |= variables_of(c.expr)
        if c.exponent is not None:
            used |= variables_of(c.exponent)
    active = [v for v in variables if v.symbol in used]
    st = _Setup(parsed, variables, active, _domain_text(variables), _statement(parsed),
                total, t0)
    if not (isolate and dl.can_fork()):
        return _check(st)
    out = dl.run_isolated(_check, (st,), max(0.0, t0 + total + GRACE - time.monotonic()))
    if out.kind == "ok":
        return out.value
    if out.kind == "raised":
        if isinstance(out.value, InputError):
            raise InputError(str(out.value))
        raise out.value
    ph = out.phase or "start"
    if out.kind == "timeout":
        return st.report(Status.UNDECIDED, f"time limit ({total:g} s)",
                         f"the check was stopped at its time limit ({total:g} s) during "
                         f"the {ph} phase; nothing was established")
    if out.kind == "memory":
        return st.report(Status.UNDECIDED, "memory limit",
                         f"the check ran out of memory during the {ph} phase "
                         f"(limit: {dl.MEMORY_LIMIT // 2**30} GiB beyond the caller's)")
    return st.report(Status.UNDECIDED, "the check process died",
                     f"the check process ended without a result during the {ph} phase "
                     f"({out.value})")


def _check(st: _Setup) -> Report:
    parsed, variables, active = st.parsed, st.variables, st.active
    notes: list[str] = []

    # 0. the domain, as written
    dl.phase("domain")
    dom = _certify_conditions(st)
    if not dom.certified:
        notes.append("not certified that the claim is defined on the whole domain: "
                     + "; ".join(dom.unknown))

    # 1. symbolic (needs the domain: an identity of expressions defined everywhere)
    dl.phase("symbolic")
    if dom.certified:
        kind, idx, note = _symbolic(st)
        if note:
            notes.append(note)
        if kind == "exact":
            return st.report(Status.EXACT, "symbolic: SymPy simplifies rhs - lhs to 0",
                             "an identity: holds for every value of the variables; "
                             "the claim is defined on the whole domain (certified)")
        if kind == "false":
            pt = {v.symbol: v.lo for v in variables}
            chk = arb_check_point([parsed.relations[idx]], pt)
            if chk is not None:
                chk.index = idx
                return _failed(st, pt, chk, "symbolic (SymPy)",
                               "rhs - lhs is identically 0, so the strict relation never "
                               "holds")

    # 2. rigorous enclosures of the inequalities
    dl.phase("enclosure")
    deadline = st.at(ENCLOSURE_SHARE)
    outcomes: list[tuple[int, Outcome]] = []
    pending = []
    for i, (lhs, op, rhs) in enumerate(parsed.relations):
        if op == "==":
            pending.append(i)
            continue
        rel_vars = [v for v in active if v.symbol in (variables_of(lhs) | variables_of(rhs))]
        out = prove_relation(lhs, op, rhs, rel_vars, deadline=deadline)
        outcomes.append((i, out))
        if out.status == "failed":
            pt = _point_in(out.point, variables)
            chk = arb_check_point([parsed.relations[i]], pt)
            if chk is not None and _defined_at(st, dom, pt):
                chk.index = i
                return _failed(st, pt, chk, out.method_text())
            pending.append(i)
        elif out.status != "proved":
            pending.append(i)

    for _, out in outcomes:
        if out.notes:
            notes.extend(n for n in out.notes if n not in notes)
    if any(v.integer for v in active):
        notes.append(_INT_NOTE)
    if _large_g(st):
        notes.append(_GK_NOTE)

    if not pending and dom.certified:
        methods = "; ".join(out.method_text() for _, out in outcomes)
        margins = [out.lower_bound for _, out in outcomes]
        margin = None
        if all(m is not None for m in margins) and margins:
            margin = _fmt_fraction_down(min(margins))
            if len(outcomes) == 1:
                notes.insert(0, f"certified: rhs - lhs >= {margin} on the whole domain"
                             if parsed.relations[0][1] in ("<=", "<") else
                             f"certified: lhs - rhs >= {margin} on the whole domain")
            else:
                notes.insert(0, f"certified: in every relation, the larger side minus the "
                             f"smaller is >= {margin} on the whole domain")
        return st.report(Status.PROVED, methods, "; ".join(notes + dom.notes),
                         margin=margin)

    # 3. touch points and equality points: exact rational points
    dl.phase("touch points")
    t_deadline = st.at(TOUCH_SHARE)
    outs = dict(outcomes)
    for i in pending:
        if time.monotonic() > t_deadline:
            break
        lhs, op, rhs = parsed.relations[i]
        d = sp.sympify(rhs) - sp.sympify(lhs)
        pts = _candidate_points(d, active, [outs[i]] if i in outs else [], t_deadline)
        if op == "==":
            pts = _box_points(active) + pts
        for p in pts:
            if time.monotonic() > t_deadline:
                break
            pt = _point_in(p, variables)
            chk = arb_check_point([parsed.relations[i]], pt)
            if chk is not None and _defined_at(st, dom, pt):
                chk.index = i
                what = "an exact point of the box" if op == "==" else \
                    "an exact touch point (where the enclosures could not settle the claim)"
                return _failed(st, pt, chk, f"exact point check: {what}")

    # 4. sampling, for what is not proved
    dl.phase("sampling")
    remaining = [parsed.relations[i] for i in pending] or list(parsed.relations)
    undecided = "; ".join(f"relation {i + 1}: {out.reason or out.status}"
                          for i, out in outcomes if out.status != "proved")
    proved = [i for i, out in outcomes if out.status == "proved"]
    if st.left() < 0.2:
        detail = "time limit reached before the sampling phase"
        if undecided:
            detail += f"; not proved: {undecided}"
        detail += "".join("; " + n for n in notes)
        return st.report(Status.UNDECIDED, f"time limit ({st.total:g} s)", detail)
    res = search(remaining, active, deadline=st.t0 + st.total)
    if res.point is not None and res.check is not None:
        pt = _point_in(res.point, variables)
        if _defined_at(st, dom, pt):
            chk = res.check
            chk.index = parsed.relations.index(remaining[chk.index])
            return _failed(st, pt, chk,
                           f"sampling (Hypothesis, Arb at {res.dps} digits, {res.tested} "
                           "points, shrunk)")
    detail = (f"no counterexample in {res.tested} points (Hypothesis: decimals, near-end and "
              f"log-scale points; rhs - lhs by Arb to ~{res.dps} digits, candidates "
              "re-checked at up to 8192 bits)")
    if res.stopped:
        detail += f", sampling stopped: {res.stopped}"
    if undecided:
        detail += f"; not proved: {undecided}"
    if proved:
        detail += "; proved by enclosure: relation(s) " + ", ".join(str(i + 1) for i in proved)
    if notes:
        detail += "; " + "; ".join(notes)
    if res.evaluated == 0:
        return st.report(Status.UNDECIDED, f"sampling: no point of the {res.tested} drawn "
                         "could be evaluated", detail)
    return st.report(Status.CHECKED, f"sampling: {res.tested} points at {res.dps} digits",
                     detail)


def _large_g(st: _Setup) -> bool:
    """Some g(k) of the claim may be evaluated beyond the iteration's range (k > 2^16)."""
    from rmc_symbolic.arb_eval import GK_ABEL_FROM, arb_interval, arb_lambdify
    from rmc_symbolic.iterated_map import gk

    for lhs, _, rhs in st.parsed.relations:
        for node in (lhs.atoms(gk) | rhs.atoms(gk)):
            arg = node.args[0]
            vs = [v for v in st.active if v.symbol in variables_of(arg)]
            try:
                b = arb_lambdify(arg, [v.symbol for v in vs])(
                    *[arb_interval(v.lo, v.hi) for v in vs])
            except NotImplementedError:
                return True
            if not b.is_finite() or not (b <= GK_ABEL_FROM):
                return True
    return False


def _box_points(active: list[Var]) -> list[dict]:
    """The low corner, the high corner, the middle (a short decimal) and the simplest
    rational point of the box."""
    return [{v.symbol: v.lo for v in active}, {v.symbol: v.hi for v in active},
            {v.symbol: (nice_point(v.lo, v.hi) if not v.integer else
                        Fraction((v.lo + v.hi) // 2)) for v in active},
            {v.symbol: (simplest_rational(v.lo, v.hi) if not v.integer else v.lo)
             for v in active}]


def _fmt_fraction_down(q: Fraction, digits: int = 6) -> str:
    """A short decimal <= q (rounded down, so that a printed lower bound stays certified).

    >>> _fmt_fraction_down(Fraction(2, 3)), _fmt_fraction_down(Fraction(-2, 3))
    ('0.666666', '-0.666667')
    """
    if q == 0:
        return "0"
    a = abs(q)
    e = len(str(a.numerator)) - len(str(a.denominator))
    while Fraction(10) ** e > a:
        e -= 1
    while Fraction(10) ** (e + 1) <= a:
        e += 1
    shift = digits - 1 - e
    m = math.floor(q * Fraction(10) ** shift)
    value = Fraction(m) / Fraction(10) ** shift
    if -4 <= e < 7:
        return decimal_text(value)
    ms = str(abs(m))
    exp10 = len(ms) - 1 - shift
    mant = ms[0] + ("." + ms[1:].rstrip("0") if ms[1:].rstrip("0") else "")
    return ("-" if m < 0 else "") + f"{mant}e{exp10}"
