"""Section 4 of RESULTS.md: the Gaussian model.

``M_{k+1}`` = sample mean, ``Σ²_{k+1}`` = unbiased sample variance of n draws from
``N(M_k, Σ²_k)``; ``(n−1) Σ²_{k+1} / Σ²_k ~ χ²_{n−1}`` independently across k.

Results: ``gamma_moment`` [D], ``eq3`` [D], ``eq15`` [D], ``theorem3`` [A],
``gaussian_exact`` [+].

Every formula here is built from one expression, the moment ``E[(χ²_m/m)^s]``
(``chi2_moment``): ``M_n(s)``, ``r_n``, the Markov bounds, the characteristic function
and the inversion integrand of the exact probability are substitutions into it.
``chi2_moment`` itself is the integral of ``(x/m)^s`` against the χ²_m density
(``chi2_density``, Appendix C); :func:`derive_chi2_moment` performs that integral with
SymPy (0.3 s, so it is not run at import) and the tests prove it equals ``chi2_moment``.
"""

from __future__ import annotations

import sympy as sp

from .registry import Domain, Quantity, Result, register, sandwich
from .symbols import eps, k, m, n, s, sigma0, t, x

PR_SIGMA = Quantity("Pr_sigma", r"\Pr(\Sigma_k > \varepsilon)")
E_CHI2_S = Quantity("E_chi2_s", r"\mathbb{E}[(\chi^2_m / m)^s]")
E_SIGMA = Quantity("E_sigma", r"\mathbb{E}[\Sigma_k]")

PAPER_GAUSSIAN = {"n": 10, "sigma0": 1, "eps": "0.1", "k": 100}  # Fig. 5

#: a complex integration variable (the inversion contour of ``gaussian_exact``)
z = sp.Symbol("z")
#: the real abscissa of the inversion contour
a_c = sp.Symbol("a", real=True)

#: the chi-squared density with m degrees of freedom (Appendix C), x > 0
chi2_density = x ** (m / 2 - 1) * sp.exp(-x / 2) / (2 ** (m / 2) * sp.gamma(m / 2))
#: E[(chi^2_m/m)^s] = (2/m)^s Gamma(m/2 + s)/Gamma(m/2), s > -m/2
#: (equal to the integral of (x/m)^s chi2_density; proved by the tests with
#: :func:`derive_chi2_moment`)
chi2_moment = (2 / m) ** s * sp.gamma(m / 2 + s) / sp.gamma(m / 2)
#: M_n(s) = E[(chi^2_{n-1}/(n-1))^s]: the per-generation factor of E[Sigma_k^{2s}]
M_n = chi2_moment.subs(m, n - 1)
#: r_n = M_n(1/2) = E[Sigma_{k+1}/Sigma_k]
r_n = M_n.subs(s, sp.Rational(1, 2))
#: the cumulant generating function K_m(s) = log E[(chi^2_m/m)^s] of log(chi^2_m/m)
#: (principal logarithms: exp(k K) is exact for integer k whatever the branch)
cgf = sp.log(chi2_moment)
#: the collapse threshold of the random walk S_k = sum_j log(chi^2_{m,j}/m):
#: Sigma_k > eps  <=>  S_k > 2 log(eps/sigma0)
threshold = 2 * sp.log(eps / sigma0)


def derive_chi2_moment() -> sp.Expr:
    """``E[(χ²_m/m)^s]`` computed by SymPy as ``∫_0^∞ (x/m)^s chi2_density dx``
    (``gamma_moment``; the integral converges for ``s > −m/2``; here ``s >= 0``)."""
    return sp.integrate((x / m) ** s * chi2_density, (x, 0, sp.oo), conds="none")


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
        parts={"chi2_density": chi2_density, "chi2_moment": chi2_moment, "M_n": M_n,
               "sigma_moment": sigma0 ** (2 * s) * M_n**k},
        statements={
            "chi2_moment": sp.Eq(E_CHI2_S, chi2_moment, evaluate=False),
            "from_density": sp.Eq(
                sp.Integral((x / m) ** s * chi2_density, (x, 0, sp.oo)), chi2_moment,
                evaluate=False),
            "log_convex": sp.Ge(sp.diff(cgf, s, 2), 0, evaluate=False),
        },
        quantity=E_CHI2_S,
        params={"m": m, "s": s, "n": n, "sigma0": sigma0, "k": k},
        sample={"m": 9, "s": "0.35", "n": 10, "sigma0": 1, "k": 10},
        notes="log M_n(s) is convex in s (its second derivative is the trigamma function "
        "polygamma(1, (n-1)/2 + s) > 0), so the Markov bound optimised over s is a convex "
        "problem.",
    )
)

