"""§2 claims: the Bernoulli model (Wright–Fisher chain) and discrete distributions.

``lemma1`` and ``lemma3``/``lemma4`` are proved for every n by reduction to one-variable
inequalities (certified by Arb bisection, with Taylor certificates at tight end points)
and exact algebra (SymPy); ``lemma4``'s sum ``sum_j g_j^2 <= 3`` by an Arb finite sum
plus a tail bound from ``lemma2_sharp.upper``. ``wf_heterozygosity``, ``absorption`` and
``seddik`` have symbolic proofs for every n (the binomial generating function); all the
chain statements (``theorem1``, ``theorem1_ext``, ``seddik``, ``absorption``,
``wf_heterozygosity``) are also checked against the exact Wright–Fisher chain for every
n <= 30, every start i0 and every k <= 100 (:func:`rmc_symbolic.markov.first_violation`).
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

from ..status import Report, Status
from ._core import Ctx, claim, derived_status, part, report
from ._tools import PREC, cert_part, certify_positive, fmt_arb, fmt_frac, is_zero, working_prec

_t = sp.Symbol("t", real=True, nonnegative=True)
_a = sp.Symbol("a", positive=True)
_b = sp.Symbol("b", positive=True)

N_X_ALL = "every integer n >= 1, x in [0, 1]"


def _g_s() -> sp.Expr:
    return get("lemma3").parts["g_s"]


# --------------------------------------------------------------------------- lemma1


def _nth_power_form(expr: sp.Expr) -> bool:
    """``expr(n) == expr(1)**n`` (SymPy, powers of products expanded)."""
    diff = sp.expand_power_base(expr - expr.subs(n, 1) ** n, force=True)
    return is_zero(sp.powsimp(diff, force=True))


@claim("lemma1.upper", "lemma1", ["upper"], expected=Status.PROVED)
def lemma1_upper(ctx: Ctx) -> Report:
    """(1 - x)^n <= e^{-nx}: the n = 1 case on [0, 1] and t -> t^n increasing on t >= 0."""
    r = get("lemma1")
    value, upper = r.parts["value"], r.parts["upper"]
    parts = []
    ok = _nth_power_form(value) and _nth_power_form(upper)
    parts.append(part("n-th powers", "value(n) = value(1)^n and upper(n) = upper(1)^n",
                      Status.EXACT if ok else Status.UNDECIDED, "SymPy", "all n"))
    v1, u1 = value.subs(n, 1), upper.subs(n, 1)
    parts.append(cert_part("n = 1", f"{v1} <= {u1}", certify_positive(u1 - v1, x, 0, 1, ctx),
                           "x", 0, 1))
    parts.append(cert_part("base nonnegative", f"{v1} >= 0",
                           certify_positive(v1, x, 0, 1, ctx), "x", 0, 1))
    mono = sp.powsimp(sp.diff(_t**n, _t))
    parts.append(part("t^n increasing", f"d/dt t^n = {mono} >= 0 for t >= 0",
                      Status.EXACT if mono.is_nonnegative else Status.UNDECIDED,
                      "SymPy (sign from assumptions)", "t >= 0, integer n >= 1"))
    st = derived_status(p.status for p in parts)
    if st is Status.EXACT:
        st = Status.PROVED
    return report("lemma1.upper", st, "reduction to n = 1 (Arb bisection with a Taylor "
                  "certificate at the tight point x = 0) + monotonicity of t^n", N_X_ALL,
                  "0 <= value(1) <= upper(1) on [0, 1] and both sides are n-th powers of "
                  "their n = 1 forms; equality at x = 0.", parts=parts)


@claim("lemma1.lower", "lemma1", ["lower"], expected=Status.PROVED)
def lemma1_lower(ctx: Ctx) -> Report:
    """e^{-nx}(1 - n x^2) <= (1 - x)^n: divide by e^{-nx}; y = (1-x)e^x >= 1 - x^2 >= 0 and
    Bernoulli's inequality (1 - t)^n >= 1 - n t (t in [0, 1], induction)."""
    r = get("lemma1")
    value, lower, upper = r.parts["value"], r.parts["lower"], r.parts["upper"]
    parts = []
    y1 = sp.simplify(value.subs(n, 1) / upper.subs(n, 1))
    rho = sp.expand(sp.simplify(lower / upper))  # lower/upper, linear in n
    tt = -sp.diff(rho, n)
    ok = (_nth_power_form(value) and _nth_power_form(upper) and bool(upper.is_positive) and
          is_zero(rho.subs(n, 0) - 1) and is_zero(sp.diff(rho, n, 2)))
    parts.append(part("reduction", f"value/upper = y^n with y = {y1}; lower/upper = 1 - n t "
                      f"with t = {tt}; upper > 0", Status.EXACT if ok else Status.UNDECIDED,
                      "SymPy", "all n"))
    parts.append(cert_part("y >= 1 - t", f"{y1} >= 1 - ({tt})",
                           certify_positive(y1 - (1 - tt), x, 0, 1, ctx), "x", 0, 1))
    parts.append(cert_part("1 - t >= 0", f"1 - ({tt}) >= 0",
                           certify_positive(1 - tt, x, 0, 1, ctx), "x", 0, 1))
    tpos = tt.subs(x, _t)
    # Bernoulli: (1 - t)^n >= 1 - n t for t in [0, 1], by induction on n
    step = sp.expand((1 - _t) * (1 - n * _t) - (1 - (n + 1) * _t))
    bern_ok = is_zero(step - n * _t**2) and (n * _t**2).is_nonnegative and tpos.is_nonnegative
    parts.append(part("Bernoulli", "(1 - t)^n >= 1 - n t, t in [0, 1]: n = 1 equality; "
                      f"(1 - t)(1 - n t) - (1 - (n+1) t) = {step} >= 0 and 1 - t >= 0",
                      Status.EXACT if bern_ok else Status.UNDECIDED,
                      "induction on n, step by SymPy", "every integer n >= 1, t in [0, 1]"))
    st = derived_status(p.status for p in parts)
    if st is Status.EXACT:
        st = Status.PROVED
    return report("lemma1.lower", st, "y^n >= (1 - t)^n >= 1 - n t with y = (1 - x) e^x, "
                  "t = x^2 (Arb bisection, Taylor certificates at the tight points x = 0 "
                  "and x = 1) + Bernoulli's inequality by induction", N_X_ALL,
                  "Equality at x = 0.", parts=parts)


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
    ok_term = is_zero(sp.powsimp(term - sp.binomial(n, idx) * aa**idx * bb ** (n - idx),
                                 force=True))
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
        ok_sum = (is_zero(sp.powsimp(sp.expand_power_base(e1, force=True) -
                                     sp.expand_power_base(target, force=True), force=True))
                  or is_zero(sp.simplify(e1 / target) - 1)) and \
            (is_zero(sp.simplify(e2 / target) - 1)) and \
            {str(c1), str(c2)} == {str(sp.Le(_a / _b, 1)), str(sp.Le(_b / _a, 1))}
    except Exception:
        ok_sum = False
    ok_rhs = is_zero(sp.expand(rhs - (aa + bb) ** n)) or is_zero(
        sp.simplify(rhs - (aa + bb) ** n))
    # x = 0 and x = 1: a single nonzero term (j = 0, resp. j = n)
    ok_ends = is_zero(term.subs({idx: 0, x: 0}) - rhs.subs(x, 0)) and \
        is_zero(sp.powsimp(term.subs(idx, n).subs(x, 1) - rhs.subs(x, 1), force=True))
    parts = [
        part("summand", f"term = C(n,j) a^j b^(n-j), a = {aa}, b = {bb}",
             Status.EXACT if ok_term else Status.UNDECIDED, "SymPy", "all n, j"),
        part("binomial theorem", "sum_j C(n,j) a^j b^(n-j) = (a + b)^n for a, b > 0",
             Status.EXACT if ok_sum else Status.UNDECIDED,
             "SymPy summation, once for a/b <= 1 and once with the index reversed "
             "(b/a <= 1): together every a, b > 0", "every integer n >= 0"),
        part("right-hand side", f"(a + b)^n = {rhs}", Status.EXACT if ok_rhs else
             Status.UNDECIDED, "SymPy", "all n"),
        part("x = 0 and x = 1", "one nonzero term (j = 0, resp. j = n) equals the rhs",
             Status.EXACT if ok_ends else Status.UNDECIDED, "SymPy", "x in {0, 1}"),
    ]
    stt = derived_status(p.status for p in parts)
    return report("lemma3.identity", stt, "symbolic (SymPy): binomial theorem",
                  "every integer n >= 1, x in [0, 1], s >= 0", parts=parts)


