"""Section 2 of RESULTS.md: the Bernoulli model (Wright–Fisher chain) and discrete pmfs.

``n P_{k+1} | P_k ~ Binomial(n, P_k)``, ``P_0 = p0``.

Results: ``lemma1`` [R], ``lemma3`` [R], ``lemma4`` [R], ``theorem1`` [A],
``theorem1_ext`` [A], ``seddik`` [A], ``absorption`` [A], ``wf_heterozygosity`` [D],
``corollary1`` [A].
"""

from __future__ import annotations

import sympy as sp

from .iterated_map import g, gk
from .registry import Domain, Quantity, Result, register, sandwich
from .symbols import i, j, k, m, n, p, p0, s, x

__all__ = ["c_k", "survival_lower", "survival_upper"]

N_X = Domain({"n": (1, None, True), "x": (0, 1, False)}, "integer n >= 1, x in [0, 1]")
N_P0_K = Domain(
    {"n": (1, None, True), "p0": (0, 1, False), "k": (1, None, True)},
    "integer n >= 1, p0 in [0, 1], integer k >= 1",
)
PAPER_BERNOULLI = {"n": 100, "p0": "0.01", "k": 10}  # Fig. 3, second panel

#: the random quantities the Bernoulli bounds are about
PR_ALIVE = Quantity("Pr_alive", r"\Pr(P_k \neq 0)")
PR_TRANSIENT = Quantity("Pr_transient", r"\Pr(P_k \notin \{0, 1\})")
PR_TO_ONE = Quantity("Pr_to_one", r"\Pr(P_k \to 1)")
PR_TO_ZERO = Quantity("Pr_to_zero", r"\Pr(P_k \to 0)")
E_HET = Quantity("E_het", r"\mathbb{E}[P_k (1 - P_k)]")
E_UNIQ = Quantity("E_uniq", r"\mathbb{E}[\mathrm{uniq}_k]")
MGF = Quantity("mgf", r"\mathbb{E}[e^{-s n P_{k+1}} \mid P_k = x]")


def c_k(q: sp.Expr) -> sp.Expr:
    """Theorem 1's constant ``c_k(q) = max(0, 1 − 3 n q² − 3 k q)``."""
    return sp.Max(0, 1 - 3 * n * q**2 - 3 * k * q, evaluate=False)


def survival_lower(q: sp.Expr) -> sp.Expr:
    """``1 − e^{−n q g_k}``: Theorem 1's lower bound on Pr(P_k ≠ 0) for P_0 = q."""
    return 1 - sp.exp(-n * q * gk(k))


def survival_upper(q: sp.Expr) -> sp.Expr:
    """``1 − c_k(q) e^{−n q g_k}``: Theorem 1's upper bound on Pr(P_k ≠ 0) for P_0 = q."""
    return 1 - c_k(q) * sp.exp(-n * q * gk(k))


_parts, _stmts = sandwich(sp.exp(-n * x) * (1 - n * x**2), (1 - x) ** n, sp.exp(-n * x))
lemma1 = register(
    Result(
        id="lemma1",
        provenance="R",
        section="2",
        description="e^{-nx}(1 - n x^2) <= (1 - x)^n <= e^{-nx} for integer n >= 1, x in [0, 1]",
        domain=N_X,
        parts=_parts,
        statements=_stmts,
        params={"n": n, "x": x},
        sample={"n": 100, "x": "0.01"},
    )
)

_transform = (1 - x * g(s)) ** n
_binomial_mgf = sp.Sum(
    sp.binomial(n, j) * x**j * (1 - x) ** (n - j) * sp.exp(-s * j), (j, 0, n)
)
lemma3 = register(
    Result(
        id="lemma3",
        provenance="R",
        section="2",
        description="one-step transform E[e^{-s n P_{k+1}} | P_k = x] = (1 - x g(s))^n "
        "<= e^{-n x g(s)}; g(s) <= min(s, 1)",
        domain=Domain(
            {"n": (1, None, True), "x": (0, 1, False), "s": (0, None, False)},
            "integer n >= 1, x in [0, 1], s in [0, inf]",
        ),
        parts={"value": _transform, "upper": sp.exp(-n * x * g(s)), "g_s": g(s),
               "g_s_upper": sp.Min(s, 1), "binomial_mgf": _binomial_mgf},
        statements={
            "identity": sp.Eq(_binomial_mgf, _transform, evaluate=False),
            "upper": sp.Le(_transform, sp.exp(-n * x * g(s)), evaluate=False),
            "g_le_min": sp.Le(g(s), sp.Min(s, 1), evaluate=False),
        },
        quantity=MGF,
        params={"n": n, "x": x, "s": s},
        sample={"n": 100, "x": "0.01", "s": 1},
    )
)

_lower1 = sp.exp(-n * x * g(s)) * (1 - n * x**2 * g(s) ** 2)
_lower2 = sp.exp(-n * x * g(s)) - n * x**2
_sum_g2 = sp.Sum(gk(j) ** 2, (j, 1, sp.oo))
lemma4 = register(
    Result(
        id="lemma4",
        provenance="R",
        section="2",
        description="(1 - x g(s))^n >= e^{-n x g(s)}(1 - n x^2 g(s)^2) >= e^{-n x g(s)} - n x^2; "
        "sum_j g_j^2 <= 3",
        domain=lemma3.domain,
        parts={"value": _transform, "lower": _lower1, "lower2": _lower2,
               "sum_g2": _sum_g2, "sum_bound": sp.Integer(3),
               "sum_bound_sharp": 4 * (sp.pi**2 / 6 - 1)},
        statements={
            "lower": sp.Le(_lower1, _transform, evaluate=False),
            "lower2": sp.Le(_lower2, _lower1, evaluate=False),
            "sum_g2": sp.Le(_sum_g2, 3, evaluate=False),
        },
        params={"n": n, "x": x, "s": s},
        sample={"n": 100, "x": "0.01", "s": 1},
        notes="The sum bound is the natural candidate for the constant the proof shows "
        "numerically to be <= 3; lemma2_sharp gives sum g_j^2 <= 4(pi^2/6 - 1) ~ 2.58.",
    )
)

