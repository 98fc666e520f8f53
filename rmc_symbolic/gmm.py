"""Section 5 of RESULTS.md: the symmetric Gaussian mixture ``½N(μ, σ²) + ½N(−μ, σ²)``.

Statistics of one sample set y_1..y_n: ``m_1 = mean|y|`` (the paper's ``μ̂0``),
``m_2 = mean y²`` (``σ∞²``), ``m_4 = mean y⁴``, ``σ_s² = m_2 − m_1²``.

Results: ``lemma5`` [D], ``lemma6`` [D], ``lemma7`` [A], ``theorem4`` [A].
Numerics (both ML estimators, the simulation of theorem4) are in
:mod:`rmc_symbolic.mixture_ml`, lambdified from the expressions here.
"""

from __future__ import annotations

import sympy as sp

from .registry import Domain, Quantity, Result, register, sandwich
from .symbols import eps, i, k, n, sigma0

PR_SIGMA_GMM = Quantity("Pr_sigma_gmm", r"\Pr(\Sigma_k > \varepsilon)")
LIKELIHOOD_UNBOUNDED = Quantity("lik_unbounded", r"\sup_{\mu, \sigma} L(\mu, \sigma) = \infty")

y = sp.IndexedBase("y", real=True)
mu = sp.Symbol("mu", nonnegative=True)
sigma = sp.Symbol("sigma", positive=True)
sigma2 = sigma**2  #: the mixture variance
alpha = sp.Symbol("alpha", positive=True)
m1 = sp.Symbol("m_1", nonnegative=True)  #: mean |y| (the paper's hat{mu}_0)
mu0_hat = m1  #: the paper's name for m_1
m2 = sp.Symbol("m_2", positive=True)  #: mean y^2 (the paper's sigma_inf^2)
m4 = sp.Symbol("m_4", positive=True)  #: mean y^4
a = sp.Symbol("a", positive=True)
eta = sp.Symbol("eta", positive=True)


def _mean(expr: sp.Expr) -> sp.Expr:
    return sp.Sum(expr, (i, 1, n)) / n


def _normal_pdf(v: sp.Expr, mean: sp.Expr, sd: sp.Expr) -> sp.Expr:
    return sp.exp(-((v - mean) ** 2) / (2 * sd**2)) / (sp.sqrt(2 * sp.pi) * sd)


#: the log-likelihood of the samples under the symmetric mixture
log_likelihood = sp.Sum(
    sp.log(_normal_pdf(y[i], mu, sigma) / 2 + _normal_pdf(y[i], -mu, sigma) / 2), (i, 1, n))

lemma5 = register(
    Result(
        id="lemma5",
        provenance="D",
        section="5",
        description="joint ML equations of the symmetric mixture: mu = mean(y tanh(mu y/sigma^2)), "
        "mu^2 + sigma^2 = m2",
        domain=Domain({"n": (1, None, True)}, "integer n >= 1, samples y_1..y_n"),
        parts={"mean_eq_rhs": _mean(y[i] * sp.tanh(mu * y[i] / sigma2)),
               "m2": _mean(y[i] ** 2), "log_likelihood": log_likelihood},
        statements={
            "mean_eq": sp.Eq(mu, _mean(y[i] * sp.tanh(mu * y[i] / sigma2)), evaluate=False),
            "second_moment": sp.Eq(mu**2 + sigma2, m2, evaluate=False),
        },
        params={"n": n},
        notes="Both equations are the stationarity conditions of log_likelihood in mu and "
        "sigma (the second after substituting the first).",
    )
)

_h = _mean(sp.Abs(y[i]) * sp.tanh(sp.Abs(y[i]) / alpha))
_rhs19 = sp.sqrt(m2 + alpha**2 / 4) - alpha / 2
#: the same right-hand side without the cancellation at large alpha (derived, not typed)
_rhs19_stable = sp.expand(( _rhs19 + alpha / 2) ** 2 - (alpha / 2) ** 2) / (
    _rhs19 + alpha)
