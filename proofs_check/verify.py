"""``verify(claim, vars, ints, timeout) -> Report``: check the user's own claim.

Methods, strongest first (the report says which one established the status):

1. **symbolic** — SymPy simplifies ``rhs - lhs`` to 0: an identity (EXACT for ``==``,
   ``<=``, ``>=``; FAILED for ``<``, ``>``). The sign of a nonzero constant is left to
   the Arb enclosure (PROVED / FAILED), SymPy would only evaluate it numerically;
2. **rigorous enclosure** — Arb branch-and-bound over the whole box
   (:mod:`proofs_check.enclosure`): PROVED, with the domain and the certificates used;
3. **sampling** — Hypothesis + mpmath at 50 digits (:mod:`proofs_check.sampling`): no
   counterexample = CHECKED (never PROVED).

A FAILED report's counterexample is re-verified by an Arb enclosure of ``rhs - lhs`` at that
exact point (decimal inputs read as exact rationals) which excludes the claimed relation;
``margin`` is that value (``rhs - lhs``, an Arb midpoint, ~15 digits). For PROVED reports,
``margin`` is a certified lower bound of ``rhs - lhs`` (``>=`` claims: of ``lhs - rhs``) over
the whole domain, when the certificates provide one.

Claims with ``==`` cannot be PROVED by enclosures; they are EXACT (symbolic), FAILED
(a certified counterexample) or CHECKED (sampling).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

from rmc_symbolic.errors import InputError
from rmc_symbolic.parsing import parse_exact

from .claim_parser import Claim, parse_claim
from .enclosure import Outcome, Var, decimal_text, prove_relation, symbolic_safe
from .sampling import PointCheck, arb_check_point, search
from .status import Report, Status

__all__ = ["verify", "DEFAULT_TIMEOUT", "parse_range"]

#: seconds for the whole check when the caller passes ``timeout=None``
DEFAULT_TIMEOUT = 120.0
#: share of the time given to the enclosures (the rest goes to sampling)
ENCLOSURE_SHARE = 0.75
#: the symbolic step is skipped for expressions with more operations than this
SYMBOLIC_MAX_OPS = 60

_INT_NOTE = ("integer variables: intervals of integers are enclosed over their real hull "
             "(which contains the integers), split down to single integers where needed")


def parse_range(name: str, spec, integer: bool) -> tuple[Fraction, Fraction]:
    """Read a range ``"lo:hi"`` (or a pair) as exact rationals (integers for ``integer``);
    empty or inverted ranges raise :class:`InputError`."""
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
    lo = parse_exact(lo_s if not isinstance(lo_s, float) else repr(lo_s), f"{name} (low end)")
    hi = parse_exact(hi_s if not isinstance(hi_s, float) else repr(hi_s), f"{name} (high end)")
    if integer and (lo.denominator != 1 or hi.denominator != 1):
        raise InputError(f"{kind} {name}={lo_s}:{hi_s}: the ends of an integer range must be "
                         "integers")
    if lo > hi:
        raise InputError(f"{kind} {name}={lo_s}:{hi_s}: empty range (low end > high end)")
    return lo, hi


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


def _point_in(point: Mapping[sp.Symbol, Fraction], claim: Claim,
              variables: list[Var]) -> dict[sp.Symbol, Fraction]:
    """The counterexample over every declared variable (unused ones at their low end)."""
    full = {}
    for v in variables:
        full[v.symbol] = point.get(v.symbol, v.lo)
    return full


def _failed(claim: Claim, variables: list[Var], point, chk: PointCheck, method: str,
            t0: float, detail: str = "") -> Report:
    lhs, op, rhs = claim.relations[chk.index]
    rel = f"{sp.sstr(lhs)} {op} {sp.sstr(rhs)}"
    how = (f"Arb enclosure of rhs - lhs at this exact point, {chk.prec} bits, excludes "
           f"'{op}'")
    if chk.exact_zero:
        how = "rhs - lhs is exactly 0 at this point (SymPy), which violates a strict relation"
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
    return Report(
        claim=claim.text, statement=_statement(claim), status=Status.FAILED, method=method,
        domain=_domain_text(variables), detail=det,
        counterexample=_point_text(point), margin="0" if chk.exact_zero else _fmt_ball(ball),
        seconds=time.monotonic() - t0,
    )


def _symbolic(claim: Claim) -> tuple[str, int | None] | None:
    """("exact", None) when SymPy simplifies rhs - lhs of every relation to 0 (and the
    relations allow equality), ("false", i) when relation i is strict and rhs - lhs is
    identically 0, None otherwise."""
    verdicts = []
    for i, (lhs, op, rhs) in enumerate(claim.relations):
        d = sp.sympify(rhs) - sp.sympify(lhs)
        if not symbolic_safe(d, SYMBOLIC_MAX_OPS):
            return None
        try:
            s = sp.simplify(d)
        except Exception:  # noqa: BLE001 - SymPy could not simplify: not symbolic
            return None
        if s == 0:
            verdicts.append(op in ("<=", ">=", "=="))
            if op in ("<", ">"):
                return ("false", i)
            continue
        # a nonzero constant's sign is left to the Arb enclosure (SymPy would decide it
        # numerically, which is not a symbolic proof)
        return None
    return ("exact", None) if all(verdicts) else None


def verify(
    claim: str,
    vars: Mapping[str, object] | None = None,  # noqa: A002 - the documented name
    ints: Mapping[str, object] | None = None,
    timeout: float | None = None,
) -> Report:
    """Check the user's claim over the box ``vars`` (real ranges) x ``ints`` (integer
    ranges) and return a :class:`~proofs_check.status.Report`.

    ``vars``/``ints`` map names to ``"lo:hi"`` strings or ``(lo, hi)`` pairs of exact
    numbers (``"0.01"``, ``"1/3"``, ints, Fractions). ``timeout`` (seconds; default
    :data:`DEFAULT_TIMEOUT`) bounds the whole check. Bad input raises
    :class:`~rmc_symbolic.errors.InputError`.

    >>> r = verify("2*x/(2+x) <= log(1+x)", vars={"x": "0:1000"})
    >>> str(r.status), r.domain
    ('PROVED', 'x in [0, 1000]')
    """
    t0 = time.monotonic()
    total = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if total <= 0:
        raise InputError(f"timeout = {timeout} is outside the allowed range (0, inf)")
    vars = dict(vars or {})
    ints = dict(ints or {})
    ranges = {nm: parse_range(nm, spec, False) for nm, spec in vars.items()}
    iranges = {nm: parse_range(nm, spec, True) for nm, spec in ints.items()}
    parsed = parse_claim(claim, real=list(ranges), ints=list(iranges))
    variables = [Var(parsed.symbols[nm], lo, hi, False) for nm, (lo, hi) in ranges.items()]
    variables += [Var(parsed.symbols[nm], lo, hi, True) for nm, (lo, hi) in iranges.items()]
    used = set().union(*[(sp.sympify(a).free_symbols | sp.sympify(b).free_symbols)
                         for a, _, b in parsed.relations])
    active = [v for v in variables if v.symbol in used]
    domain = _domain_text(variables)
    statement = _statement(parsed)
    _check_g_arguments(parsed, active)

    def report(status, method, detail="", margin=None, cex=None):
        return Report(claim=parsed.text, statement=statement, status=status, method=method,
                      domain=domain, detail=detail, counterexample=cex, margin=margin,
                      seconds=time.monotonic() - t0)

    # 1. symbolic
    sym = _symbolic(parsed)
    if sym is not None and sym[0] == "exact":
        return report(Status.EXACT, "symbolic: SymPy simplifies rhs - lhs to 0",
                      "an identity: holds for every value of the variables")
    if sym is not None and sym[0] == "false":
        pt = {v.symbol: v.lo for v in variables}
        chk = arb_check_point(parsed.relations, pt)
        if chk is not None:
            return _failed(parsed, variables, pt, chk, "symbolic (SymPy)", t0,
                           "rhs - lhs is identically 0, so the strict relation never holds")

    # 2. rigorous enclosures of the inequalities
    deadline = t0 + ENCLOSURE_SHARE * total
    outcomes: list[tuple[int, Outcome]] = []
    pending = []
    for i, (lhs, op, rhs) in enumerate(parsed.relations):
        if op == "==":
            pending.append(i)
            continue
        rel_vars = [v for v in active if v.symbol in (sp.sympify(lhs).free_symbols |
                                                       sp.sympify(rhs).free_symbols)]
        out = prove_relation(lhs, op, rhs, rel_vars, deadline=deadline)
        outcomes.append((i, out))
        if out.status == "undefined":
            where = (" (e.g. at " + ", ".join(f"{s} = {decimal_text(q)}" for s, q in
                                               out.point.items()) + ")") if out.point else ""
            raise InputError(f"{out.reason}{where}")
        if out.status == "failed":
            pt = _point_in(out.point, parsed, variables)
            chk = arb_check_point([parsed.relations[i]], pt)
            if chk is not None:
                chk.index = i
                return _failed(parsed, variables, pt, chk, out.method_text(), t0)
            pending.append(i)  # pragma: no cover - the engine's point is Arb-certified
        elif out.status != "proved":
            pending.append(i)

    notes = []
    for _, out in outcomes:
        if out.notes:
            notes.extend(out.notes)
    if any(v.integer for v in active):
        notes.append(_INT_NOTE)

    if not pending:
        methods = "; ".join(out.method_text() for _, out in outcomes)
        margins = [out.lower_bound for _, out in outcomes]
        margin = None
        if all(m is not None for m in margins) and margins:
            m = min(margins)
            margin = _fmt_fraction_down(m)
            notes.insert(0, f"certified: rhs - lhs >= {margin} on the whole domain"
                         if parsed.relations[0][1] in ("<=", "<") else
                         f"certified: lhs - rhs >= {margin} on the whole domain")
        return report(Status.PROVED, methods, "; ".join(notes), margin=margin)

    # 3. sampling, for what is not proved
    remaining = [parsed.relations[i] for i in pending]
    s_deadline = max(t0 + total, time.monotonic() + min(5.0, 0.25 * total))
    res = search(remaining, active, deadline=s_deadline)
    if res.point is not None and res.check is not None:
        idx = pending[res.check.index]
        chk = res.check
        chk.index = idx
        pt = _point_in(res.point, parsed, variables)
        return _failed(parsed, variables, pt, chk,
                       f"sampling (Hypothesis, mpmath {res.dps} digits, {res.tested} points, "
                       "shrunk)", t0)
    undecided = "; ".join(f"relation {i + 1}: {out.reason or out.status}"
                          for i, out in outcomes if out.status != "proved")
    detail = (f"no counterexample in {res.tested} points (Hypothesis: decimals, near-end and "
              f"log-scale points; both sides to {res.dps} digits, candidates re-checked "
              "with Arb)")
    if res.stopped:
        detail += f", sampling stopped: {res.stopped}"
    if undecided:
        detail += f"; not proved: {undecided}"
    proved = [i for i, out in outcomes if out.status == "proved"]
    if proved:
        detail += "; proved by enclosure: relation(s) " + ", ".join(str(i + 1) for i in proved)
    if notes:
        detail += "; " + "; ".join(notes)
    return report(Status.CHECKED, f"sampling: {res.tested} points at {res.dps} digits",
                  detail)


def _fmt_fraction_down(q: Fraction, digits: int = 6) -> str:
    """A short decimal <= q (rounded down, so that a printed lower bound stays certified).

    >>> _fmt_fraction_down(Fraction(2, 3)), _fmt_fraction_down(Fraction(-2, 3))
    ('0.666666', '-0.666667')
    """
    import math

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


def _check_g_arguments(claim: Claim, active: list[Var]) -> None:
    """``g(k)`` needs an integer k >= 1 on the whole domain: refute it here (InputError)
    when an integer point gives k < 1."""
    from rmc_symbolic.iterated_map import gk

    for lhs, _, rhs in claim.relations:
        for node in (sp.sympify(lhs).atoms(gk) | sp.sympify(rhs).atoms(gk)):
            arg = node.args[0]
            if arg.is_number:
                continue
            vs = [v for v in active if v.symbol in arg.free_symbols]
            out = prove_relation(sp.Integer(1), "<=", arg, vs, max_boxes=2000,
                                 check_domain=False, use_log=False)
            if out.status == "failed":
                pt = ", ".join(f"{s} = {decimal_text(q)}" for s, q in out.point.items())
                raise InputError(f"g(k) needs an integer k >= 1, but k = {arg} < 1 at {pt}")
