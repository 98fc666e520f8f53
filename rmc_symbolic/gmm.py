"""Section 5 of RESULTS.md: the symmetric Gaussian mixture ``½N(μ, σ²) + ½N(−μ, σ²)``.

Statistics of one sample set: ``μ̂0 = mean|y|``, ``m2 = mean y²``, ``σ_s² = m2 − μ̂0²``.

Results: ``lemma5`` [D], ``lemma6`` [D], ``lemma7`` [A], ``theorem4`` [A].
"""

from __future__ import annotations

import sympy as sp

from .registry import Domain, Quantity, Result, register, sandwich
from .symbols import eps, i, k, n, sigma0

PR_SIGMA_GMM = Quantity("Pr_sigma_gmm", r"\Pr(\Sigma_k > \varepsilon)")

y = sp.IndexedBase("y", real=True)
mu = sp.Symbol("mu", nonnegative=True)
sigma2 = sp.Symbol("sigma^2", positive=True)
alpha = sp.Symbol("alpha", positive=True)
m2 = sp.Symbol("m_2", positive=True)
mu0_hat = sp.Symbol("hat{mu}_0", nonnegative=True)
a = sp.Symbol("a", positive=True)
eta = sp.Symbol("eta", positive=True)


def _mean(expr: sp.Expr) -> sp.Expr:
    return sp.Sum(expr, (i, 1, n)) / n


lemma5 = register(
    Result(
        id="lemma5",
        provenance="D",
        section="5",
        description="joint ML equations of the symmetric mixture: mu = mean(y tanh(mu y/sigma^2)), "
        "mu^2 + sigma^2 = m2",
        domain=Domain({"n": (1, None, True)}, "integer n >= 1, samples y_1..y_n"),
        parts={"mean_eq_rhs": _mean(y[i] * sp.tanh(mu * y[i] / sigma2)),
               "m2": _mean(y[i] ** 2)},
        statements={
            "mean_eq": sp.Eq(mu, _mean(y[i] * sp.tanh(mu * y[i] / sigma2)), evaluate=False),
            "second_moment": sp.Eq(mu**2 + sigma2, m2, evaluate=False),
        },
        params={"n": n},
    )
)

_h = _mean(sp.Abs(y[i]) * sp.tanh(sp.Abs(y[i]) / alpha))
_rhs19 = sp.sqrt(m2 + alpha**2 / 4) - alpha / 2
lemma6 = register(
    Result(
        id="lemma6",
        provenance="D",
        section="5",
        description="with alpha = sigma^2/mu the ML point solves h(alpha) = sqrt(m2 + alpha^2/4) "
        "- alpha/2, h(alpha) = mean(|y| tanh(|y|/alpha)) (eq. 19); no finite root => mu = 0",
        domain=Domain({"n": (1, None, True)}, "integer n >= 1, samples y_1..y_n, alpha > 0"),
        parts={"h": _h, "rhs": _rhs19, "mu_hat": _h, "sigma2_hat": alpha * _h},
        statements={"eq19": sp.Eq(_h, _rhs19, evaluate=False)},
        params={"n": n},
    )
)

sigma_s2 = m2 - mu0_hat**2
#: kappa(eta, n) of Algorithm 1
kappa = sp.exp((eta - 1) * ((n - 1) / 2 + 4 * eta) / (eta * (n - 1) * (n + 4 * eta - 1))) - 1
_sigma_a2_inner = a * m2 * sigma_s2 / (a * mu0_hat**2 + 2 * m2)
_valid = sp.Le(m2, 2 * a / (a - 2) * mu0_hat**2)
sigma_a2 = sp.Piecewise((_sigma_a2_inner, _valid), (m2, True))
mu_a = sp.sqrt(m2 - sigma_a2)
a_of_kappa = sp.Piecewise(
    (2 * (1 + kappa) * m2 / (m2 - (1 + kappa) * mu0_hat**2), m2 > (1 + kappa) * mu0_hat**2),
    (50, True),
)
lemma7 = register(
    Result(
        id="lemma7",
        provenance="A",
        section="5",
        description="Algorithm 1 (approximate joint ML): sigma_a^2 = a m2 sigma_s^2/(a mu0^2 + "
        "2 m2) if m2 <= (2a/(a-2)) mu0^2 else m2; mu_a = sqrt(m2 - sigma_a^2)",
        domain=Domain({"n": (2, None, True)},
                      "integer n >= 2, m2 > 0, 0 <= mu0_hat^2 <= m2, a > 2, eta > 1"),
        parts={"sigma_a2": sigma_a2, "sigma_a2_inner": _sigma_a2_inner, "mu_a": mu_a,
               "kappa": kappa, "a": a_of_kappa, "sigma_s2": sigma_s2},
        statements={
            "validity": sp.Equivalent(_valid, sp.Le(_sigma_a2_inner, m2)),
            "shape": sp.Le(_sigma_a2_inner, a / 2 * sigma_s2, evaluate=False),
            "moment": sp.Eq(mu_a**2 + sigma_a2, m2, evaluate=False),
        },
        params={"n": n},
        sample={"n": 10},
    )
)

_parts, _stmts = sandwich(None, PR_SIGMA_GMM, (sigma0 / eps) * sp.exp(-k / (4 * n)))
theorem4 = register(
    Result(
        id="theorem4",
        provenance="A",
        section="5",
        description="with the approximate joint ML estimator, Pr(Sigma_k > eps) <= "
        "(sigma0/eps) exp(-k/(4n))",
        domain=Domain(
            {"n": (2, None, True), "sigma0": (0, None, False), "eps": (0, None, False),
             "k": (1, None, True)},
            "integer n >= 2, sigma0 > 0, eps > 0, integer k >= 1 (mu0 >= 0)",
        ),
        parts=_parts,
        statements=_stmts,
        quantity=PR_SIGMA_GMM,
        params={"n": n, "sigma0": sigma0, "eps": eps, "k": k},
        sample={"n": 10, "sigma0": 1, "eps": "0.1", "k": 100},
    )
)