_parts, _stmts = sandwich(survival_lower(p0), PR_ALIVE, survival_upper(p0), c_k=c_k(p0))
theorem1 = register(
    Result(
        id="theorem1",
        provenance="A",
        section="2",
        description="1 - e^{-n p0 g_k} <= Pr(P_k != 0) <= 1 - c_k e^{-n p0 g_k}, "
        "c_k = max(0, 1 - 3 n p0^2 - 3 k p0); Pr(P_k != 1): p0 -> 1 - p0",
        domain=N_P0_K,
        parts=_parts,
        statements=_stmts,
        quantity=PR_ALIVE,
        params={"n": n, "p0": p0, "k": k},
        sample=PAPER_BERNOULLI,
    )
)

_parts, _stmts = sandwich(
    survival_lower(p0) + survival_lower(1 - p0) - 1,
    PR_TRANSIENT,
    survival_upper(p0) + survival_upper(1 - p0) - 1,
)
theorem1_ext = register(
    Result(
        id="theorem1_ext",
        provenance="A",
        section="2",
        description="1 - (e^{-n p0 g_k} + e^{-n(1-p0) g_k}) <= Pr(P_k not in {0,1}) <= "
        "1 - (c_k(p0) e^{-n p0 g_k} + c_k(1-p0) e^{-n(1-p0) g_k})",
        domain=N_P0_K,
        parts=_parts,
        statements=_stmts,
        quantity=PR_TRANSIENT,
        params={"n": n, "p0": p0, "k": k},
        sample=PAPER_BERNOULLI,
    )
)

_decay = (1 - 1 / n) ** k
_parts, _stmts = sandwich(
    4 * p0 * (1 - p0) * _decay, PR_TRANSIENT, sp.Min(1, 2 * n * p0 * (1 - p0) * _decay)
)
seddik = register(
    Result(
        id="seddik",
        provenance="A",
        section="2",
        description="Seddik et al. (2024): 4 p0(1-p0)(1-1/n)^k <= Pr(P_k not in {0,1}) <= "
        "min(1, 2 n p0(1-p0)(1-1/n)^k)",
        domain=N_P0_K,
        parts=_parts,
        statements=_stmts,
        quantity=PR_TRANSIENT,
        params={"n": n, "p0": p0, "k": k},
        sample=PAPER_BERNOULLI,
    )
)

absorption = register(
    Result(
        id="absorption",
        provenance="A",
        section="2",
        description="eventual absorption: Pr(P_k -> 1) = p0, Pr(P_k -> 0) = 1 - p0",
        domain=Domain({"n": (1, None, True), "p0": (0, 1, False)},
                      "integer n >= 1, p0 in {0, 1/n, ..., 1}"),
        parts={"to_one": p0, "to_zero": 1 - p0},
        statements={"to_one": sp.Eq(PR_TO_ONE, p0, evaluate=False),
                    "to_zero": sp.Eq(PR_TO_ZERO, 1 - p0, evaluate=False)},
        params={"n": n, "p0": p0},
        sample={"n": 100, "p0": "0.01"},
    )
)

_eigen = sp.Product(1 - i / n, (i, 0, j - 1))
wf_heterozygosity = register(
    Result(
        id="wf_heterozygosity",
        provenance="D",
        section="2",
        description="E[P_k(1 - P_k)] = p0(1 - p0)(1 - 1/n)^k exactly; eigenvalues of T are "
        "lambda_j = prod_{i<j}(1 - i/n)",
        domain=N_P0_K,
        parts={"exact": p0 * (1 - p0) * _decay, "eigenvalue": _eigen},
        statements={"exact": sp.Eq(E_HET, p0 * (1 - p0) * _decay, evaluate=False)},
        quantity=E_HET,
        params={"n": n, "p0": p0, "k": k, "j": j},
        sample={"n": 100, "p0": "0.01", "k": 10, "j": 2},
    )
)

_pi = p[i]
_parts, _stmts = sandwich(
    sp.Sum(survival_lower(_pi), (i, 1, m)),
    E_UNIQ,
    sp.Sum(survival_upper(_pi), (i, 1, m)),
)
corollary1 = register(
    Result(
        id="corollary1",
        provenance="A",
        section="2",
        description="multinomial sampling of a pmf p_{0,i}: sum_i (1 - e^{-n p_i g_k}) <= "
        "E[uniq_k] <= sum_i (1 - c_k(p_i) e^{-n p_i g_k})",
        domain=Domain(
            {"n": (1, None, True), "k": (1, None, True)},
            "integer n >= 1, integer k >= 1, pmf p_1..p_m (sums to 1)",
        ),
        parts=_parts,
        statements=_stmts,
        quantity=E_UNIQ,
        params={"n": n, "k": k},
        sample={"n": 1000, "k": 10, "zipf": "1,2.7,1000"},
    )
)