@claim("lemma3.g_le_min", "lemma3", ["g_le_min"], expected=Status.PROVED)
def lemma3_g_le_min(ctx: Ctx) -> Report:
    """g(s) <= min(s, 1) for s in [0, inf]."""
    r = get("lemma3")
    st = r.statements["g_le_min"]
    gs, mn = st.lhs, st.rhs
    args = set(mn.args)
    parts = []
    one_gap = sp.simplify(1 - gs)
    ok1 = sp.Integer(1) in args and one_gap.is_positive
    parts.append(part("g(s) <= 1", f"1 - g(s) = {one_gap} > 0", Status.EXACT if ok1 else
                      Status.UNDECIDED, "SymPy (sign from assumptions)", "s >= 0 (and = 1 at "
                      "s = inf)"))
    cert = certify_positive(s - gs, s, 0, 1, ctx)
    parts.append(cert_part("g(s) <= s on [0, 1]", f"s - ({gs}) >= 0", cert, "s", 0, 1))
    parts.append(part("g(s) <= s for s >= 1", "g(s) <= 1 <= s", Status.EXACT if ok1 else
                      Status.UNDECIDED, "from g(s) <= 1", "s >= 1"))
    ok_min = args == {sp.Integer(1), s}
    parts.append(part("min", f"{mn} is the minimum of 1 and s", Status.EXACT if ok_min else
                      Status.UNDECIDED, "SymPy", "s >= 0"))
    stt = derived_status(p.status for p in parts)
    if stt is Status.EXACT:
        stt = Status.PROVED
    return report("lemma3.g_le_min", stt, "g <= 1 symbolic; g(s) <= s by Arb bisection on "
                  "[0, 1] (Taylor certificate at the tight point s = 0), trivial for s >= 1",
                  "s in [0, inf]", parts=parts)


