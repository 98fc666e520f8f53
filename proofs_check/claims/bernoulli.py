"""§2 claims: the Bernoulli model (Wright–Fisher chain) and discrete distributions.

``lemma1`` and ``lemma3``/``lemma4`` are proved for every n by reduction to one-variable
inequalities (certified by Arb bisection, with Taylor certificates at tight end points)
and exact algebra (SymPy identities; signs by structure, :mod:`._sign`); ``lemma4``'s sum
``sum_j g_j^2 <= 3`` by an Arb finite sum plus a tail bound from ``lemma2_sharp.upper``.
``wf_heterozygosity``, ``absorption`` and ``seddik`` are proved for every n from the
binomial generating function, citing the probabilistic facts they take as given (tower
property, bounded convergence, absorption of finite chains, monotonicity of expectation:
:mod:`._cited`). The chain statements (``theorem1``, ``theorem1_ext``, ``seddik``,
``absorption``, ``wf_heterozygosity``) are also checked against the exact Wright–Fisher
chain for every n <= 30, every start i0 and every k <= 100
(:func:`rmc_symbolic.markov.first_violation`): the whole evidence for ``theorem1`` and
``theorem1_ext``, a cross-check for the others.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

import sympy as sp
from flint import arb

from rmc_symbolic import get
from rmc_symbolic.arb_eval import arb_bounds, arb_from_fraction, arb_lambdify
from rmc_symbolic.symbols import n, p0, s, x

from ..status import Report, Status, Step, collect_cites, combine
from ._cited import cite
from ._core import Ctx, claim, part, report
from ._sign import NONNEG, POS, certify_sign
from ._tools import (
    PREC,
    cert_part,
    certify_positive,
    fmt_arb,
    fmt_frac,
    identity_step,
    sign_step,
    simplifies_to_zero,
    working_prec,
)

_t = sp.Symbol("t", real=True, nonnegative=True)
_c = sp.Symbol("c", integer=True, nonnegative=True)
_a = sp.Symbol("a", positive=True)
_b = sp.Symbol("b", positive=True)
#: x in [0, 1] written as x = xa with xa >= 0, 1 - x = xb >= 0 (xa + xb = 1)
_xa = sp.Symbol("x_a", nonnegative=True)
_xb = sp.Symbol("x_b", nonnegative=True)

N_X_ALL = "every integer n >= 1, x in [0, 1]"


def _g_s() -> sp.Expr:
    return get("lemma3").parts["g_s"]


# --------------------------------------------------------------------------- lemma1


def _nth_power_form(expr: sp.Expr) -> bool:
    """``expr(n) == expr(1)**n`` (SymPy, powers of products expanded)."""
    diff = sp.expand_power_base(expr - expr.subs(n, 1) ** n, force=True)
    return simplifies_to_zero(sp.powsimp(diff, force=True))


@claim("lemma1.upper", "lemma1", ["upper"], expected=Status.PROVED)
def lemma1_upper(ctx: Ctx) -> Report:
    """(1 - x)^n <= e^{-nx}: the n = 1 case on [0, 1] and t -> t^n increasing on t >= 0."""
    r = get("lemma1")
    value, upper = r.parts["value"], r.parts["upper"]
    steps = [identity_step("n-th powers", "value(n) = value(1)^n and upper(n) = upper(1)^n",
                           _nth_power_form(value) and _nth_power_form(upper),
                           where="all n")]
    v1, u1 = value.subs(n, 1), upper.subs(n, 1)
    steps.append(cert_part("n = 1", f"{v1} <= {u1}", certify_positive(u1 - v1, x, 0, 1, ctx),
                           "x", 0, 1))
    steps.append(cert_part("base nonnegative", f"{v1} >= 0",
                           certify_positive(v1, x, 0, 1, ctx), "x", 0, 1))
    mono = sp.powsimp(sp.diff(_t**n, _t))
    steps.append(sign_step("t^n increasing", mono.subs(n, 1 + _c), NONNEG,
                           statement=f"d/dt t^n = {mono} >= 0 for t >= 0 (n = 1 + c)",
                           where="t >= 0, integer n >= 1"))
    return report("lemma1.upper", "reduction to n = 1 (Arb bisection with a Taylor "
                  "certificate at the tight point x = 0) + monotonicity of t^n", N_X_ALL,
                  "0 <= value(1) <= upper(1) on [0, 1] and both sides are n-th powers of "
                  "their n = 1 forms; equality at x = 0.", steps=steps)


@claim("lemma1.lower", "lemma1", ["lower"], expected=Status.PROVED)
def lemma1_lower(ctx: Ctx) -> Report:
    """e^{-nx}(1 - n x^2) <= (1 - x)^n: divide by e^{-nx}; y = (1-x)e^x >= 1 - x^2 >= 0 and
    Bernoulli's inequality (1 - t)^n >= 1 - n t (t in [0, 1], induction)."""
    r = get("lemma1")
    value, lower, upper = r.parts["value"], r.parts["lower"], r.parts["upper"]
    y1 = sp.simplify(value.subs(n, 1) / upper.subs(n, 1))
    rho = sp.expand(sp.simplify(lower / upper))  # lower/upper, linear in n
    tt = -sp.diff(rho, n)
    ok = (_nth_power_form(value) and _nth_power_form(upper) and
          simplifies_to_zero(rho.subs(n, 0) - 1) and simplifies_to_zero(sp.diff(rho, n, 2)))
    steps = [
        identity_step("reduction", f"value/upper = y^n with y = {y1}; lower/upper = 1 - n t "
                      f"with t = {tt}", ok, where="all n"),
        sign_step("upper > 0", upper, POS, statement=f"{upper} > 0 (division allowed)"),
        cert_part("y >= 1 - t", f"{y1} >= 1 - ({tt})",
                  certify_positive(y1 - (1 - tt), x, 0, 1, ctx), "x", 0, 1),
        cert_part("1 - t >= 0", f"1 - ({tt}) >= 0",
                  certify_positive(1 - tt, x, 0, 1, ctx), "x", 0, 1),
    ]
    tpos = tt.subs(x, _t)
    # Bernoulli: (1 - t)^n >= 1 - n t for t in [0, 1], by induction on n
    step = sp.expand((1 - _t) * (1 - n * _t) - (1 - (n + 1) * _t))
    steps.append(identity_step("Bernoulli step", f"(1 - t)(1 - n t) - (1 - (n+1) t) = "
                               f"{step}", simplifies_to_zero(step - n * _t**2),
                               where="every integer n >= 1"))
    steps.append(sign_step("Bernoulli step >= 0", step, NONNEG,
                           statement=f"{step} >= 0 (with 1 - t >= 0: induction on n, "
                           "n = 1 an equality)", where="every integer n >= 1, t in [0, 1]"))
    steps.append(sign_step("t >= 0", tpos, NONNEG, statement=f"t = {tt} >= 0"))
    return report("lemma1.lower", "y^n >= (1 - t)^n >= 1 - n t with y = (1 - x) e^x, "
                  "t = x^2 (Arb bisection, Taylor certificates at the tight points x = 0 "
                  "and x = 1) + Bernoulli's inequality by induction", N_X_ALL,
                  "Equality at x = 0.", steps=steps)


