"""Maximum-likelihood estimation in the symmetric Gaussian mixture ``½N(μ,σ²) + ½N(−μ,σ²)``
and the simulation of its recursive training (RESULTS.md §5: ``lemma5``, ``lemma6``,
``lemma7``, ``theorem4``).

* :func:`joint_ml` — the joint ML estimate at any precision (mpmath). Every stationary
  point with μ > 0 is a root of eq. 19 (``lemma6``), ``h(α) = rhs(α)``, α = σ²/μ; μ = 0,
  σ² = m2 is always stationary. Roots are *bracketed* on a logarithmic grid of α (no root
  lies below ``α = 2(√m2 − m1)``, where ``h <= m1`` and ``rhs >= √m2 − α/2``), refined by
  bisection-safeguarded root finding, and the ML point is the stationary point of largest
  likelihood (``lemma5.parts["log_likelihood"]``). When 3 m2² > m4 a finite root exists
  (``lemma6.statements["root_exists"]``) and the grid is extended until it is bracketed.
  Edge cases, reported in ``status``: all |y_i| equal → the likelihood is unbounded
  (μ = |y|, σ → 0) and there is no ML point (``"unbounded"``); all y_i = 0 →
  ``"degenerate"``.
* :func:`approx_ml` — Algorithm 1 (``lemma7``), the closed form lambdified from the
  registry (``sigma_a2`` with ``a = a_of_kappa(eta, n)``).
* :func:`joint_ml_np`, :func:`approx_ml_np` — the same estimators vectorised over
  trajectories with NumPy (double precision) for :func:`simulate_sigma_exceeds`.
  ``joint_ml_np`` scans a fixed grid of 32 values of α/√m2 in ``[2(1 − m1/√m2), 10^4]``;
  a root beyond 10^4 √m2 (μ < 10^-4 √m2) is taken as μ = 0, σ² = m2.
* :func:`simulate_sigma_exceeds` — the fraction of trajectories with ``Σ_k > ε`` (theorem4's
  quantity) with 95% Wilson intervals, for either estimator.

Domain: n >= 2 samples per generation, mu0 >= 0, sigma0 > 0, eps > 0.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import mpmath
import sympy as sp

from .errors import InputError
from .registry import get

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "JointML", "ApproxML", "sample_stats", "joint_ml", "approx_ml", "joint_ml_np",
    "approx_ml_np", "simulate_sigma_exceeds", "read_samples", "log_likelihood",
]

ESTIMATORS = ("approx", "joint")

#: seconds of :func:`joint_ml` per sample, by digits (the 2-core reference machine)
_JOINT_SECONDS = ((15, 0.0013), (100, 0.0027), (400, 0.013))


def joint_ml_seconds(count: int, dps: int) -> float:
    """Estimated seconds of :func:`joint_ml` on ``count`` samples at ``dps`` digits."""
    from .limits import loglog_interp

    return 0.2 + count * loglog_interp(_JOINT_SECONDS, max(dps, 15))


# --------------------------------------------------------------------------- formulas


def _summand(expr: sp.Expr) -> tuple[sp.Expr, sp.Symbol]:
    """The summand of the (single) sample sum in ``expr``, with ``y[i]`` replaced by a
    plain symbol ``Y`` (so it can be vectorised over samples)."""
    from .gmm import y

    sums = list(expr.atoms(sp.Sum))
    if len(sums) != 1:
        raise ValueError("expected exactly one sum over the samples")
    (idx, _, _), = sums[0].limits
    Y = sp.Symbol("Y", real=True)
    return sums[0].function.xreplace({y[idx]: Y}), Y


@functools.lru_cache(maxsize=4)
def _compiled(module: str):
    """Functions lambdified from the registry, for ``module`` = "mpmath" or "numpy"."""
    from .gmm import a, alpha, eta, m1, m2, mu, sigma
    from .symbols import n

    l5, l6, l7 = get("lemma5"), get("lemma6"), get("lemma7")
    h_term, Y = _summand(l6.parts["h"])
    Yp = sp.Symbol("Yp", positive=True)  # h depends on |y| only: callers pass |y|
    f_h = sp.lambdify((Yp, alpha), h_term.subs(Y, Yp), module)
    f_rhs = sp.lambdify((m2, alpha), l6.parts["rhs_stable"], module)
    # log(X1 + X2) with X1, X2 the two halves of the mixture density: as log-sum-exp
    ll_term, Yl = _summand(l5.parts["log_likelihood"])
    halves = sp.Add.make_args(ll_term.args[0])
    logs = [sp.expand_log(sp.log(hh), force=True) for hh in halves]
    f_logs = [sp.lambdify((Yl, mu, sigma), lg, module) for lg in logs]
    # sigma_a^2(m1, m2, a) and a(m1, m2, n, eta) separately (lambdifying the composition
    # makes SymPy fold the nested Piecewise: 10 s)
    # sigma_s^2 = m2 - m1^2 enters as its own argument (the variance of |y|, computed
    # stably by the caller: m2 - m1^2 cancels when sigma << mu)
    s_s2 = sp.Symbol("S_s2", nonnegative=True)
    f_s2 = sp.lambdify((m1, m2, a, s_s2),
                       l7.parts["sigma_a2"].subs(l7.parts["sigma_s2"], s_s2), module)
    f_a = sp.lambdify((m1, m2, n, eta), l7.parts["a"], module)

    def f_s2a(m1_, m2_, n_, eta_, ss2_=None):
        ss2_ = m2_ - m1_**2 if ss2_ is None else ss2_
        return f_s2(m1_, m2_, f_a(m1_, m2_, n_, eta_), ss2_)

    f_kappa = sp.lambdify((n, eta), l7.parts["kappa"], module)
    f_mu_a = sp.lambdify((m2, sp.Symbol("S2")), l7.parts["mu_a"].subs(
        l7.parts["sigma_a2"], sp.Symbol("S2")), module)
    return {"h": f_h, "rhs": f_rhs, "logs": f_logs, "sigma_a2": f_s2a, "a": f_a,
            "kappa": f_kappa, "mu_a": f_mu_a}


# --------------------------------------------------------------------------- one sample set


@dataclass(frozen=True)
class JointML:
    """The joint ML estimate (``lemma5``/``lemma6``) of one sample set.

    status: ``"finite_root"`` (mu > 0 from a root alpha of eq. 19), ``"no_finite_root"``
    (mu = 0, sigma2 = m2: eq. 19 has no root, or its roots have a smaller likelihood),
    ``"unbounded"`` (all |y_i| equal: no ML point; mu = |y|, sigma2 = 0 is the limit),
    ``"degenerate"`` (all y_i = 0). ``roots``: every bracketed root of eq. 19.
    """

    mu: mpmath.mpf
    sigma2: mpmath.mpf
    status: str
    alpha: mpmath.mpf | None = None
    loglik: mpmath.mpf | None = None
    roots: list = field(default_factory=list)


@dataclass(frozen=True)
class ApproxML:
    """Algorithm 1's estimate (``lemma7``): ``sigma2 = sigma_a^2``, ``mu = mu_a``, with
    ``a = a_of_kappa``; ``branch`` is ``"main"`` or ``"m2"`` (sigma_a^2 = m2), ``a_branch``
    is ``"main"`` or ``"cap"`` (a = 50)."""

    mu: mpmath.mpf
    sigma2: mpmath.mpf
    a: mpmath.mpf
    kappa: mpmath.mpf
    branch: str
    a_branch: str


def _exact_samples(ys: Sequence) -> list[Fraction]:
    from .parsing import parse_exact

    out = [parse_exact(v, "sample") if not isinstance(v, Fraction) else v for v in ys]
    if len(out) < 2:
        raise InputError(f"samples: {len(out)} value(s) given; at least 2 are needed")
    return out


def sample_stats(ys: Sequence) -> tuple[Fraction, Fraction, Fraction]:
    """Exact ``(m1, m2, m4)`` = mean |y|, mean y², mean y⁴ of exact samples."""
    q = _exact_samples(ys)
    cnt = len(q)
    return (sum(abs(v) for v in q) / cnt, sum(v * v for v in q) / cnt,
            sum(v**4 for v in q) / cnt)


def log_likelihood(ys: Sequence, mu: object, sigma2: object) -> mpmath.mpf:
    """``lemma5.parts["log_likelihood"]`` at (mu, sigma2), at the current mpmath precision."""
    f1, f2 = _compiled("mpmath")["logs"]
    sd = mpmath.sqrt(sigma2)
    return mpmath.fsum(mpmath.log(mpmath.exp(f1(_mp(v), mu, sd)) + mpmath.exp(f2(_mp(v), mu, sd)))
                       for v in ys)


def _mp(v) -> mpmath.mpf:
    from .evaluate import to_mpf

    return to_mpf(v)


def joint_ml(ys: Sequence, dps: int = 30, grid: int = 200) -> JointML:
    """The joint ML estimate of (mu, sigma^2) from exact samples ``ys`` to ``dps`` digits
    (``lemma6``; see the module text for the method and the edge cases)."""
    q = _exact_samples(ys)
    if all(v == 0 for v in q):
        return JointML(mpmath.mpf(0), mpmath.mpf(0), "degenerate")
    if len({abs(v) for v in q}) == 1:
        with mpmath.workdps(dps):
            return JointML(_mp(abs(q[0])), mpmath.mpf(0), "unbounded")
    m1q, m2q, m4q = sample_stats(q)
    fn = _compiled("mpmath")
    with mpmath.workdps(dps + 20):
        ysm = [_mp(abs(v)) for v in q]
        m1, m2 = _mp(m1q), _mp(m2q)
        root_m2 = mpmath.sqrt(m2)

        def f(al):  # h - rhs of eq. 19 (ysm holds |y_i|)
            return mpmath.fsum(fn["h"](v, al) for v in ysm) / len(ysm) - fn["rhs"](m2, al)

        lo = 2 * (root_m2 - m1)  # f < 0 below (see module text)
        lo = max(lo, root_m2 * mpmath.mpf(10) ** -12)
        hi = root_m2 * mpmath.mpf(10) ** 6
        must_root = 3 * m2q**2 > m4q
        for _ in range(10):  # extend the grid until the guaranteed root is bracketed
            if not must_root or f(hi) > 0:
                break
            hi *= mpmath.mpf(10) ** 6
        pts = [lo * (hi / lo) ** (mpmath.mpf(j) / grid) for j in range(grid + 1)]
        vals = [f(p) for p in pts]
        roots = []
        for j in range(grid):
            if vals[j] == 0:
                roots.append(pts[j])
            elif vals[j] * vals[j + 1] < 0:
                roots.append(mpmath.findroot(f, (pts[j], pts[j + 1]), solver="anderson"))
        cands = [(mpmath.mpf(0), m2, None)]
        for al in roots:
            mu_ = fn["rhs"](m2, al)
            cands.append((mu_, al * mu_, al))
        scored = [(log_likelihood(q, mu_, s2_), mu_, s2_, al) for mu_, s2_, al in cands]
        best = max(scored, key=lambda r: r[0])
    with mpmath.workdps(dps):
        ll, mu_, s2_, al = (+v if v is not None else None for v in best)
        status = "finite_root" if al is not None else "no_finite_root"
        return JointML(mu_, s2_, status, al, ll, [+r for r in roots])


def approx_ml(ys: Sequence, eta: object = 2, dps: int = 30) -> ApproxML:
    """Algorithm 1 (``lemma7``) on exact samples ``ys`` with parameter ``eta > 1``."""
    from .gmm import eta as eta_s
    from .gmm import m1 as m1s
    from .gmm import m2 as m2s
    from .symbols import n as n_s

    q = _exact_samples(ys)
    eta_q = eta if isinstance(eta, Fraction) else Fraction(str(eta))
    if eta_q <= 1:
        raise InputError(f"eta = {eta} is outside the allowed range (1, inf)")
    m1q, m2q, _ = sample_stats(q)
    if m2q == 0:
        raise InputError("samples: all values are 0 (m2 = 0): the estimate is undefined")
    fn = _compiled("mpmath")
    l7 = get("lemma7")
    with mpmath.workdps(dps + 20):
        m1, m2, nn, et = _mp(m1q), _mp(m2q), mpmath.mpf(len(q)), _mp(eta_q)
        s2 = fn["sigma_a2"](m1, m2, nn, et)
        a_ = fn["a"](m1, m2, nn, et)
        kap = fn["kappa"](nn, et)
        mu_ = fn["mu_a"](m2, s2) if s2 < m2 else mpmath.mpf(0)
        # which branches were taken (the conditions of the registry's Piecewise)
        cond_a = l7.parts["a"].args[0][1]
        main = sp.lambdify((m1s, m2s, n_s, eta_s), cond_a, "mpmath")(m1, m2, nn, et)
        a_branch = "main" if bool(main) else "cap"
        branch = "m2" if s2 == m2 else "main"
    with mpmath.workdps(dps):
        return ApproxML(+mu_, +s2, +a_, +kap, branch, a_branch)


# --------------------------------------------------------------------------- vectorised

_GRID = 32
_ILLINOIS_STEPS = 40
_ALPHA_TOP = 1e4


def _np():
    import numpy as np

    return np


def approx_ml_np(Y: np.ndarray | None = None, eta: float = 2.0,
                 absdev: np.ndarray | None = None, centre: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Algorithm 1 on each row of ``Y`` (shape (T, n)): arrays ``(mu_a, sigma_a^2)``.

    Alternatively pass the rows as ``|y| = centre + absdev`` (``centre`` shape (T,),
    ``absdev`` shape (T, n)): then ``sigma_s^2`` (the variance of |y|) keeps its relative
    precision even when sigma/mu is below the double-precision epsilon."""
    np = _np()
    fn = _compiled("numpy")
    if absdev is None:
        absdev = np.abs(Y)
        centre = np.zeros(absdev.shape[0])
    n_ = absdev.shape[1]
    mdev = np.mean(absdev, axis=1)
    ss2 = np.mean((absdev - mdev[:, None]) ** 2, axis=1)
    m1 = centre + mdev
    m2 = m1 * m1 + ss2
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.asarray(fn["sigma_a2"](m1, m2, float(n_), float(eta), ss2), dtype=float)
        s2 = np.broadcast_to(s2, m2.shape).copy()
        mu_ = fn["mu_a"](m2, np.minimum(s2, m2))  # (rounding can put s2 a hair above m2)
    return mu_, s2