_gap_at_zero = m1 - sp.sqrt(m2)
_tail_coefficient = m2**2 - m4 / 3
lemma6 = register(
    Result(
        id="lemma6",
        provenance="D",
        section="5",
        description="with alpha = sigma^2/mu the ML point solves h(alpha) = sqrt(m2 + alpha^2/4) "
        "- alpha/2, h(alpha) = mean(|y| tanh(|y|/alpha)) (eq. 19); no finite root => mu = 0",
        domain=Domain({"n": (1, None, True)}, "integer n >= 1, samples y_1..y_n, alpha > 0"),
        parts={"h": _h, "rhs": _rhs19, "rhs_stable": _rhs19_stable, "mu_hat": _h,
               "sigma2_hat": alpha * _h, "m1": _mean(sp.Abs(y[i])), "m4": _mean(y[i] ** 4),
               "gap_at_zero": _gap_at_zero, "tail_coefficient": _tail_coefficient},
        statements={
            "eq19": sp.Eq(_h, _rhs19, evaluate=False),
            # h - rhs -> m1 - sqrt(m2) <= 0 as alpha -> 0+ (Cauchy-Schwarz) ...
            "limit_at_zero": sp.Eq(sp.Limit(_h - _rhs19, alpha, 0, "+"), _gap_at_zero,
                                   evaluate=False),
            "gap_nonpositive": sp.Le(_gap_at_zero, 0, evaluate=False),
            # ... and alpha^3 (h - rhs) -> m2^2 - m4/3 as alpha -> oo, so by the intermediate
            # value theorem a finite root exists whenever 3 m2^2 > m4 and m1 < sqrt(m2)
            "limit_at_infinity": sp.Eq(sp.Limit(alpha**3 * (_h - _rhs19), alpha, sp.oo),
                                       _tail_coefficient, evaluate=False),
            "root_exists": sp.Implies(
                sp.And(sp.Gt(3 * m2**2, m4), sp.Lt(_gap_at_zero, 0)),
                sp.And(sp.Gt(_tail_coefficient, 0), sp.Lt(_gap_at_zero, 0))),
            # when every |y_i| is the same value c, m1 = sqrt(m2) and the likelihood is
            # unbounded (mu = c, sigma -> 0): no ML point exists
            "unbounded_if_equal": sp.Implies(sp.Eq(m1**2, m2), LIKELIHOOD_UNBOUNDED),
        },
        params={"n": n},
        notes="Stationary points with mu > 0 are the roots of eq. 19; mu = 0, sigma^2 = m2 is "
        "always stationary. The ML point is the one of largest likelihood (rmc compares them). "
        "m1 = sqrt(m2) exactly when all |y_i| are equal; then the likelihood is unbounded.",
    )
)

sigma_s2 = m2 - m1**2
#: kappa(eta, n) of Algorithm 1
kappa = sp.exp((eta - 1) * ((n - 1) / 2 + 4 * eta) / (eta * (n - 1) * (n + 4 * eta - 1))) - 1
_sigma_a2_inner = a * m2 * sigma_s2 / (a * m1**2 + 2 * m2)
_valid = sp.Le(m2, 2 * a / (a - 2) * m1**2)
sigma_a2 = sp.Piecewise((_sigma_a2_inner, _valid), (m2, True))
mu_a = sp.sqrt(m2 - sigma_a2)
_a_main = 2 * (1 + kappa) * m2 / (m2 - (1 + kappa) * m1**2)
_A_CAP = 50
a_of_kappa = sp.Piecewise((_a_main, m2 > (1 + kappa) * m1**2), (_A_CAP, True))
#: the value of m2/m1^2 above which Algorithm 1 (with a = a_of_kappa) returns sigma_a^2 = m2
branch_threshold = (1 + kappa) / kappa
lemma7 = register(
    Result(
        id="lemma7",
        provenance="A",
        section="5",
        description="Algorithm 1 (approximate joint ML): sigma_a^2 = a m2 sigma_s^2/(a mu0^2 + "
        "2 m2) if m2 <= (2a/(a-2)) mu0^2 else m2; mu_a = sqrt(m2 - sigma_a^2)",
        domain=Domain({"n": (2, None, True)},
                      "integer n >= 2, m2 > 0, 0 <= m1^2 <= m2 <= n m1^2, a > 2, eta > 1"),
        parts={"sigma_a2": sigma_a2, "sigma_a2_inner": _sigma_a2_inner, "mu_a": mu_a,
               "kappa": kappa, "a": a_of_kappa, "sigma_s2": sigma_s2,
               "branch_threshold": branch_threshold},
        statements={
            "validity": sp.Equivalent(_valid, sp.Le(_sigma_a2_inner, m2)),
            "shape": sp.Le(_sigma_a2_inner, a / 2 * sigma_s2, evaluate=False),
            "moment": sp.Eq(mu_a**2 + sigma_a2, m2, evaluate=False),
            # with a = a_of_kappa (first branch) the validity condition is m2/m1^2 <= (1+k)/k
            "branch_condition": sp.Equivalent(
                _valid.subs(a, _a_main), sp.Le(m2, branch_threshold * m1**2)),
            # always m2 <= n m1^2 ((sum |y|)^2 >= sum y^2) ...
            "sample_ratio": sp.Le(m2, n * m1**2, evaluate=False),
            # ... and with eta = 2 the threshold exceeds n: the branch sigma_a^2 = m2 is
            # unreachable (integer n >= 2)
            "eta2_unreachable": sp.Gt(branch_threshold.subs(eta, 2), n, evaluate=False),
            # in the cap branch a = 50 (m2 <= (1+kappa) m1^2) validity needs 1 + kappa <=
            # 2a/(a-2) = 25/12, true for eta = 2 and every n >= 2
            "cap_valid_eta2": sp.Le(1 + kappa.subs(eta, 2), sp.Rational(2 * _A_CAP, _A_CAP - 2),
                                    evaluate=False),
        },
        params={"n": n},
        sample={"n": 10},
        notes="kappa(2, n) decreases in n (kappa(2, 2) = e^{17/36} - 1 < 13/12). For large "
        "eta the branch is reachable: e.g. n = 10, eta = 1000, y = (1, 0, ..., 0) has "
        "m2/m1^2 = 10 > (1+kappa)/kappa = 9.53.",
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
        notes="Not exact-checkable: rmc gmm --mc compares it with simulation (both "
        "estimators, 95% Wilson intervals).",
    )
)