# --------------------------------------------------------------------------- lemma3


@claim("lemma3.identity", "lemma3", ["identity"], expected=Status.EXACT, cost=1.5)
def lemma3_identity(ctx: Ctx) -> Report:
    """The binomial sum is (1 - x g(s))^n: the binomial theorem by SymPy summation."""
    r = get("lemma3")
    st = r.statements["identity"]
    summ, rhs = st.lhs, st.rhs
    (idx, lo, hi), = summ.limits
    term = summ.function
    aa, bb = x * sp.exp(-s), 1 - x
    ok_term = simplifies_to_zero(sp.powsimp(
        term - sp.binomial(n, idx) * aa**idx * bb ** (n - idx), force=True))
    s1 = sp.Sum(sp.binomial(n, idx) * _a**idx * _b ** (n - idx), (idx, 0, n)).doit()
    s2 = sp.Sum(sp.binomial(n, idx) * _b**idx * _a ** (n - idx), (idx, 0, n)).doit()

    def first_branch(e):
        pw = [a for a in sp.preorder_traversal(e) if isinstance(a, sp.Piecewise)]
        if not pw:
            return e
        val, cond = pw[0].args[0]
        return e.xreplace({pw[0]: val}), cond

    ok_sum = False
    try:
        e1, c1 = first_branch(s1)
        e2, c2 = first_branch(s2)
        target = (_a + _b) ** n
        ok_sum = (simplifies_to_zero(sp.powsimp(sp.expand_power_base(e1, force=True) -
                                                sp.expand_power_base(target, force=True),
                                                force=True))
                  or simplifies_to_zero(sp.simplify(e1 / target) - 1)) and \
            (simplifies_to_zero(sp.simplify(e2 / target) - 1)) and \
            {str(c1), str(c2)} == {str(sp.Le(_a / _b, 1)), str(sp.Le(_b / _a, 1))}
    except Exception:
        ok_sum = False
    ok_rhs = simplifies_to_zero(sp.expand(rhs - (aa + bb) ** n)) or simplifies_to_zero(
        sp.simplify(rhs - (aa + bb) ** n))
    # x = 0 and x = 1: a single nonzero term (j = 0, resp. j = n)
    ok_ends = simplifies_to_zero(term.subs({idx: 0, x: 0}) - rhs.subs(x, 0)) and \
        simplifies_to_zero(sp.powsimp(term.subs(idx, n).subs(x, 1) - rhs.subs(x, 1),
                                      force=True))
    steps = [
        identity_step("summand", f"term = C(n,j) a^j b^(n-j), a = {aa}, b = {bb}", ok_term,
                      where="all n, j"),
        identity_step("binomial theorem", "sum_j C(n,j) a^j b^(n-j) = (a + b)^n for a, b > 0",
                      ok_sum, "SymPy summation, once for a/b <= 1 and once with the index "
                      "reversed (b/a <= 1): together every a, b > 0", "every integer n >= 0"),
        identity_step("right-hand side", f"(a + b)^n = {rhs}", ok_rhs, where="all n"),
        identity_step("x = 0 and x = 1", "one nonzero term (j = 0, resp. j = n) equals the rhs",
                      ok_ends, where="x in {0, 1}"),
    ]
    return report("lemma3.identity", "symbolic (SymPy): binomial theorem",
                  "every integer n >= 1, x in [0, 1], s >= 0", steps=steps)