def _nonneg_via_exp(expr: sp.Expr) -> bool:
    """``expr >= 0`` for every s >= 0, shown by SymPy after writing ``e^{-s} = 1/(1 + p)``
    (a bijection of s in [0, inf) onto p in [0, inf))."""
    pp = sp.Symbol("p", nonnegative=True)
    e = sp.together(expr.subs(sp.exp(-s), 1 / (1 + pp)))
    return bool(not e.has(s) and sp.factor(e).is_nonnegative)


def _substitution(claim_id: str, rid: str, stmt: str, base_id: str, base_stmt: str,
                  deps: list[str], ctx: Ctx) -> Report:
    """A statement that is another claim with x replaced by x g(s) (x g(s) in [0, 1])."""
    target = get(rid).statements[stmt]
    base = get(base_id).statements[base_stmt]
    gs = _g_s()
    sub = base.subs(x, x * gs)
    same = is_zero(sp.powsimp(sub.lhs - target.lhs, force=True)) and \
        is_zero(sp.powsimp(sub.rhs - target.rhs, force=True))
    g_nonneg = _nonneg_via_exp(gs)
    reps = [ctx.dep(d) for d in deps]
    parts = [
        part("substitution", f"{rid}.{stmt} is {base_id}.{base_stmt} at x -> x*g(s)",
             Status.EXACT if same else Status.UNDECIDED, "SymPy", "all n, x, s"),
        part("range", "0 <= x g(s) <= 1 (x in [0, 1], 0 <= g(s) <= 1)",
             Status.EXACT if g_nonneg else Status.UNDECIDED, "SymPy + lemma3.g_le_min",
             "x in [0, 1], s >= 0"),
    ] + reps
    st = derived_status(p.status for p in parts)
    if st is Status.EXACT and any(r_.status is Status.PROVED for r_ in reps):
        st = Status.PROVED
    return report(claim_id, st, f"follows from {', '.join(deps)} by the substitution "
                  "x -> x g(s)", "every integer n >= 1, x in [0, 1], s in [0, inf]",
                  parts=parts)