_markov_s = (sigma0 / eps) ** (2 * s) * M_n**k
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
            "markov_s_bound": _markov_s,
        },
        statements={
            "expected_sigma": sp.Eq(E_SIGMA, sigma0 * r_n**k, evaluate=False),
            "r_lt_1": sp.Lt(r_n, 1, evaluate=False),
            "markov": sp.Le(PR_SIGMA, (sigma0 / eps) * r_n**k, evaluate=False),
            "markov_s": sp.Le(PR_SIGMA, _markov_s, evaluate=False),
        },
        quantity=PR_SIGMA,
        params={"n": n, "sigma0": sigma0, "eps": eps, "k": k, "s": s},
        sample={**PAPER_GAUSSIAN, "s": "0.35"},
        notes="The optimised bound min_{s>0} markov_s_bound [+] is the Chernoff bound of the "
        "random walk log Sigma_k; its minimiser s_opt solves d/ds log(markov_s_bound) = 0, the "
        "saddle-point equation of gaussian_exact (s_opt = 0, bound 1, when the derivative is "
        ">= 0 at s = 0).",
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

#: characteristic function of log(chi^2_m/m): phi(t) = E[(chi^2_m/m)^{it}]
char_function = chi2_moment.subs(s, sp.I * t)
#: the exponent k K_m(z) - z c of the inversion integrand, m = n - 1, c = threshold
inversion_exponent = k * cgf.subs({s: z, m: n - 1}) - z * threshold
#: Pr(S_k > c) = (1/(2 pi i)) * integral over Re z = a > 0 of exp(inversion_exponent)/z dz
inversion_integrand = sp.exp(inversion_exponent) / z
_inversion = sp.Integral(inversion_integrand, (z, a_c - sp.I * sp.oo, a_c + sp.I * sp.oo)) / (
    2 * sp.pi * sp.I)
gaussian_exact = register(
    Result(
        id="gaussian_exact",
        provenance="+",
        section="4",
        description="the exact Pr(Sigma_k > eps): log Sigma_k = log sigma0 + (1/2) sum of k "
        "i.i.d. log(chi^2_m/m), m = n - 1, inverted from phi(t) (Gil-Pelaez)",
        domain=GAUSS_DOMAIN,
        parts={"char_function": char_function, "threshold": threshold,
               "inversion_integrand": inversion_integrand},
        statements={
            "gil_pelaez": sp.Eq(
                PR_SIGMA,
                sp.Rational(1, 2) + sp.Integral(
                    sp.im(sp.exp(-sp.I * t * threshold) * char_function.subs(m, n - 1) ** k)
                    / t, (t, 0, sp.oo)) / sp.pi,
                evaluate=False),
            "inversion": sp.Eq(PR_SIGMA, _inversion, evaluate=False),
        },
        quantity=PR_SIGMA,
        params={"m": m, "t": t, "n": n, "sigma0": sigma0, "eps": eps, "k": k},
        sample={"m": 9, "t": 1, **PAPER_GAUSSIAN},
        notes="The inversion statement holds for every contour abscissa a > 0 (for a in "
        "(-(n-1)/2, 0) the same integral is -Pr(Sigma_k <= eps)). rmc_symbolic.gaussian_exact "
        "evaluates it on a parabola through the saddle point, bent along the steepest-descent "
        "direction, so that tail probabilities are computed directly (no cancellation in "
        "1/2 - ...).",
    )
)