def _g_in_unit(gs: sp.Expr) -> Step:
    """The step 0 <= g(s) <= 1 for s in [0, oo): g(s) = 1 - e^(-s) >= 0 and
    1 - g(s) = e^(-s) > 0, both signs by structure."""
    ok = certify_sign(gs, NONNEG) and certify_sign(1 - gs, POS)
    return part("0 <= g(s) <= 1", f"g(s) = {gs} >= 0 and 1 - g(s) = {sp.simplify(1 - gs)} "
                "> 0", Status.EXACT if ok else Status.UNDECIDED, "sign by structure "
                "(sign(1 - e^(-s)) = sign(s), e^(-s) > 0; no SymPy assumption query)",
                "s in [0, oo) (g(oo) = 1 as the limit)")


@claim("lemma3.g_le_min", "lemma3", ["g_le_min"], expected=Status.PROVED)
def lemma3_g_le_min(ctx: Ctx) -> Report:
    """g(s) <= min(s, 1) for s in [0, inf]."""
    r = get("lemma3")
    st = r.statements["g_le_min"]
    gs, mn = st.lhs, st.rhs
    args = set(mn.args)
    unit = _g_in_unit(gs)
    cert = certify_positive(s - gs, s, 0, 1, ctx)
    steps = [
        unit,
        cert_part("g(s) <= s on [0, 1]", f"s - ({gs}) >= 0", cert, "s", 0, 1),
        part("g(s) <= s for s >= 1", "g(s) <= 1 <= s", unit.status, "from 0 <= g(s) <= 1",
             "s >= 1"),
        identity_step("min", f"{mn} is the minimum of 1 and s", args == {sp.Integer(1), s},
                      "SymPy (structure of Min)", "s >= 0"),
    ]
    return report("lemma3.g_le_min", "g <= 1 by a structural sign; g(s) <= s by Arb "
                  "bisection on [0, 1] (Taylor certificate at the tight point s = 0), "
                  "trivial for s >= 1", "s in [0, inf]", steps=steps)


def _substitution(claim_id: str, rid: str, stmt: str, base_id: str, base_stmt: str,
                  ctx: Ctx) -> Report:
    """A statement that is another claim with x replaced by x g(s) (x g(s) in [0, 1])."""
    target = get(rid).statements[stmt]
    base = get(base_id).statements[base_stmt]
    gs = _g_s()
    sub = base.subs(x, x * gs)
    same = simplifies_to_zero(sp.powsimp(sub.lhs - target.lhs, force=True)) and \
        simplifies_to_zero(sp.powsimp(sub.rhs - target.rhs, force=True))
    # 1 - x g(s) = (x_a + x_b) - x_a g(s) with x_a = x, x_b = 1 - x, both >= 0
    top = sp.expand((_xa + _xb) - _xa * gs)
    ok_range = certify_sign(x * gs, NONNEG) and certify_sign(top, NONNEG)
    steps = [
        identity_step("substitution", f"{rid}.{stmt} is {base_id}.{base_stmt} at x -> "
                      "x*g(s)", same, where="all n, x, s"),
        _g_in_unit(gs),
        part("range", f"0 <= x g(s) <= 1: x g(s) >= 0 and 1 - x g(s) = {top} >= 0 "
             "(x_a = x, x_b = 1 - x)", Status.EXACT if ok_range else Status.UNDECIDED,
             "sign by structure (no SymPy assumption query)", "x in [0, 1], s >= 0"),
        ctx.use(f"{base_id}.{base_stmt}"),
    ]
    return report(claim_id, f"follows from {base_id}.{base_stmt} by the substitution "
                  "x -> x g(s)", "every integer n >= 1, x in [0, 1], s in [0, inf]",
                  steps=steps)


@claim("lemma3.upper", "lemma3", ["upper"], expected=Status.PROVED, depends=["lemma1.upper"])
def lemma3_upper(ctx: Ctx) -> Report:
    """(1 - x g(s))^n <= e^{-n x g(s)}: lemma1.upper at x g(s)."""
    return _substitution("lemma3.upper", "lemma3", "upper", "lemma1", "upper", ctx)