@claim("lemma3.upper", "lemma3", ["upper"], expected=Status.PROVED,
       depends=["lemma1.upper", "lemma3.g_le_min"])
def lemma3_upper(ctx: Ctx) -> Report:
    """(1 - x g(s))^n <= e^{-n x g(s)}: lemma1.upper at x g(s)."""
    return _substitution("lemma3.upper", "lemma3", "upper", "lemma1", "upper",
                         ["lemma1.upper", "lemma3.g_le_min"], ctx)


# --------------------------------------------------------------------------- lemma4


@claim("lemma4.lower", "lemma4", ["lower"], expected=Status.PROVED,
       depends=["lemma1.lower", "lemma3.g_le_min"])
def lemma4_lower(ctx: Ctx) -> Report:
    """(1 - x g(s))^n >= e^{-n x g(s)}(1 - n x^2 g(s)^2): lemma1.lower at x g(s)."""
    return _substitution("lemma4.lower", "lemma4", "lower", "lemma1", "lower",
                         ["lemma1.lower", "lemma3.g_le_min"], ctx)


@claim("lemma4.lower2", "lemma4", ["lower2"], expected=Status.EXACT)
def lemma4_lower2(ctx: Ctx) -> Report:
    """e^{-nxg}(1 - n x^2 g^2) >= e^{-nxg} - n x^2: the difference is n x^2 (1 - g^2 E),
    E = e^{-nxg} in (0, 1], g in [0, 1]."""
    st = get("lemma4").statements["lower2"]
    gs = _g_s()
    G, E = sp.Symbol("G", nonnegative=True), sp.Symbol("E", nonnegative=True)
    pp, qq = sp.Symbol("p", nonnegative=True), sp.Symbol("q", nonnegative=True)
    diff = (st.rhs - st.lhs).subs(gs, G)
    exps = [e for e in diff.atoms(sp.exp)]
    ok_shape = len(exps) == 1 and sp.simplify(exps[0].args[0] / (-n * x * G)) == 1
    d2 = diff.subs(exps[0], E) if exps else diff
    # E = 1/(1 + p), G = 1/(1 + q) cover E, G in (0, 1] as p, q range over [0, inf)
    d3 = sp.factor(sp.together(d2.subs({E: 1 / (1 + pp), G: 1 / (1 + qq)})))
    nonneg = d3.is_nonnegative
    at_g0 = d2.subs(G, 0)
    ok_g0 = sp.factor(at_g0).is_nonnegative
    status = Status.EXACT if (ok_shape and nonneg and ok_g0) else Status.UNDECIDED
    parts = [part("abstraction", f"with G = g(s) in [0, 1], E = {exps[0] if exps else '?'} in "
                  f"(0, 1]: rhs - lhs = {sp.factor(d2)}", status, "SymPy", "all n, x, s"),
             part("sign", f"with E = 1/(1+p), G = 1/(1+q), p, q >= 0: {d3} >= 0; at G = 0: "
                  f"{sp.factor(at_g0)} >= 0", status, "SymPy (sign from assumptions)",
                  "n >= 1, x >= 0")]
    return report("lemma4.lower2", status, "symbolic: rhs - lhs = n x^2 (1 - g^2 e^{-nxg}) "
                  ">= 0 since 0 <= g(s) <= 1 and 0 < e^{-nxg} <= 1 (SymPy)",
                  "every integer n >= 1, x in [0, 1], s in [0, inf]", parts=parts)


