"""Section 4 of RESULTS.md: the Gaussian model.

``M_{k+1}`` = sample mean, ``Σ²_{k+1}`` = unbiased sample variance of n draws from
``N(M_k, Σ²_k)``; ``(n−1) Σ²_{k+1} / Σ²_k ~ χ²_{n−1}`` independently across k.

Results: ``gamma_moment`` [D], ``eq3`` [D], ``eq15`` [D], ``theorem3`` [A],
``gaussian_exact`` [+].
"""

from __future__ import annotations

import sympy as sp

from .registry import Domain, Quantity, Result, register, sandwich
from .symbols import eps, k, m, n, s, sigma0, t, x

PR_SIGMA = Quantity("Pr_sigma", r"\Pr(\Sigma_k > \varepsilon)")
E_CHI2_S = Quantity("E_chi2_s", r"\mathbb{E}[(\chi^2_m / m)^s]")
E_SIGMA = Quantity("E_sigma", r"\mathbb{E}[\Sigma_k]")

PAPER_GAUSSIAN = {"n": 10, "sigma0": 1, "eps": "0.1", "k": 100}  # Fig. 5

#: E[(chi^2_m/m)^s] = (2/m)^s Gamma(m/2 + s)/Gamma(m/2)
chi2_moment = (2 / m) ** s * sp.gamma(m / 2 + s) / sp.gamma(m / 2)
#: M_n(s) = E[(chi^2_{n-1}/(n-1))^s]: the per-generation factor of E[Sigma_k^{2s}]
M_n = chi2_moment.subs(m, n - 1)
#: r_n = M_n(1/2) = E[Sigma_{k+1}/Sigma_k]
r_n = M_n.subs(s, sp.Rational(1, 2))

GAUSS_DOMAIN = Domain(
    {"n": (2, None, True), "sigma0": (0, None, False), "eps": (0, None, False),
     "k": (1, None, True)},
    "integer n >= 2, sigma0 > 0, eps > 0, integer k >= 1",
)

gamma_moment = register(
    Result(
        id="gamma_moment",
        provenance="D",
        section="4",
        description="E[(chi^2_m/m)^s] = (2/m)^s Gamma(m/2 + s)/Gamma(m/2); "
        "E[Sigma_k^{2s}] = sigma0^{2s} M_n(s)^k",
        domain=Domain({"m": (1, None, True), "s": (0, None, False), "n": (2, None, True)},
                      "integer m >= 1, s > -m/2 (here s >= 0), integer n >= 2"),
        parts={"chi2_moment": chi2_moment, "M_n": M_n,
               "sigma_moment": sigma0 ** (2 * s) * M_n**k},
        statements={"chi2_moment": sp.Eq(E_CHI2_S, chi2_moment, evaluate=False)},
        quantity=E_CHI2_S,
        params={"m": m, "s": s, "n": n, "sigma0": sigma0, "k": k},
        sample={"m": 9, "s": "0.35", "n": 10, "sigma0": 1, "k": 10},
    )
)

eq3 = register(
    Result(
        id="eq3",
        provenance="D",
        section="4",
        description="E[Sigma_k] = sigma0 r_n^k, r_n = M_n(1/2) < 1; Markov: "
        "Pr(Sigma_k > eps) <= (sigma0/eps) r_n^k, and (sigma0/eps)^{2s} M_n(s)^k for s > 0",
        domain=GAUSS_DOMAIN,
        parts={
            "r_n": r_n,
            "expected_sigma": sigma0 * r_n**k,
            "markov_bound": (sigma0 / eps) * r_n**k,
            "markov_s_bound": (sigma0 / eps) ** (2 * s) * M_n**k,
        },
        statements={
            "expected_sigma": sp.Eq(E_SIGMA, sigma0 * r_n**k, evaluate=False),
            "r_lt_1": sp.Lt(r_n, 1, evaluate=False),
            "markov": sp.Le(PR_SIGMA, (sigma0 / eps) * r_n**k, evaluate=False),
        },
        quantity=PR_SIGMA,
        params={"n": n, "sigma0": sigma0, "eps": eps, "k": k, "s": s},
        sample={**PAPER_GAUSSIAN, "s": "0.35"},
    )
)

_gurland_lhs = sp.gamma(x + sp.Rational(1, 2)) / sp.gamma(x)
_gurland_rhs = x / sp.sqrt(x + sp.Rational(1, 4))
_r_sqrt = sp.sqrt(1 - 1 / (2 * n - 1))
_r_exp = sp.exp(-1 / (4 * n - 2))
eq15 = register(
    Result(
        id="eq15",
        provenance="D",
        section="4",
        description="Gurland (1956): Gamma(x + 1/2)/Gamma(x) <= x/sqrt(x + 1/4) for x > 0; "
        "hence r_n <= sqrt(1 - 1/(2n-1)) <= e^{-1/(4n-2)}",
        domain=Domain({"x": (0, None, False), "n": (2, None, True)}, "x > 0; integer n >= 2"),
        parts={"lhs": _gurland_lhs, "rhs": _gurland_rhs, "r_n": r_n,
               "r_sqrt_bound": _r_sqrt, "r_exp_bound": _r_exp},
        statements={
            "gurland": sp.Le(_gurland_lhs, _gurland_rhs, evaluate=False),
            "r_sqrt": sp.Le(r_n, _r_sqrt, evaluate=False),
            "sqrt_exp": sp.Le(_r_sqrt, _r_exp, evaluate=False),
        },
        params={"x": x, "n": n},
        sample={"x": "4.5", "n": 10},
    )
)

_parts, _stmts = sandwich(
    None, PR_SIGMA, (sigma0 / eps) * sp.exp(-k / (4 * n - 1)),
    gurland_bound=(sigma0 / eps) * _r_sqrt**k,
)
theorem3 = register(
    Result(
        id="theorem3",
        provenance="A",
        section="4",
        description="Pr(Sigma_k > eps) <= (sigma0/eps) exp(-k/(4n - 1)) for n >= 2",
        domain=GAUSS_DOMAIN,
        parts=_parts,
        statements=_stmts,
        quantity=PR_SIGMA,
        params={"n": n, "sigma0": sigma0, "eps": eps, "k": k},
        sample=PAPER_GAUSSIAN,
        notes="One version of the paper prints 4n in place of 4n - 1; both follow from eq15.",
    )
)

#: characteristic function of log(chi^2_m/m)
char_function = (2 / m) ** (sp.I * t) * sp.gamma(m / 2 + sp.I * t) / sp.gamma(m / 2)
gaussian_exact = register(
    Result(
        id="gaussian_exact",
        provenance="+",
        section="4",
        description="the exact Pr(Sigma_k > eps): log Sigma_k = log sigma0 + (1/2) sum of k "
        "i.i.d. log(chi^2_m/m), m = n - 1, inverted from phi(t) (Gil-Pelaez)",
        domain=GAUSS_DOMAIN,
        parts={"char_function": char_function},
        quantity=PR_SIGMA,
        params={"m": m, "t": t, "n": n, "sigma0": sigma0, "eps": eps, "k": k},
        sample={"m": 9, "t": 1, **PAPER_GAUSSIAN},
    )
)