# --------------------------------------------------------------------------- lemma4


@claim("lemma4.lower", "lemma4", ["lower"], expected=Status.PROVED, depends=["lemma1.lower"])
def lemma4_lower(ctx: Ctx) -> Report:
    """(1 - x g(s))^n >= e^{-n x g(s)}(1 - n x^2 g(s)^2): lemma1.lower at x g(s)."""
    return _substitution("lemma4.lower", "lemma4", "lower", "lemma1", "lower", ctx)


@claim("lemma4.lower2", "lemma4", ["lower2"], expected=Status.EXACT)
def lemma4_lower2(ctx: Ctx) -> Report:
    """e^{-nxg}(1 - n x^2 g^2) >= e^{-nxg} - n x^2: the difference is n x^2 (1 - g^2 E),
    E = e^{-nxg} in (0, 1], g in [0, 1]. Each of these facts is a step."""
    st = get("lemma4").statements["lower2"]
    gs = _g_s()
    G, E = sp.Symbol("G", nonnegative=True), sp.Symbol("E", nonnegative=True)
    pp, qq = sp.Symbol("p", nonnegative=True), sp.Symbol("q", nonnegative=True)
    diff = (st.rhs - st.lhs).subs(gs, G)
    exps = [e for e in diff.atoms(sp.exp)]
    ok_shape = len(exps) == 1 and sp.simplify(exps[0].args[0] / (-n * x * G)) == 1
    ex = exps[0] if exps else sp.exp(-n * x * G)
    d2 = diff.subs(ex, E)
    # E = 1/(1 + p), G = 1/(1 + q) cover E, G in (0, 1] as p, q range over [0, inf)
    d3 = sp.factor(sp.together(d2.subs({E: 1 / (1 + pp), G: 1 / (1 + qq)})))
    at_g0 = sp.factor(d2.subs(G, 0))
    steps = [
        _g_in_unit(gs),
        part("0 < E <= 1", f"E = {ex} > 0 and 1 - E >= 0 (G = g(s) >= 0, n, x >= 0)",
             Status.EXACT if ok_shape and certify_sign(ex, POS) and
             certify_sign(1 - ex, NONNEG) else Status.UNDECIDED,
             "sign by structure (sign(1 - e^a) = sign(-a); no SymPy assumption query)",
             "n >= 1, x >= 0, G >= 0"),
        identity_step("abstraction", f"with G = g(s), E = {ex}: rhs - lhs = {sp.factor(d2)}",
                      ok_shape and not d2.has(sp.exp), where="all n, x, s"),
        sign_step("sign for G, E in (0, 1]", d3, NONNEG, statement=f"with E = 1/(1+p), "
                  f"G = 1/(1+q), p, q >= 0: {d3} >= 0", where="n >= 1, x >= 0"),
        sign_step("sign at G = 0", at_g0, NONNEG, statement=f"at G = 0: {at_g0} >= 0",
                  where="n >= 1, x >= 0"),
    ]
    return report("lemma4.lower2", "symbolic: rhs - lhs = n x^2 (1 - g^2 e^{-nxg}) >= 0 "
                  "since 0 <= g(s) <= 1 and 0 < e^{-nxg} <= 1 (SymPy identity, signs by "
                  "structure)", "every integer n >= 1, x in [0, 1], s in [0, inf]",
                  steps=steps)


#: number of terms summed exactly in the certificate of sum g_j^2
SUM_TERMS = 5000


@claim("lemma4.sum_g2", "lemma4", ["sum_g2"], expected=Status.PROVED,
       depends=["lemma2_sharp.upper"])