#: number of terms summed exactly in the certificate of sum g_j^2
SUM_TERMS = 5000


@claim("lemma4.sum_g2", "lemma4", ["sum_g2"], expected=Status.PROVED,
       depends=["lemma2_sharp.upper"])
def lemma4_sum_g2(ctx: Ctx) -> Report:
    """sum_{j>=1} g_j^2 <= 3: Arb sum of the first SUM_TERMS terms + tail
    sum_{j>J} g_j^2 <= sum_{j>J} U(j)^2 <= 4/(J+1) (U(j) = 2/(j+1) from lemma2_sharp.upper,
    telescoping U(j)^2 <= T(j) - T(j+1) with T(j) = 4/j, checked by SymPy)."""
    r = get("lemma4")
    st = r.statements["sum_g2"]
    summ, bound = st.lhs, st.rhs
    (idx, _, _), = summ.limits
    summand = summ.function  # g_j^2
    up = ctx.dep("lemma2_sharp.upper")
    sharp_res = get("lemma2_sharp")
    U = sharp_res.parts["upper"].subs(sharp_res.params["k"], idx)
    gj = [a for a in summand.atoms(sp.Function) if a.args == (idx,)]
    on_U = summand.xreplace({gj[0]: U}) if len(gj) == 1 else None
    T = sp.Lambda(idx, sp.Integer(4) / idx)  # telescoping majorant of the tail
    tel = None if on_U is None else sp.factor(T(idx) - T(idx + 1) - on_U)
    ok_tel = tel is not None and bool(tel.is_positive)
    # the summand is increasing in g_j >= 0, so g_j <= U(j) gives summand <= on_U
    mono = None if on_U is None else sp.diff(summand.xreplace({gj[0]: _t}), _t)
    ok_mono = mono is not None and bool(mono.is_nonnegative)
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
        ok_sharp = is_zero(ssum - sharp)
        with working_prec(PREC):
            sv = arb_lambdify(sharp, [])()
        sharp_txt = (f" The sharper bound: sum_j U(j)^2 = {ssum} (SymPy) = {sv.str(8)}, "
                     f"{'equal to' if ok_sharp else 'NOT equal to'} the registry's "
                     f"sum_bound_sharp.")
    lo_q, _ = arb_bounds(total)
    _, hi_q = arb_bounds(hi_total)
    parts = [
        up,
        part("tail majorant", f"g_j^2 <= U(j)^2 <= 4/j - 4/(j+1) (difference {tel})",
             Status.EXACT if (ok_tel and ok_mono) else Status.UNDECIDED,
             "SymPy (sign from assumptions)", "j >= 1"),
        part("finite sum", f"sum_(j<={J}) g_j^2 in {total.str(12)}", Status.PROVED,
             f"Arb iteration of g (eq2) and summation at {PREC} bits", f"j = 1..{J}"),
    ]
    prem = derived_status(p.status for p in parts)
    if margin > 0 and prem in (Status.EXACT, Status.PROVED):
        status = Status.PROVED
    elif margin < 0 and prem in (Status.EXACT, Status.PROVED):  # pragma: no cover
        status = Status.FAILED
    else:
        status = Status.UNDECIDED
    detail = (f"sum_(j>=1) g_j^2 lies in [{fmt_frac(lo_q)}, {fmt_frac(hi_q)}] "
              f"(finite sum to J = {J}, plus the tail <= 4/(J+1)); {bound} minus the upper "
              f"end >= {fmt_arb(margin)}.{sharp_txt}")
    return report("lemma4.sum_g2", status, f"Arb finite sum (j <= {J}) + certified tail "
                  "bound from lemma2_sharp.upper (telescoping)", "the whole infinite sum",
                  detail, parts=parts, margin=fmt_arb(margin))


# --------------------------------------------------------------------------- the chain

#: claims whose status rests on the exact chain alone (UNDECIDED without rmc_symbolic.markov)
NEEDS_MARKOV = ("theorem1", "theorem1_ext", "corollary1")