def _loglik_np(fn, Z, mu_, sd):
    """Per-row log-likelihood (log-sum-exp of the two halves) of rows Z at (mu_, sd)."""
    np = _np()
    f1, f2 = fn["logs"]
    return np.sum(np.logaddexp(f1(Z, mu_[:, None], sd[:, None]),
                               f2(Z, mu_[:, None], sd[:, None])), axis=1)


def joint_ml_np(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The joint ML estimate on each row of ``Y`` (shape (T, n)): arrays ``(mu, sigma^2)``
    (double precision; see the module text). Rows with all |y_i| equal (probability 0
    under sampling) get sigma^2 = 0."""
    np = _np()
    fn = _compiled("numpy")
    T, n_ = Y.shape
    m2 = np.mean(Y * Y, axis=1)
    scale = np.sqrt(m2)
    safe = np.where(scale > 0, scale, 1.0)
    Z = np.abs(Y) / safe[:, None]  # normalised: mean Z^2 = 1 (the estimator is equivariant)
    m1 = np.mean(Z, axis=1)
    one = np.ones(T)
    lo = np.maximum(2 * (1 - m1), 1e-12)
    grid = np.exp(np.linspace(np.log(lo), np.log(_ALPHA_TOP), _GRID).T)  # (T, G)

    def f(Zr, al):  # eq. 19's h - rhs for rows Zr at alpha = al (normalised: m2 = 1)
        return np.mean(fn["h"](Zr, al[:, None]), axis=1) - fn["rhs"](1.0, al)

    vals = np.empty_like(grid)
    for j in range(_GRID):
        vals[:, j] = f(Z, grid[:, j])
    change = np.signbit(vals[:, :-1]) != np.signbit(vals[:, 1:])
    rows, cols = np.nonzero(change)
    mu_best = np.zeros(T)
    s2_best = one.copy()
    ll_best = _loglik_np(fn, Z, mu_best, one)
    if rows.size:
        Zr = Z[rows]
        # Illinois (regula falsi) in log(alpha), vectorised over the brackets
        x_lo, x_hi = np.log(grid[rows, cols]), np.log(grid[rows, cols + 1])
        f_lo, f_hi = vals[rows, cols].copy(), vals[rows, cols + 1].copy()
        side = np.zeros(rows.size, dtype=np.int8)
        for _ in range(_ILLINOIS_STEPS):
            denom = f_hi - f_lo
            x = np.where(denom != 0, (x_lo * f_hi - x_hi * f_lo) / np.where(denom != 0, denom,
                                                                           1.0),
                         (x_lo + x_hi) / 2)
            x = np.clip(x, np.minimum(x_lo, x_hi), np.maximum(x_lo, x_hi))
            fx = f(Zr, np.exp(x))
            left = np.signbit(fx) == np.signbit(f_lo)
            # replace the endpoint with the same sign; halve the other's value when the
            # same endpoint is kept twice (Illinois)
            f_hi = np.where(left & (side == 1), f_hi / 2, f_hi)
            f_lo = np.where(~left & (side == -1), f_lo / 2, f_lo)
            x_lo, f_lo = np.where(left, x, x_lo), np.where(left, fx, f_lo)
            x_hi, f_hi = np.where(left, x_hi, x), np.where(left, f_hi, fx)
            side = np.where(left, 1, -1).astype(np.int8)
            if np.all((np.abs(x_hi - x_lo) < 1e-12) | (np.abs(fx) < 1e-16)):
                break
        a_lo, a_hi = np.exp(x_lo), np.exp(x_hi)
        al = np.sqrt(a_lo * a_hi)
        mu_c = fn["rhs"](1.0, al)
        s2_c = al * mu_c
        ll_c = _loglik_np(fn, Zr, mu_c, np.sqrt(s2_c))
        best = ll_best.copy()
        np.maximum.at(best, rows, ll_c)
        win = ll_c >= best[rows]
        win &= ll_c > ll_best[rows]
        mu_best[rows[win]] = mu_c[win]
        s2_best[rows[win]] = s2_c[win]
    equal = np.ptp(np.abs(Y), axis=1) == 0
    mu_best = np.where(equal, 1.0, mu_best)
    s2_best = np.where(equal, 0.0, s2_best)
    return mu_best * scale, s2_best * m2


# --------------------------------------------------------------------------- simulation


def simulate_sigma_exceeds(
    n: int | Fraction, mu0: object, sigma0: object, eps: object, ks: Sequence[int],
    trajectories: int, seed: int | None = None, estimator: str = "approx",
    progress: bool = False, eta: object = 2,
) -> dict[str, list]:
    """Monte Carlo of ``Pr(Σ_k > ε)`` for GMM recursive training (``theorem4``'s quantity).

    ``(M_0, Σ_0) = (mu0, sigma0)``; generation k+1 draws n samples from
    ``½N(M_k, Σ_k²) + ½N(−M_k, Σ_k²)`` and sets ``(M_{k+1}, Σ_{k+1}²)`` to the estimate of
    ``estimator`` (``"approx"``: Algorithm 1 with ``eta``; ``"joint"``: joint ML).
    Returns ``{"mc", "mc_lo", "mc_hi"}`` aligned with ``ks``: the fraction of the
    ``trajectories`` with ``Σ_k > eps`` and its 95% Wilson interval.
    Domain: integer n >= 2, mu0 >= 0, sigma0 > 0, eps > 0, ks >= 1, trajectories >= 1.
    """
    np = _np()
    from .parsing import parse_exact, parse_int
    from .simulate import make_rng, wilson

    n_ = parse_int(n if not isinstance(n, Fraction) else str(n), "n", 2)
    mu0_ = parse_exact(mu0 if isinstance(mu0, (Fraction, int)) else str(mu0), "mu0", 0)
    s0 = parse_exact(sigma0 if isinstance(sigma0, (Fraction, int)) else str(sigma0),
                     "sigma0", 0, None, lo_open=True)
    e = parse_exact(eps if isinstance(eps, (Fraction, int)) else str(eps), "eps", 0, None,
                    lo_open=True)
    if estimator not in ESTIMATORS:
        raise InputError(f"estimator = {estimator!r} is not one of {', '.join(ESTIMATORS)}")
    T = parse_int(trajectories, "trajectories", 1)
    ks = sorted(set(parse_int(k_, "k", 1) for k_ in ks))
    if not ks:
        raise InputError("k: empty k-list")
    rng = make_rng(seed)
    M = np.full(T, float(mu0_))
    S = np.full(T, float(s0))
    e_f = float(e)
    counts = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=ks[-1], desc=f"gmm ({estimator})", unit="gen", leave=False, delay=1.0)
    block = max(1, 200_000 // max(1, n_))
    try:
        for gen in range(1, ks[-1] + 1):
            mus, s2s = [], []
            for start in range(0, T, block):
                sl = slice(start, min(T, start + block))
                t = sl.stop - sl.start
                # |y| for y ~ 1/2 N(M, S^2) + 1/2 N(-M, S^2) is |M + S Z|; keep it as
                # M + dev (dev = S Z, or -2M - S Z where M + S Z < 0) so that the spread of
                # |y| survives when S << M
                d = S[sl, None] * rng.standard_normal((t, n_))
                Mb = M[sl, None]
                dev = np.where(Mb + d >= 0, d, -2 * Mb - d)
                if estimator == "approx":
                    mu_, s2_ = approx_ml_np(eta=float(eta), absdev=dev, centre=M[sl])
                else:
                    mu_, s2_ = joint_ml_np(Mb + dev)
                mus.append(mu_)
                s2s.append(s2_)
            M = np.concatenate(mus)
            S = np.sqrt(np.concatenate(s2s))
            if gen in ks:
                counts[gen] = int(np.count_nonzero(S > e_f))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    c = np.array([counts[k_] for k_ in ks])
    lo, hi = wilson(c, T)
    return {"mc": [float(v) / T for v in c], "mc_lo": [float(v) for v in lo],
            "mc_hi": [float(v) for v in hi]}


# --------------------------------------------------------------------------- input


def read_samples(path: str) -> list[Fraction]:
    """Exact samples from a text file: numbers separated by whitespace or commas (``#``
    starts a comment). At least 2 values; anything else is an :class:`InputError`."""
    import re

    from .parsing import parse_exact
    from .textfile import read_text

    text = read_text(path, "samples", "samples")
    out: list[Fraction] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0]
        for tok in re.split(r"[\s,;]+", line.strip()):
            if not tok:
                continue
            try:
                out.append(parse_exact(tok, "sample"))
            except InputError:
                raise InputError(f"samples: {tok!r} on line {lineno} of {path} is not a "
                                 "number") from None
    if len(out) < 2:
        raise InputError(f"samples: {path} holds {len(out)} value(s); at least 2 are needed")
    return out