def lemma4_sum_g2(ctx: Ctx) -> Report:
    """sum_{j>=1} g_j^2 <= 3: Arb sum of the first SUM_TERMS terms + tail
    sum_{j>J} g_j^2 <= sum_{j>J} U(j)^2 <= 4/(J+1) (U(j) = 2/(j+1) from lemma2_sharp.upper,
    telescoping U(j)^2 <= T(j) - T(j+1) with T(j) = 4/j, signs by structure)."""
    r = get("lemma4")
    st = r.statements["sum_g2"]
    summ, bound = st.lhs, st.rhs
    (idx, _, _), = summ.limits
    summand = summ.function  # g_j^2
    up = ctx.use("lemma2_sharp.upper")
    sharp_res = get("lemma2_sharp")
    U = sharp_res.parts["upper"].subs(sharp_res.params["k"], idx)
    gj = [a for a in summand.atoms(sp.Function) if a.args == (idx,)]
    on_U = summand.xreplace({gj[0]: U}) if len(gj) == 1 else None
    T = sp.Lambda(idx, sp.Integer(4) / idx)  # telescoping majorant of the tail
    tel = None if on_U is None else sp.factor(T(idx) - T(idx + 1) - on_U)
    # the summand is increasing in g_j >= 0, so g_j <= U(j) gives summand <= on_U
    mono = None if on_U is None else sp.diff(summand.xreplace({gj[0]: _t}), _t)
    J = SUM_TERMS
    gfun = arb_lambdify(get("eq2").parts["g"], [x])
    with working_prec(PREC):
        g = arb(1)
        total = arb(0)
        for jj in range(1, J + 1):
            if jj > 1:
                g = gfun(g)
            total += g * g
            if jj % 512 == 0:
                ctx.tick()
        hi_total = total + arb_from_fraction(T(J + 1))
        bnd = arb_lambdify(bound, [])()
        margin = bnd - hi_total
    sharp = r.parts.get("sum_bound_sharp")
    sharp_txt = ""
    if sharp is not None and on_U is not None:
        ssum = sp.summation(on_U, (idx, 1, sp.oo))
        ok_sharp = simplifies_to_zero(ssum - sharp)
        with working_prec(PREC):
            sv = arb_lambdify(sharp, [])()
        sharp_txt = (f" The sharper bound: sum_j U(j)^2 = {ssum} (SymPy) = {sv.str(8)}, "
                     f"{'equal to' if ok_sharp else 'NOT equal to'} the registry's "
                     f"sum_bound_sharp.")
    lo_q, _ = arb_bounds(total)
    _, hi_q = arb_bounds(hi_total)
    steps = [
        up,
        sign_step("tail majorant", tel if tel is not None else sp.nan, POS,
                  statement=f"4/j - 4/(j+1) - U(j)^2 = {tel} > 0", where="j >= 1"),
        sign_step("summand increasing in g_j", mono if mono is not None else sp.nan, NONNEG,
                  statement=f"d/dg (g^2) = {mono} >= 0 for g >= 0", where="g_j >= 0"),
        part("finite sum", f"sum_(j<={J}) g_j^2 in {total.str(12)}", Status.PROVED,
             f"Arb iteration of g (eq2) and summation at {PREC} bits", f"j = 1..{J}"),
        part("comparison", f"{bound} - (finite sum + 4/(J+1)) > 0",
             Status.PROVED if margin > 0 else Status.UNDECIDED, "Arb enclosure",
             "the whole infinite sum", f"margin >= {fmt_arb(margin)}"),
    ]
    detail = (f"sum_(j>=1) g_j^2 lies in [{fmt_frac(lo_q)}, {fmt_frac(hi_q)}] "
              f"(finite sum to J = {J}, plus the tail <= 4/(J+1)); {bound} minus the upper "
              f"end >= {fmt_arb(margin)}.{sharp_txt}")
    return report("lemma4.sum_g2", f"Arb finite sum (j <= {J}) + certified tail "
                  "bound from lemma2_sharp.upper (telescoping)", "the whole infinite sum",
                  detail, steps=steps, margin=fmt_arb(margin))


# --------------------------------------------------------------------------- the chain

#: claims whose status rests on the exact chain alone (UNDECIDED without rmc_symbolic.markov)
NEEDS_MARKOV = ("theorem1", "theorem1_ext", "corollary1")

#: the exact-chain range of :func:`rmc_symbolic.markov.first_violation`
CHAIN_N, CHAIN_K = 30, 100
CHAIN_DOMAIN = (f"every n <= {CHAIN_N}, every start p0 = i0/n (i0 = 0..n), every k <= "
                f"{CHAIN_K}")
_tt = sp.Symbol("t", positive=True)


def _chain(result_id: str, ctx: Ctx) -> Step:
    """The statement against the exact Wright–Fisher chain
    (:func:`rmc_symbolic.markov.check_chain`, the full account behind ``first_violation``)."""
    name = f"exact chain ({result_id})"
    if importlib.util.find_spec("rmc_symbolic.markov") is None:
        return part(name, "against the exact Wright–Fisher chain", Status.UNDECIDED,
                    "rmc_symbolic.markov is not available", "nothing checked")
    markov = importlib.import_module("rmc_symbolic.markov")
    ctx.tick()
    t0 = time.perf_counter()
    res = markov.check_chain(result_id, n_max=CHAIN_N, k_max=CHAIN_K)
    secs = time.perf_counter() - t0
    ctx.tick()
    v = res.violation
    how = ("exact rational Wright–Fisher chain vs exact rationals or Arb enclosures of the "
           "bounds")
    if v is not None and v.decided:
        cex = {"n": str(v.n), "side": v.side}
        if v.i0 is not None:
            cex["p0"] = f"{v.i0}/{v.n}"
        if v.k is not None:
            cex["k"] = str(v.k)
        return part(name, "the exact chain satisfies the statement", Status.FAILED, how,
                    CHAIN_DOMAIN, res.description(), counterexample=cex, margin=v.margin,
                    seconds=secs)
    if not res.holds:
        return part(name, "the exact chain satisfies the statement", Status.UNDECIDED, how,
                    CHAIN_DOMAIN, res.description(), seconds=secs)
    # EXACT only when every comparison was made in exact rational arithmetic; comparisons
    # of an exact rational with an Arb enclosure of a bound (exp, g_k) are rigorous: PROVED
    status = Status.EXACT if res.by_enclosure == 0 else Status.PROVED
    return part(name, "the exact chain satisfies the statement", status, how,
                CHAIN_DOMAIN, res.description(), seconds=secs)