#: the exact-chain range of :func:`rmc_symbolic.markov.first_violation`
CHAIN_N, CHAIN_K = 30, 100
CHAIN_DOMAIN = (f"every n <= {CHAIN_N}, every start p0 = i0/n (i0 = 0..n), every k <= "
                f"{CHAIN_K}")
_tt = sp.Symbol("t", positive=True)


def _chain(result_id: str, ctx: Ctx) -> Report:
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


def _pgf() -> tuple[sp.Expr, sp.Expr]:
    """The probability generating function E[t^X] of X ~ Binomial(n, x), from lemma3's
    identity at s = -log t (so e^{-s j} = t^j), and X's mean and E[X(X-1)]."""
    rhs = get("lemma3").statements["identity"].rhs
    G = sp.simplify(rhs.subs(s, -sp.log(_tt)))
    return G, G


def _moments() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    G, _ = _pgf()
    m1 = sp.simplify(sp.diff(G, _tt).subs(_tt, 1))  # E[X]
    f2 = sp.simplify(sp.diff(G, _tt, 2).subs(_tt, 1))  # E[X(X-1)]
    return G, m1, f2


def _conclude_chain(claim_id: str, symbolic: list[Report], chain: Report, method: str,
                    domain_all: str) -> Report:
    """Combine a symbolic proof (for the whole domain) with the exact-chain check."""
    sym = derived_status(p.status for p in symbolic) if symbolic else Status.UNDECIDED
    parts = symbolic + [chain]
    if chain.status is Status.FAILED:
        return report(claim_id, Status.FAILED, chain.method, chain.domain, chain.detail,
                      parts=parts, counterexample=chain.counterexample, margin=chain.margin)
    if sym is Status.EXACT:
        if chain.status in (Status.EXACT, Status.PROVED):
            return report(claim_id, Status.EXACT, method, domain_all,
                          "Also checked against the exact chain: " + chain.detail,
                          parts=parts)
        return report(claim_id, Status.EXACT, method, domain_all,
                      "The exact-chain cross-check did not run (" + chain.method + ").",
                      parts=symbolic)
    if chain.status in (Status.EXACT, Status.PROVED):
        return report(claim_id, chain.status, "exact Wright–Fisher chain (finite range): "
                      "every case compared rigorously (exact rationals against exact values "
                      "or Arb enclosures of the bound)", CHAIN_DOMAIN,
                      "Only this finite range is covered: larger n, k, and p0 off the grid "
                      "i0/n are not (the paper's proof for all n is not machine-checked). "
                      + chain.detail, parts=parts)
    return report(claim_id, Status.UNDECIDED, "not established", "nothing certified",
                  parts=parts)


def _wf_symbolic(ctx: Ctx) -> list[Report]:
    """The symbolic proof of wf_heterozygosity (used by it and by seddik): one step
    multiplies E[P(1-P)] by 1 - 1/n (binomial generating function), then induction."""
    r = get("wf_heterozygosity")
    exact = r.statements["exact"].rhs
    kk = r.params["k"]
    dep = ctx.dep("lemma3.identity")
    G, m1, f2 = _moments()
    # E[(X/n)(1 - X/n)] = E[X]/n - (E[X(X-1)] + E[X])/n^2 given P = x
    one_step = sp.simplify(m1 / n - (f2 + m1) / n**2)
    factor = sp.simplify(one_step / (x * (1 - x)))
    ok_factor = not factor.has(x)
    ratio = sp.simplify(sp.powsimp(exact.subs(kk, kk + 1) / exact, force=True))
    ok_rec = is_zero(ratio - factor)
    ok_init = is_zero(exact.subs(kk, 0) - p0 * (1 - p0))
    return [
        dep,
        part("generating function", f"E[t^X | P = x] = {G} (lemma3.identity at s = -log t)",
             dep.status, "SymPy", "every integer n >= 1, x in [0, 1]"),
        part("one step", f"E[P'(1 - P') | P = x] = {sp.factor(one_step)} = ({factor}) x(1-x)",
             Status.EXACT if ok_factor else Status.UNDECIDED, "SymPy: G'(1), G''(1)",
             "every integer n >= 1, x in [0, 1]"),
        part("induction", f"exact(k+1)/exact(k) = {ratio}, exact(0) = p0(1 - p0)",
             Status.EXACT if (ok_rec and ok_init) else Status.UNDECIDED,
             "SymPy + tower property", "every integer k >= 0"),
    ]


