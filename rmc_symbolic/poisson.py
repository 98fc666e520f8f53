"""Section 3 of RESULTS.md: the Poisson model, a critical Galton–Watson chain.

``N_k = n Λ_k``, ``N_{k+1} | N_k ~ Poisson(N_k)``.

Results: ``theorem2`` [A] (exact, with the bounds it inherits from ``lemma2`` and
``lemma2_sharp`` by substitution), ``corollary2`` [A].
"""

from __future__ import annotations

import sympy as sp

from .bernoulli import survival_lower
from .iterated_map import gk
from .iterated_results import lemma2, lemma2_sharp
from .registry import Domain, Quantity, Result, register
from .symbols import i, k, lambda0, m, n, p

PR_POISSON_ALIVE = Quantity("Pr_poisson_alive", r"\Pr(\Lambda_k \neq 0)")
E_UNIQ_POISSON = Quantity("E_uniq_poisson", r"\mathbb{E}[\mathrm{uniq}_k]")


# The survival formula 1 - e^{-n q g_k} is the one of Theorem 1's lower bound.
_exact = survival_lower(lambda0)


def _through(bound: sp.Expr) -> sp.Expr:
    """Theorem 2's exact value with g_k replaced by a bound on g_k (monotone in g_k)."""
    return _exact.subs(gk(k), bound)


theorem2 = register(
    Result(
        id="theorem2",
        provenance="A",
        section="3",
        description="Pr(Lambda_k != 0) = 1 - e^{-n lambda0 g_k} exactly; bounds from lemma2 "
        "and lemma2_sharp",
        domain=Domain(
            {"n": (1, None, True), "lambda0": (0, None, False), "k": (1, None, True)},
            "integer n >= 1, lambda0 > 0 with n lambda0 an integer, integer k >= 1",
        ),
        parts={
            "exact": _exact,
            "lemma2_lower": _through(lemma2.parts["lower"]),
            "lemma2_upper": _through(lemma2.parts["upper"]),
            "sharp_lower": _through(lemma2_sharp.parts["lower"]),
            "sharp_upper": _through(lemma2_sharp.parts["upper"]),
        },
        statements={"exact": sp.Eq(PR_POISSON_ALIVE, _exact, evaluate=False)},
        quantity=PR_POISSON_ALIVE,
        params={"n": n, "lambda0": lambda0, "k": k},
        sample={"n": 10, "lambda0": 1, "k": 10},
    )
)

_sum = sp.Sum(survival_lower(p[i]), (i, 1, m))
corollary2 = register(
    Result(
        id="corollary2",
        provenance="A",
        section="3",
        description="Poisson sampling of a pmf: E[uniq_k] = sum_i (1 - e^{-n p_i g_k}) exactly",
        domain=Domain(
            {"n": (1, None, True), "k": (1, None, True)},
            "integer n >= 1, integer k >= 1, pmf p_1..p_m",
        ),
        parts={"exact": _sum},
        statements={"exact": sp.Eq(E_UNIQ_POISSON, _sum, evaluate=False)},
        quantity=E_UNIQ_POISSON,
        params={"n": n, "k": k},
        sample={"n": 1000, "k": 10, "zipf": "1,2.7,1000"},
    )
)