def _pgf() -> sp.Expr:
    """The probability generating function E[t^X] of X ~ Binomial(n, x), from lemma3's
    identity at s = -log t (so e^{-s j} = t^j)."""
    rhs = get("lemma3").statements["identity"].rhs
    return sp.simplify(rhs.subs(s, -sp.log(_tt)))


def _moments() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    G = _pgf()
    m1 = sp.simplify(sp.diff(G, _tt).subs(_tt, 1))  # E[X]
    f2 = sp.simplify(sp.diff(G, _tt, 2).subs(_tt, 1))  # E[X(X-1)]
    return G, m1, f2


def _pgf_step(G: sp.Expr) -> Step:
    rhs = get("lemma3").statements["identity"].rhs
    back = sp.powsimp(G.subs(_tt, sp.exp(-s)) - rhs, force=True)
    return identity_step("generating function", f"E[t^X | P = x] = {G} (lemma3.identity at "
                         "s = -log t, X ~ Binomial(n, x))", simplifies_to_zero(back),
                         "SymPy identity (substituting t = e^(-s) back gives lemma3's rhs)",
                         "every integer n >= 1, x in [0, 1], t > 0")


def _conclude_chain(claim_id: str, symbolic: list[Step], chain: Step, method: str,
                    domain_all: str) -> Report:
    """A symbolic proof for the whole domain, with the exact-chain check as a cross-check;
    without a symbolic proof the chain check is the whole (finite-range) evidence."""
    if chain.status is Status.FAILED:
        return report(claim_id, "", "", steps=symbolic or [chain],
                      cross_checks=[chain] if symbolic else [], refuted_by=chain)
    if symbolic:
        ran = chain.status in (Status.EXACT, Status.PROVED)
        return report(claim_id, method, domain_all,
                      ("Also checked against the exact chain: " + chain.detail) if ran else
                      ("The exact-chain cross-check did not settle (" + chain.method + ")."),
                      steps=symbolic, cross_checks=[chain])
    return report(claim_id, "exact Wright–Fisher chain (finite range): every case compared "
                  "rigorously (exact rationals against exact values or Arb enclosures of the "
                  "bound)", CHAIN_DOMAIN,
                  "Only this finite range is covered: larger n, k, and p0 off the grid "
                  "i0/n are not (the paper's proof for all n is not machine-checked). "
                  + chain.detail, steps=[chain])


def _wf_symbolic(ctx: Ctx) -> list[Step]:
    """The proof of wf_heterozygosity (used by it and by seddik): one step multiplies
    E[P(1-P)] by 1 - 1/n (binomial generating function), then the tower property and
    induction on k."""
    r = get("wf_heterozygosity")
    exact = r.statements["exact"].rhs
    kk = r.params["k"]
    G, m1, f2 = _moments()
    # E[(X/n)(1 - X/n)] = E[X]/n - (E[X(X-1)] + E[X])/n^2 given P = x
    one_step = sp.simplify(m1 / n - (f2 + m1) / n**2)
    factor = sp.simplify(one_step / (x * (1 - x)))
    ratio = sp.simplify(sp.powsimp(exact.subs(kk, kk + 1) / exact, force=True))
    ok_rec = simplifies_to_zero(ratio - factor)
    ok_init = simplifies_to_zero(exact.subs(kk, 0) - p0 * (1 - p0))
    return [
        ctx.use("lemma3.identity"),
        _pgf_step(G),
        identity_step("one step", f"E[P'(1 - P') | P = x] = {sp.factor(one_step)} = "
                      f"({factor}) x(1-x)", not factor.has(x), "SymPy: G'(1), G''(1)",
                      "every integer n >= 1, x in [0, 1]"),
        cite("tower property", "E[P_(k+1)(1 - P_(k+1))] = E[E[P_(k+1)(1 - P_(k+1)) | P_k]] "
             f"= ({factor}) E[P_k(1 - P_k)]"),
        identity_step("induction", f"exact(k+1)/exact(k) = {ratio} (the one-step factor), "
                      "exact(0) = p0(1 - p0)", ok_rec and ok_init, "SymPy identity",
                      "every integer k >= 0"),
    ]


@claim("wf_heterozygosity", "wf_heterozygosity", expected=Status.PROVED,
       depends=["lemma3.identity"], cost=20)