@claim("wf_heterozygosity", "wf_heterozygosity", expected=Status.EXACT,
       depends=["lemma3.identity"], cost=20)
def wf_heterozygosity(ctx: Ctx) -> Report:
    """E[P_k(1 - P_k)] = p0(1 - p0)(1 - 1/n)^k: one step multiplies E[P(1-P)] by 1 - 1/n
    (binomial generating function), then induction/tower property."""
    symbolic = _wf_symbolic(ctx)
    chain = _chain("wf_heterozygosity", ctx)
    return _conclude_chain("wf_heterozygosity", symbolic, chain,
                           "symbolic (SymPy): binomial generating function, one-step factor "
                           "1 - 1/n, induction", "every integer n >= 1, p0 in [0, 1], "
                           "integer k >= 1")


@claim("absorption", "absorption", expected=Status.EXACT, depends=["lemma3.identity"],
       cost=1)
def absorption(ctx: Ctx) -> Report:
    """Pr(P_k -> 1) = p0: P_k is a bounded martingale (E[P'|P = x] = x, SymPy) absorbed in
    {0, 1} almost surely, so Pr(-> 1) = E[P_inf] = p0 (bounded convergence)."""
    r = get("absorption")
    dep = ctx.dep("lemma3.identity")
    _, m1, _ = _moments()
    mart = sp.simplify(m1 / n)
    ok_mart = is_zero(mart - x)
    to_one, to_zero = r.parts["to_one"], r.parts["to_zero"]
    ok_sum = is_zero(to_one + to_zero - 1) and is_zero(to_one - p0)
    G, _, _ = _moments()
    # from a transient state x in (0, 1) the chain hits 0 in one step with prob G(0) > 0
    p_hit = sp.simplify(G.subs(_tt, 0))
    symbolic = [
        dep,
        part("martingale", f"E[P' | P = x] = {mart}", Status.EXACT if ok_mart else
             Status.UNDECIDED, "SymPy: G'(1)/n", "every integer n >= 1, x in [0, 1]"),
        part("absorption a.s.", f"from a transient state the chain is absorbed at 0 in one "
             f"step with probability {p_hit} > 0, so absorption is almost sure; "
             "bounded convergence gives Pr(-> 1) = lim E[P_k] = p0", Status.EXACT
             if ok_sum else Status.UNDECIDED, "textbook argument (finite absorbing chain, "
             "bounded martingale)", "every integer n >= 1"),
    ]
    chain = _chain("absorption", ctx)
    return _conclude_chain("absorption", symbolic, chain,
                           "symbolic martingale identity (SymPy) + bounded convergence",
                           "every integer n >= 1, p0 in [0, 1]")