def wf_heterozygosity(ctx: Ctx) -> Report:
    """E[P_k(1 - P_k)] = p0(1 - p0)(1 - 1/n)^k: one step multiplies E[P(1-P)] by 1 - 1/n
    (binomial generating function), then the tower property and induction."""
    symbolic = _wf_symbolic(ctx)
    chain = _chain("wf_heterozygosity", ctx)
    return _conclude_chain("wf_heterozygosity", symbolic, chain,
                           "symbolic (SymPy): binomial generating function, one-step factor "
                           "1 - 1/n, tower property, induction", "every integer n >= 1, "
                           "p0 in [0, 1], integer k >= 1")


@claim("absorption", "absorption", expected=Status.PROVED, depends=["lemma3.identity"],
       cost=1)
def absorption(ctx: Ctx) -> Report:
    """Pr(P_k -> 1) = p0: P_k is a bounded martingale (E[P'|P = x] = x, SymPy) absorbed in
    {0, 1} almost surely, so Pr(-> 1) = E[P_inf] = p0 (bounded convergence). The two
    probabilistic facts are cited; the one-step absorption probability is certified."""
    r = get("absorption")
    G, m1, _ = _moments()
    mart = sp.simplify(m1 / n)
    to_one, to_zero = r.parts["to_one"], r.parts["to_zero"]
    # from a transient state x = i/n, 1 <= i <= n - 1, the chain is at 0 after one step
    # with probability G(0); with x = 1 - (1 + a)/n (a = n - 1 - i >= 0) it is > 0
    p_hit = sp.simplify(G.subs(_tt, 0))
    aa = sp.Symbol("a", integer=True, nonnegative=True)
    symbolic = [
        ctx.use("lemma3.identity"),
        _pgf_step(G),
        identity_step("martingale", f"E[P' | P = x] = {mart} = x", simplifies_to_zero(mart - x),
                      "SymPy: G'(1)/n", "every integer n >= 1, x in [0, 1]"),
        sign_step("one-step absorption", p_hit.subs(x, 1 - (1 + aa) / n), POS,
                  statement=f"Pr(P' = 0 | P = x) = {p_hit} > 0 on the transient states "
                  "x = 1 - (1 + a)/n, a >= 0", where="every integer n >= 1"),
        cite("absorption of finite chains", "from every transient state i/n the chain "
             "reaches 0 in one step with positive probability, so P_k is absorbed in "
             "{0, 1} almost surely"),
        cite("tower property", "E[P_k] = E[E[P_k | P_(k-1)]] = E[P_(k-1)] = ... = p0"),
        cite("bounded convergence theorem", "0 <= P_k <= 1 and P_k -> P_inf in {0, 1} a.s., "
             "so Pr(P_inf = 1) = E[P_inf] = lim E[P_k] = p0"),
        identity_step("registry formulas", f"to_one = {to_one} = p0 and to_zero = {to_zero} "
                      "= 1 - to_one", simplifies_to_zero(to_one - p0) and
                      simplifies_to_zero(to_one + to_zero - 1), "SymPy identity",
                      "every p0 in [0, 1]"),
    ]
    chain = _chain("absorption", ctx)
    return _conclude_chain("absorption", symbolic, chain,
                           "martingale identity (SymPy), one-step absorption probability "
                           "(sign by structure), absorption a.s. and bounded convergence "
                           "(cited)", "every integer n >= 1, p0 in [0, 1]")