@claim("seddik", "seddik", expected=Status.EXACT, depends=["lemma3.identity"], cost=20)
def seddik(ctx: Ctx) -> Report:
    """Both sides from E[P_k(1 - P_k)] (wf_heterozygosity): for k >= 1, P_k is on the grid
    i/n; P(1-P) <= 1/4 everywhere, and P(1-P) >= (n-1)/n^2 on the transient states."""
    r = get("seddik")
    het = get("wf_heterozygosity").statements["exact"].rhs
    wf = _wf_symbolic(ctx)
    dep = part("E[P_k(1 - P_k)] (wf_heterozygosity, symbolic)", "E[P_k(1 - P_k)] = "
               f"{het}", derived_status(p.status for p in wf), "SymPy (see "
               "wf_heterozygosity)", "every integer n >= 1, p0 in [0, 1], k >= 1")
    lower = r.parts["lower"]
    upper = r.parts["upper"]
    hmax = sp.maximum(x * (1 - x), x, sp.Interval(0, 1))
    c_lo = sp.simplify(lower / het)
    ok_lower = is_zero(c_lo - 1 / hmax)
    ii = sp.Symbol("i", integer=True, positive=True)
    aa, bb = sp.Symbol("a", integer=True, nonnegative=True), sp.Symbol(
        "b", integer=True, nonnegative=True)
    hmin = (n - 1) / n**2  # the heterozygosity of the transient state i = 1 (and n - 1)
    gap = sp.factor(sp.expand((ii / n) * (1 - ii / n) - hmin).subs(n, ii + 1 + bb)
                    .subs(ii, 1 + aa))
    ok_min = is_zero(hmin - (x * (1 - x)).subs(x, 1 / n)) and bool(gap.is_nonnegative)
    others = [a for a in upper.args if a != 1] if isinstance(upper, sp.Min) else []
    ok_upper = False
    c_up = None
    if len(others) == 1 and isinstance(upper, sp.Min) and sp.Integer(1) in upper.args:
        c_up = sp.simplify(others[0] / het)
        cc = sp.Symbol("c", integer=True, nonnegative=True)
        diff_c = sp.factor(sp.together((c_up - 1 / hmin).subs(n, 2 + cc)))
        ok_upper = bool(diff_c.is_nonnegative) and not c_up.has(p0)
    symbolic = [
        dep,
        part("lower", f"x(1-x) <= {hmax}, so E[P(1-P)] <= Pr(P not in {{0,1}})"
             f"/{1 / hmax}; lower = {c_lo} * E[P_k(1-P_k)]", Status.EXACT if ok_lower else
             Status.UNDECIDED, "SymPy (maximum, ratio)", "every integer n >= 1, k >= 1"),
        part("transient states", f"(i/n)(1 - i/n) - (n-1)/n^2 = {gap} >= 0 (i = 1 + a, "
             "n = i + 1 + b)", Status.EXACT if ok_min else Status.UNDECIDED,
             "SymPy (sign from assumptions)", "1 <= i <= n - 1"),
        part("upper", f"Pr <= E[P(1-P)] n^2/(n-1) <= {c_up} E[P(1-P)] (n >= 2), and Pr <= 1; "
             "n = 1 has no transient state", Status.EXACT if ok_upper else Status.UNDECIDED,
             "SymPy (sign from assumptions)", "every integer n >= 1, k >= 1"),
    ]
    chain = _chain("seddik", ctx)
    return _conclude_chain("seddik", symbolic, chain,
                           "symbolic: Markov-type inequalities on E[P_k(1 - P_k)] "
                           "(wf_heterozygosity), SymPy", "every integer n >= 1, p0 in [0, 1], "
                           "integer k >= 1")


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
    chain with p0 = p_i (the marginal of a multinomial is binomial), and E[uniq_k] is the
    sum over i of Pr(symbol i alive) (linearity)."""
    r = get("corollary1")
    t1 = get("theorem1")
    dep = ctx.dep("theorem1")
    ok = True
    for side in ("lower", "upper"):
        summ = r.parts[side]
        (idx, lo, hi), = summ.limits
        term = summ.function
        pi = [a for a in term.atoms(sp.Indexed)]
        ok = ok and len(pi) == 1 and is_zero(term - t1.parts[side].subs(p0, pi[0]))
    parts = [dep, part("termwise", "each summand is theorem1's bound at p0 = p_i",
                       Status.EXACT if ok else Status.UNDECIDED, "SymPy", "every i")]
    st = derived_status(p.status for p in parts)
    if st is Status.UNDECIDED:
        return report("corollary1", st, "not established", "nothing certified", parts=parts)
    return report("corollary1", st, "termwise from theorem1 (binomial marginals of the "
                  "multinomial chain, linearity of expectation)",
                  f"every pmf with n p_i integer for all i, n <= {CHAIN_N}, k <= {CHAIN_K} "
                  "(theorem1's covered range)", "Inherits theorem1's coverage; larger n, k "
                  "are not covered.", parts=parts)