@claim("seddik", "seddik", expected=Status.PROVED, depends=["lemma3.identity"], cost=20)
def seddik(ctx: Ctx) -> Report:
    """Both sides from E[P_k(1 - P_k)] (wf_heterozygosity's argument): for k >= 1, P_k is
    on the grid i/n; P(1-P) <= 1/4 everywhere, and P(1-P) >= (n-1)/n^2 on the transient
    states; monotonicity of expectation (cited) turns these into the bounds."""
    r = get("seddik")
    het = get("wf_heterozygosity").statements["exact"].rhs
    wf = _wf_symbolic(ctx)
    dep = Step("E[P_k(1 - P_k)] (wf_heterozygosity's argument)", f"E[P_k(1 - P_k)] = {het}",
               combine(st.status for st in wf), "the steps of wf_heterozygosity",
               "every integer n >= 1, p0 in [0, 1], k >= 1", cites=collect_cites(wf))
    lower = r.parts["lower"]
    upper = r.parts["upper"]
    c_lo = sp.simplify(lower / het)  # lower = c_lo E[P_k(1 - P_k)]
    ii = sp.Symbol("i", integer=True, positive=True)
    aa, bb = sp.Symbol("a", integer=True, nonnegative=True), sp.Symbol(
        "b", integer=True, nonnegative=True)
    hmin = (n - 1) / n**2  # the heterozygosity of the transient state i = 1 (and n - 1)
    gap = sp.factor(sp.expand((ii / n) * (1 - ii / n) - hmin).subs(n, ii + 1 + bb)
                    .subs(ii, 1 + aa))
    others = [a for a in upper.args if a != 1] if isinstance(upper, sp.Min) else []
    c_up = None
    diff_c = sp.nan
    if len(others) == 1 and isinstance(upper, sp.Min) and sp.Integer(1) in upper.args:
        c_up = sp.simplify(others[0] / het)
        cc = sp.Symbol("c", integer=True, nonnegative=True)
        diff_c = sp.factor(sp.together((c_up - 1 / hmin).subs(n, 2 + cc)))
    steps = [
        dep,
        identity_step("lower form", f"lower = {c_lo} E[P_k(1-P_k)]", not c_lo.has(x) and
                      not c_lo.has(p0) and c_lo != 0, "SymPy (ratio)", "every n >= 1, k >= 1"),
        sign_step("x(1-x) <= 1/c", sp.factor(1 / c_lo - x * (1 - x)), NONNEG,
                  statement=f"1/({c_lo}) - x(1-x) = {sp.factor(1 / c_lo - x * (1 - x))} >= 0",
                  where="all real x"),
        sign_step("transient states", gap, NONNEG, statement=f"(i/n)(1 - i/n) - (n-1)/n^2 = "
                  f"{gap} >= 0 (i = 1 + a, n = i + 1 + b)", where="1 <= i <= n - 1"),
        identity_step("hmin", "(n-1)/n^2 is x(1-x) at x = 1/n", simplifies_to_zero(
            hmin - (x * (1 - x)).subs(x, 1 / n)), where="every n >= 1"),
        sign_step("upper", diff_c, NONNEG, statement=f"Pr <= E[P(1-P)] n^2/(n-1) <= "
                  f"{c_up} E[P(1-P)] (n >= 2; coefficient difference {diff_c} >= 0), and "
                  "Pr <= 1; n = 1 has no transient state", where="every integer n >= 2"),
        identity_step("upper form", "upper = min(1, c E[P_k(1-P_k)]) with c free of p0",
                      c_up is not None and not c_up.has(p0), "SymPy (structure of Min)",
                      "every n >= 1"),
        cite("monotonicity of expectation", "P(1-P) <= (1/4) 1{P not in {0,1}} and "
             "1{P not in {0,1}} <= P(1-P) n^2/(n-1) pointwise on the grid i/n, so the same "
             "holds for the expectations"),
    ]
    chain = _chain("seddik", ctx)
    return _conclude_chain("seddik", steps, chain,
                           "symbolic: Markov-type inequalities on E[P_k(1 - P_k)] "
                           "(wf_heterozygosity), SymPy identities, signs by structure",
                           "every integer n >= 1, p0 in [0, 1], integer k >= 1")


@claim("theorem1", "theorem1", expected=Status.PROVED, cost=20)
def theorem1(ctx: Ctx) -> Report:
    """Both sides of theorem1 against the exact chain (finite range)."""
    chain = _chain("theorem1", ctx)
    return _conclude_chain("theorem1", [], chain, "", "")


@claim("theorem1_ext", "theorem1_ext", expected=Status.PROVED, cost=16)
def theorem1_ext(ctx: Ctx) -> Report:
    """Both sides of theorem1_ext against the exact chain (finite range)."""
    chain = _chain("theorem1_ext", ctx)
    return _conclude_chain("theorem1_ext", [], chain, "", "")


@claim("corollary1", "corollary1", expected=Status.PROVED, depends=["theorem1"])
def corollary1(ctx: Ctx) -> Report:
    """Termwise theorem1: the count of symbol i under multinomial sampling is the Bernoulli
    chain with p0 = p_i (the marginal of a multinomial is binomial, cited), and E[uniq_k]
    is the sum over i of Pr(symbol i alive) (linearity of expectation, cited)."""
    r = get("corollary1")
    t1 = get("theorem1")
    ok = True
    for side in ("lower", "upper"):
        summ = r.parts[side]
        (idx, lo, hi), = summ.limits
        term = summ.function
        pi = [a for a in term.atoms(sp.Indexed)]
        ok = ok and len(pi) == 1 and simplifies_to_zero(term - t1.parts[side].subs(p0, pi[0]))
    steps = [
        ctx.use("theorem1"),
        cite("multinomial marginals", "the count of symbol i is Binomial(n, count_i/n) "
             "given the previous generation: the Bernoulli chain with p0 = p_i"),
        cite("linearity of expectation", "E[uniq_k] = sum_i Pr(symbol i alive at k)"),
        identity_step("termwise", "each summand is theorem1's bound at p0 = p_i", ok,
                      where="every i"),
    ]
    return report("corollary1", "termwise from theorem1 (binomial marginals of the "
                  "multinomial chain, linearity of expectation)",
                  f"every pmf with n p_i integer for all i, n <= {CHAIN_N}, k <= {CHAIN_K} "
                  "(theorem1's covered range)", "Inherits theorem1's coverage; larger n, k "
                  "are not covered.", steps=steps)
