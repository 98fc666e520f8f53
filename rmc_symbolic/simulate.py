"""Monte Carlo of the recursive-training processes of RESULTS.md, vectorised over trajectories.

Every simulator keeps one NumPy array of states (one entry per trajectory) and loops over
*generations* only; each generation is one call of a NumPy sampler on the whole array (the
trajectories that are already absorbed are left out of the draw). Randomness comes from a
seeded :class:`numpy.random.Generator` (PCG64), so a run is reproducible from its seed.

Processes (the same ones the bounds are about; exact parameters are converted to floats only
to feed the samplers):

* ``bernoulli`` (§2, ``theorem1``, ``theorem1_ext``, ``seddik``): the Wright–Fisher chain
  ``X_{k+1} ~ Binomial(n, X_k/n)``, ``P_k = X_k/n``, with ``X_1 ~ Binomial(n, p0)`` (so
  ``n p0`` need not be an integer). Estimates ``Pr(P_k != 0)`` and ``Pr(P_k not in {0,1})``.
* ``poisson`` (§3, ``theorem2``): ``N_{k+1} ~ Poisson(N_k)``, ``N_1 ~ Poisson(n lambda0)``;
  estimates ``Pr(Lambda_k != 0)``.
* ``gaussian`` (§4, ``theorem3``, ``eq3``): ``Sigma_{k+1}^2 = Sigma_k^2 chi^2_{n-1}/(n-1)``
  — the law of the unbiased sample variance of n normal draws — simulated in log space;
  estimates ``Pr(Sigma_k > eps)``. :func:`gaussian_paths` also draws the means.
* ``discrete`` (§2 ``corollary1``, §3 ``corollary2``): unigram recursion on a pmf, with
  multinomial sampling (``counts_{k+1} ~ Multinomial(n, counts_k/n)``, the model of
  corollary1) or Poisson sampling (``counts_{k+1,i} ~ Poisson(counts_{k,i})``, the model of
  corollary2); estimates ``E[uniq_k]``.
* ``gmm`` (§5, ``theorem4``): delegated to :mod:`rmc_symbolic.mixture_ml`.

Intervals: probabilities get the 95% Wilson score interval; means (``E[uniq_k]``) get the
95% Student-t interval ``mean ± t_{0.975, T-1} s/sqrt(T)`` (none for T = 1).

>>> out = mc_columns("bernoulli", {"n": 10, "p0": 0.5}, [1, 2], trajectories=200, seed=1)
>>> sorted(out)[:3]
['mc', 'mc_hi', 'mc_lo']
>>> all(lo <= m <= hi for lo, m, hi in zip(out["mc_lo"], out["mc"], out["mc_hi"]))
True
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "Z95", "MODELS", "SAMPLINGS", "make_rng", "wilson", "t_quantile", "mean_interval",
    "simulate_bernoulli", "simulate_poisson", "simulate_gaussian", "simulate_unigram",
    "bernoulli_paths", "poisson_paths", "gaussian_paths", "unigram_paths", "mc_columns",
    "mc_cost", "require_mc",
]

#: the 0.975 quantile of the standard normal distribution (two-sided 95%)
Z95 = 1.959963984540054

#: the models :func:`mc_columns` knows
MODELS = ("bernoulli", "poisson", "gaussian", "gmm", "discrete")

#: sampling schemes of the discrete (unigram) model
SAMPLINGS = ("multinomial", "poisson")

#: the largest n (or n*lambda0) the NumPy samplers take
_MAX_INT = 2**62

#: the most trajectories a simulation takes (far beyond any time limit already)
MAX_TRAJECTORIES = 10**15

#: states x trajectories per NumPy call of the unigram simulator (memory bound)
_UNIGRAM_BLOCK = 4_000_000

#: trajectories x generations per block of the Gaussian simulator (memory bound)
_GAUSS_BLOCK = 2_000_000

#: trajectories per block of the Bernoulli and Poisson simulators (memory bound: the
#: trajectories of a block run through every generation before the next block starts)
_TRAJ_BLOCK = 1 << 21


# --------------------------------------------------------------------------- helpers


def _np():
    import numpy

    return numpy


def make_rng(seed: int | None) -> np.random.Generator:
    """A PCG64 :class:`numpy.random.Generator` from ``seed`` (``None``: fresh entropy)."""
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise InputError(f"seed: {seed!r} is not an integer")
        if seed < 0:
            raise InputError(f"seed = {seed} is outside the allowed range [0, inf)")
    return _np().random.default_rng(seed)


def _check_trajectories(trajectories: int) -> int:
    if isinstance(trajectories, bool) or not isinstance(trajectories, int):
        raise InputError(f"mc (trajectories): {trajectories!r} is not an integer")
    if not 1 <= trajectories <= MAX_TRAJECTORIES:
        raise InputError(f"mc (trajectories) = {trajectories} is outside the allowed range "
                         f"[1, {MAX_TRAJECTORIES}]")
    return trajectories


def _check_ks(ks: Sequence[int]) -> list[int]:
    out = [int(k) for k in ks]
    if not out:
        raise InputError("k: empty k-list")
    if any(k != kk for k, kk in zip(out, ks, strict=True)) or min(out) < 1:
        raise InputError("k: generations must be integers >= 1")
    return out


def _exact(value: Any, name: str, lo=None, hi=None, lo_open: bool = False) -> Fraction:
    """An exact parameter as a Fraction (ints, Fractions, decimal strings; floats are taken
    at their exact binary value, mpf through its exact mantissa/exponent), checked against
    ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``) by :func:`rmc_symbolic.parsing.parse_exact`."""
    from .parsing import parse_exact

    return parse_exact(_as_fraction(value, name), name, lo, hi, lo_open)


def _as_fraction(value: Any, name: str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InputError(f"{name}: {value!r} is not a number")
    if isinstance(value, (int, float)):
        return Fraction(value)
    if isinstance(value, str):
        from .parsing import parse_exact

        return parse_exact(value, name)
    try:
        import mpmath

        if isinstance(value, mpmath.mpf):
            man, exp = mpmath.mpf(value).man_exp
            return Fraction(int(man)) * (Fraction(2) ** int(exp))
    except ImportError:  # pragma: no cover
        pass
    try:
        import sympy as sp

        if isinstance(value, sp.Rational):
            return Fraction(int(value.p), int(value.q))
    except ImportError:  # pragma: no cover
        pass
    raise InputError(f"{name}: {value!r} is not an exact number")


def _param(params: dict, name: str) -> Fraction:
    if name not in params or params[name] is None:
        raise InputError(f"missing parameter {name!r} for the simulation")
    return _exact(params[name], name)


def _int_param(params: dict, name: str, lo: int) -> int:
    v = _param(params, name)
    if v.denominator != 1:
        raise InputError(f"{name}: {v} is not an integer")
    if v < lo:
        raise InputError(f"{name} = {v} is outside the allowed range [{lo}, inf)")
    if v > _MAX_INT:
        from .limits import short_int

        raise InputError(f"{name} = {short_int(int(v))} is too large to simulate (at most "
                         "2^62)")
    return int(v)


class _Progress:
    """A tqdm bar over generations on stderr that shows itself only after one second."""

    def __init__(self, total: int, enabled: bool, desc: str):
        self.bar = None
        if enabled and total > 1:
            from tqdm import tqdm

            opts = {"total": total, "desc": desc, "unit": "gen", "file": sys.stderr,
                    "leave": False, "dynamic_ncols": True}
            try:
                self.bar = tqdm(delay=1.0, **opts)  # shown only after one second
            except TypeError:  # pragma: no cover - tqdm without ``delay``
                self.bar = tqdm(mininterval=1.0, **opts)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def wilson(successes, trials: int, z: float = Z95):
    """The Wilson score interval ``(lo, hi)`` of ``successes`` out of ``trials`` (arrays or
    scalars), at the two-sided level of the normal quantile ``z`` (95% by default)."""
    np = _np()
    x = np.asarray(successes, dtype=float)
    t = float(trials)
    phat = x / t
    z2 = z * z
    denom = 1.0 + z2 / t
    centre = (phat + z2 / (2 * t)) / denom
    half = z / denom * np.sqrt(np.maximum(phat * (1 - phat) / t + z2 / (4 * t * t), 0.0))
    lo = np.clip(centre - half, 0.0, 1.0)
    hi = np.clip(centre + half, 0.0, 1.0)
    # at the edges the Wilson interval is [0, .] and [., 1] exactly
    lo = np.where(x <= 0, 0.0, lo)
    hi = np.where(x >= t, 1.0, hi)
    return lo, hi


def t_quantile(df: int, q: float = 0.975) -> float:
    """The ``q`` quantile (``q`` in (1/2, 1)) of Student's t distribution with ``df``
    degrees of freedom, by root-finding on its CDF (regularised incomplete beta, mpmath)."""
    import mpmath

    if df < 1:
        raise ValueError("df must be >= 1")
    if not 0.5 < q < 1:
        raise ValueError("q must be in (1/2, 1)")
    nu = mpmath.mpf(df)

    def tail(t):  # Pr(T > t) - (1 - q), decreasing in t > 0
        x = nu / (nu + t * t)
        return mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, x, regularized=True) / 2 - (1 - q)

    lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    while tail(hi) > 0:
        hi *= 2
    for _ in range(80):
        mid = (lo + hi) / 2
        if tail(mid) > 0:
            lo = mid
        else:
            hi = mid
    return float((lo + hi) / 2)


def mean_interval(samples, q: float = 0.975):
    """Mean and two-sided Student-t interval of the rows' means, column by column.

    ``samples`` has shape ``(T, K)``; returns ``(mean, lo, hi)`` arrays of length K, with
    ``lo``/``hi`` NaN when T = 1."""
    np = _np()
    a = np.asarray(samples, dtype=float)
    t = a.shape[0]
    mean = a.mean(axis=0)
    if t < 2:
        nan = np.full_like(mean, np.nan)
        return mean, nan, nan
    half = t_quantile(t - 1, q) * a.std(axis=0, ddof=1) / math.sqrt(t)
    return mean, mean - half, mean + half


def _blocks(total: int, size: int) -> list[int]:
    """``total`` split into blocks of at most ``size`` (the last one shorter)."""
    full, rest = divmod(total, size)
    return [size] * full + ([rest] if rest else [])


def _record_plan(ks: list[int]):
    """Sorted distinct ks and, for each, the positions in ``ks`` it fills."""
    order: dict[int, list[int]] = {}
    for pos, k in enumerate(ks):
        order.setdefault(k, []).append(pos)
    return sorted(order), order


# --------------------------------------------------------------------------- Bernoulli


def simulate_bernoulli(
    n: int, p0, ks: Sequence[int], trajectories: int, seed: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Wright–Fisher Monte Carlo of ``n P_{k+1} ~ Binomial(n, P_k)`` (RESULTS.md §2).

    Returns ``{"alive": counts of P_k != 0, "transient": counts of P_k not in {0,1},
    "one": counts of P_k = 1, "trajectories": T}``, the counts as int arrays aligned with
    ``ks``.
    """
    np = _np()
    n = _int_param({"n": n}, "n", 1)
    p0 = _exact(p0, "p0", 0, 1)
    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    rng = make_rng(seed)
    distinct, where = _record_plan(ks)
    alive = np.zeros(len(ks), dtype=np.int64)
    transient = np.zeros(len(ks), dtype=np.int64)
    one = np.zeros(len(ks), dtype=np.int64)
    blocks = _blocks(T, _TRAJ_BLOCK)
    bar = _Progress((distinct[-1] - 1) * len(blocks), progress, "bernoulli")  # gens 2..K
    try:
        for size in blocks:
            x = rng.binomial(n, float(p0), size=size).astype(np.int64)  # X_1
            k = 1
            for target in distinct:
                while k < target:
                    live = np.flatnonzero((x > 0) & (x < n))
                    if live.size == 0:  # everything absorbed: the state no longer changes
                        bar.update(target - k)
                        k = target
                        break
                    x[live] = rng.binomial(n, x[live] / n)
                    k += 1
                    bar.update()
                n_alive = int(np.count_nonzero(x))
                n_one = int(np.count_nonzero(x == n))
                for pos in where[target]:
                    alive[pos] += n_alive
                    one[pos] += n_one
                    transient[pos] += n_alive - n_one
    finally:
        bar.close()
    return {"alive": alive, "transient": transient, "one": one, "trajectories": T}


def bernoulli_paths(n: int, p0, generations: int, trajectories: int,
                    seed: int | None = None) -> np.ndarray:
    """Trajectories ``P_0..P_K`` of the Bernoulli recursion, shape ``(T, K + 1)`` (Fig. 2b)."""
    np = _np()
    n = _int_param({"n": n}, "n", 1)
    p0 = _exact(p0, "p0", 0, 1)
    T = _check_trajectories(trajectories)
    rng = make_rng(seed)
    out = np.empty((T, generations + 1))
    out[:, 0] = float(p0)
    x = None
    for k in range(1, generations + 1):
        x = rng.binomial(n, float(p0), size=T) if x is None else rng.binomial(n, x / n)
        out[:, k] = x / n
    return out


# --------------------------------------------------------------------------- Poisson


def simulate_poisson(
    n: int, lambda0, ks: Sequence[int], trajectories: int, seed: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Galton–Watson Monte Carlo of ``N_{k+1} ~ Poisson(N_k)``, ``N_1 ~ Poisson(n lambda0)``
    (RESULTS.md §3). Returns ``{"alive": counts of Lambda_k != 0, "trajectories": T}``."""
    np = _np()
    n = _int_param({"n": n}, "n", 1)
    lam = _exact(lambda0, "lambda0", 0, lo_open=True)
    if n * lam > 10**15:
        raise InputError(f"n*lambda0 = {float(n * lam):.6g} is too large to simulate "
                         "(at most 1e15)")
    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    rng = make_rng(seed)
    distinct, where = _record_plan(ks)
    alive = np.zeros(len(ks), dtype=np.int64)
    blocks = _blocks(T, _TRAJ_BLOCK)
    bar = _Progress((distinct[-1] - 1) * len(blocks), progress, "poisson")
    try:
        for size in blocks:
            x = rng.poisson(float(n * lam), size=size).astype(np.int64)  # N_1
            k = 1
            for target in distinct:
                while k < target:
                    live = np.flatnonzero(x)
                    if live.size == 0:
                        bar.update(target - k)
                        k = target
                        break
                    x[live] = rng.poisson(x[live])
                    k += 1
                    bar.update()
                c = int(np.count_nonzero(x))
                for pos in where[target]:
                    alive[pos] += c
    finally:
        bar.close()
    return {"alive": alive, "trajectories": T}


def poisson_paths(n: int, lambda0, generations: int, trajectories: int,
                  seed: int | None = None) -> np.ndarray:
    """Trajectories ``Lambda_0..Lambda_K`` of the Poisson recursion, shape ``(T, K + 1)``."""
    np = _np()
    n = _int_param({"n": n}, "n", 1)
    lam = _exact(lambda0, "lambda0", 0, lo_open=True)
    T = _check_trajectories(trajectories)
    rng = make_rng(seed)
    out = np.empty((T, generations + 1))
    out[:, 0] = float(lam)
    x = None
    for k in range(1, generations + 1):
        x = rng.poisson(float(n * lam), size=T) if x is None else rng.poisson(x)
        out[:, k] = x / n
    return out


# --------------------------------------------------------------------------- Gaussian


def _gauss_params(n, sigma0, eps=None):
    n = _int_param({"n": n}, "n", 2)
    s0 = _exact(sigma0, "sigma0", 0, lo_open=True)
    out = [n, s0]
    if eps is not None:
        e = _exact(eps, "eps", 0, lo_open=True)
        out.append(e)
    return out


def _log_fraction(q: Fraction) -> float:
    """``log q`` of a positive rational without overflow (math.log takes big ints)."""
    return math.log(q.numerator) - math.log(q.denominator)


def simulate_gaussian(
    n: int, sigma0, eps, ks: Sequence[int], trajectories: int, seed: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Monte Carlo of ``Pr(Sigma_k > eps)`` for the Gaussian recursion (RESULTS.md §4).

    ``log Sigma_k = log sigma0 + 1/2 sum_{j<=k} log(chi^2_{n-1,j}/(n-1))``; blocks of
    generations are drawn at once and accumulated with a cumulative sum. Returns
    ``{"exceeds": counts, "trajectories": T}``.
    """
    np = _np()
    n, s0, e = _gauss_params(n, sigma0, eps)
    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    rng = make_rng(seed)
    distinct, where = _record_plan(ks)
    exceeds = np.zeros(len(ks), dtype=np.int64)
    log_eps = _log_fraction(e)
    m = n - 1
    blocks = _blocks(T, _GAUSS_BLOCK)
    bar = _Progress(distinct[-1] * len(blocks), progress, "gaussian")
    try:
        for size in blocks:
            log_s = np.full(size, _log_fraction(s0))
            block = max(1, _GAUSS_BLOCK // size)
            k = 0
            idx = 0
            while idx < len(distinct):
                g = min(block, distinct[-1] - k)
                draws = 0.5 * np.log(rng.chisquare(m, size=(g, size)) / m)
                path = log_s + np.cumsum(draws, axis=0)  # generations k+1..k+g
                while idx < len(distinct) and distinct[idx] <= k + g:
                    target = distinct[idx]
                    c = int(np.count_nonzero(path[target - k - 1] > log_eps))
                    for pos in where[target]:
                        exceeds[pos] += c
                    idx += 1
                log_s = path[-1]
                k += g
                bar.update(g)
    finally:
        bar.close()
    return {"exceeds": exceeds, "trajectories": T}


def gaussian_paths(n: int, mu0, sigma0, generations: int, trajectories: int,
                   seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Trajectories of ``(M_k, Sigma_k)``, k = 0..K, each of shape ``(T, K + 1)`` (Fig. 2a):
    ``M_{k+1} ~ N(M_k, Sigma_k^2/n)`` and, independently, ``(n-1) Sigma_{k+1}^2/Sigma_k^2 ~
    chi^2_{n-1}`` — the joint law of the sample mean and unbiased sample variance."""
    np = _np()
    n, s0 = _gauss_params(n, sigma0)
    mu = float(_exact(mu0, "mu0"))
    T = _check_trajectories(trajectories)
    rng = make_rng(seed)
    means = np.empty((T, generations + 1))
    sigmas = np.empty((T, generations + 1))
    means[:, 0], sigmas[:, 0] = mu, float(s0)
    for k in range(1, generations + 1):
        means[:, k] = means[:, k - 1] + sigmas[:, k - 1] / math.sqrt(n) * rng.standard_normal(T)
        sigmas[:, k] = sigmas[:, k - 1] * np.sqrt(rng.chisquare(n - 1, size=T) / (n - 1))
    return means, sigmas


# --------------------------------------------------------------------------- unigram


def _pmf_array(pmf) -> np.ndarray:
    """The positive entries of a pmf (Fractions, ints, mpf, floats) as float64, renormalised."""
    np = _np()
    vals = []
    for i, q in enumerate(pmf):
        if isinstance(q, Fraction):
            v = q.numerator / q.denominator
        else:
            v = float(q)
        if not v >= 0 or math.isinf(v):
            raise InputError(f"pmf entry {i + 1} = {q} is not a probability")
        vals.append(v)
    a = np.asarray(vals, dtype=float)
    a = a[a > 0]
    if a.size == 0:
        raise InputError("pmf: no positive probability")
    return a / a.sum()


def _unigram_step(rng, counts, n: int, sampling: str):
    np = _np()
    if sampling == "poisson":
        return rng.poisson(counts)
    total = counts.sum(axis=1, keepdims=True)
    pvals = counts / np.where(total > 0, total, 1)
    return rng.multinomial(n, pvals)


def _unigram_blocks(pmf, n: int, ks: list[int], trajectories: int, seed, sampling: str,
                    progress: bool, keep_paths: int = 0):
    """Yields, per block of trajectories, the uniq counts (block, len(ks))."""
    np = _np()
    if sampling not in SAMPLINGS:
        raise InputError(f"sampling = {sampling!r} is not one of {', '.join(SAMPLINGS)}")
    p = _pmf_array(pmf)
    m = p.size
    distinct, where = _record_plan(ks)
    rng = make_rng(seed)
    block = max(1, min(trajectories, _UNIGRAM_BLOCK // m))
    bar = _Progress((distinct[-1] - 1) * math.ceil(trajectories / block), progress,
                    "unigram")
    try:
        done = 0
        while done < trajectories:
            b = min(block, trajectories - done)
            uniq = np.zeros((b, len(ks)), dtype=np.int64)
            if sampling == "poisson":
                counts = rng.poisson(n * p, size=(b, m))
            else:
                counts = rng.multinomial(n, p, size=b)
            k = 1
            for target in distinct:
                while k < target:
                    alive_cols = np.flatnonzero(counts.any(axis=0))
                    if alive_cols.size < counts.shape[1]:
                        counts = counts[:, alive_cols]
                    if counts.shape[1] == 0 or (
                            sampling == "multinomial"
                            and (np.count_nonzero(counts, axis=1) <= 1).all()):
                        # extinct, or every trajectory fixed on one symbol (multinomial
                        # sampling then keeps all n tokens on it): nothing changes any more
                        bar.update(target - k)
                        k = target
                        break
                    counts = _unigram_step(rng, counts, n, sampling)
                    k += 1
                    bar.update()
                u = np.count_nonzero(counts, axis=1)
                for pos in where[target]:
                    uniq[:, pos] = u
            bar.update(distinct[-1] - k)
            yield uniq, m
            done += b
    finally:
        bar.close()


def simulate_unigram(
    pmf, n: int, ks: Sequence[int], trajectories: int, seed: int | None = None,
    sampling: str = "multinomial", progress: bool = False,
) -> dict[str, Any]:
    """Unigram recursion on ``pmf`` with ``n`` tokens per generation (RESULTS.md §2
    ``corollary1`` for multinomial sampling, §3 ``corollary2`` for Poisson sampling).

    Generation 1 samples from ``pmf``; generation k+1 from the empirical pmf of generation k.
    Returns ``{"uniq": int array (T, len(ks)) of surviving symbols, "m": support size}``.
    Symbols extinct in every trajectory are dropped from the arrays as the run goes on.
    """
    np = _np()
    n = _int_param({"n": n}, "n", 1)
    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    parts, support = [], 0
    for uniq, m in _unigram_blocks(pmf, n, ks, T, seed, sampling, progress):
        parts.append(uniq)
        support = m
    return {"uniq": np.concatenate(parts, axis=0), "m": support}


def unigram_paths(pmf, n: int, generations: int, trajectories: int, seed: int | None = None,
                  sampling: str = "multinomial") -> np.ndarray:
    """``uniq_k`` for k = 0..K of each trajectory, shape ``(T, K + 1)`` (``uniq_0`` = m)."""
    np = _np()
    res = simulate_unigram(pmf, n, list(range(1, generations + 1)), trajectories, seed,
                           sampling)
    u = res["uniq"]
    return np.concatenate([np.full((u.shape[0], 1), res["m"]), u], axis=1)


# --------------------------------------------------------------------------- cost

# Cost model of the simulators (seconds), measured on the 2-core reference machine
# (benchmarks/README.md, "limits"): a NumPy call costs _CALL; the Bernoulli/Poisson loops
# scan the whole block for live trajectories (_SCAN per entry) and draw one sample per
# live trajectory; the Gaussian simulator draws one chi-squared per trajectory and
# generation; the mixture draws n samples per trajectory and generation and refits.
_CALL = 4e-6
_SCAN = 3e-9
_COUNT = 1e-9
_GAUSS_DRAW = 3.5e-8
_MULTINOMIAL_ENTRY = 3.5e-8
_MULTINOMIAL_ROW = 5e-6
_GMM_SAMPLE = {"approx": 2.5e-8, "joint": 2.2e-7}
_GMM_TRAJECTORY = {"approx": 1.2e-7, "joint": 2.5e-6}
_GMM_BLOCK = {"approx": 3e-5, "joint": 1e-4}


def _g_approx(k):
    """``g_k ≈ 2/(k + ln(k)/3 + 1)`` (lemma2_sharp's order), floats, for cost estimates."""
    np = _np()
    k = np.asarray(k, dtype=float)
    return np.minimum(1.0, 2.0 / (k + np.log(k) / 3 + 1))


def _generation_grid(kmax: int):
    """``(k, weight)``: generations 1..kmax as points with weights, to sum a smooth
    function of k over them (every k up to 4096, a geometric grid beyond)."""
    np = _np()
    if kmax <= 4096:
        k = np.arange(1, kmax + 1, dtype=float)
        return k, np.ones_like(k)
    head = np.arange(1, 4097, dtype=float)
    tail = np.unique(np.geomspace(4097, kmax, 2000).round())
    edges = np.concatenate([[4096.5], (tail[1:] + tail[:-1]) / 2, [kmax + 0.5]])
    return np.concatenate([head, tail]), np.concatenate([np.ones(4096), np.diff(edges)])


def _absorbing_cost(T: int, kmax: int, live, sample: float) -> float:
    """Seconds of a Bernoulli/Poisson run: per block and generation a scan of the block
    and one draw per live trajectory, until the last trajectory of the block is absorbed
    (when the expected number alive falls below 1/2)."""
    np = _np()
    total = 0.0
    if kmax <= 1:
        return 0.0
    k, w = _generation_grid(kmax - 1)
    p = live(k)  # Pr(trajectory live at generation k): the draws of generation k + 1
    blocks = _blocks(T, _TRAJ_BLOCK)
    for size in set(blocks):
        # Pr(some trajectory of the block is live): the loop runs until the last one is
        # absorbed (a heavy tail for the critical Poisson chain: ~2T ln(K/2T) generations)
        with np.errstate(divide="ignore"):  # log1p(-1) = -inf: surely running
            running = -np.expm1(size * np.log1p(-np.minimum(p, 1.0)))
        per_gen = _CALL * 3 + _SCAN * size + sample * size * p
        total += blocks.count(size) * float(np.sum(w * per_gen * running))
    return total


def _record_cost(T: int, nks: int, scans: int) -> float:
    """Seconds to record the counts at ``nks`` generations (``scans`` passes each)."""
    return nks * (scans * (_CALL + _COUNT * T) + 2e-6)


def mc_cost(model: str, params: dict, ks: Sequence[int], trajectories: int
            ) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`mc_columns` (same arguments), from the
    cost model above and the expected number of live trajectories per generation:
    Poisson ``1 − e^{−n λ0 g_k}`` (theorem2), Bernoulli the smallest of theorem1's
    ``1 − e^{−n p0 g_k}``, its mirror for absorption at 1, and the spectral decay
    ``6 p0 (1 − p0) (1 − 1/n)^k``; discrete the symbols alive in some trajectory."""
    np = _np()
    T = _check_trajectories(trajectories)
    kmax = max(int(k) for k in ks)
    if kmax > 10**15:
        if model in ("gaussian", "gmm"):  # no absorption: every generation is drawn
            return math.inf, 8.0 * min(T, _TRAJ_BLOCK)
        kmax = 10**15  # absorbing chains: a run still going at 10^15 is beyond reach anyway
    nks = len(ks)
    if model not in _DISPATCH:
        raise InputError(f"model {model!r} has no simulation (known: {', '.join(MODELS)})")
    # the parameters as the simulators check them (n <= 2^62, n*lambda0 <= 1e15, ...)
    n_int = _int_param(params, "n", 2 if model in ("gaussian", "gmm") else 1)
    if model == "bernoulli":
        n = float(n_int)
        p0 = float(_param(params, "p0"))
        var = n * p0 * (1 - p0)
        sample = 4e-8 + 1e-9 * min(var, 30.0)

        def live(k):
            g = _g_approx(k)
            spectral = 6 * p0 * (1 - p0) * np.exp(-k / n)
            return np.minimum.reduce([-np.expm1(-n * p0 * g), -np.expm1(-n * (1 - p0) * g),
                                      np.minimum(1.0, spectral)])

        secs = _absorbing_cost(T, kmax, live, sample) + _record_cost(T, nks, 3)
        mem = 60.0 * min(T, _TRAJ_BLOCK)
    elif model == "poisson":
        mass_q = n_int * _param(params, "lambda0")
        if mass_q > 10**15:
            raise InputError(f"n*lambda0 = {float(mass_q):.6g} is too large to simulate "
                             "(at most 1e15)")
        mass = float(mass_q)
        sample = 4e-8 + 2e-9 * min(mass, 20.0)

        def live(k):
            return -np.expm1(-mass * _g_approx(k))

        secs = _absorbing_cost(T, kmax, live, sample) + _record_cost(T, nks, 1)
        mem = 50.0 * min(T, _TRAJ_BLOCK)
    elif model == "gaussian":
        secs = T * kmax * _GAUSS_DRAW + kmax * len(_blocks(T, _GAUSS_BLOCK)) * _CALL \
            + _record_cost(T, nks, 1)
        mem = 40.0 * _GAUSS_BLOCK
    elif model == "gmm":
        n = n_int
        est = params.get("estimator", "approx")
        blocks = -(-T // max(1, 200_000 // max(1, n)))
        secs = kmax * (T * (n * _GMM_SAMPLE[est] + _GMM_TRAJECTORY[est])
                       + blocks * _GMM_BLOCK[est])
        mem = 60.0 * T + 8.0 * 6 * max(200_000, n)  # a block holds >= one n-sample set
    elif model == "discrete":
        secs, mem = _unigram_cost(params, T, kmax, nks)
    mem += 8.0 * 6 * nks
    return secs, mem


def _unigram_cost(params: dict, T: int, kmax: int, nks: int) -> tuple[float, float]:
    """The discrete model: per block, generation and trajectory one multinomial entry per
    symbol still alive in some trajectory of the block."""
    np = _np()
    pmf = params.get("pmf")
    if pmf is None:
        raise InputError("missing parameter 'pmf' for the simulation")
    n = _int_param(params, "n", 1)
    p = _pmf_array(pmf)
    m = p.size
    if m > 20_000:  # a weighted sample of the probabilities is enough for an estimate
        p = np.sort(p)
        idx = np.linspace(0, m - 1, 20_000).astype(int)
        weight = m / 20_000
        p = p[idx]
    else:
        weight = 1.0
    block = max(1, min(T, _UNIGRAM_BLOCK // m))
    nblocks = -(-T // block)
    sampling = params.get("sampling", "multinomial")
    runs = 2 if sampling == "both" else 1
    k, w = _generation_grid(kmax)
    secs = 0.0
    # multinomial sampling keeps n tokens: a trajectory ends fixed on one symbol, after
    # ~n ln(...) generations (heterozygosity 1 - sum p_i^2 decays like (1 - 1/n)^k)
    het = weight * float(1 - np.sum(p * p)) if m > 1 else 0.0
    for kk, ww in zip(k, w, strict=True):
        q = -np.expm1(-n * p * _g_approx(kk))  # Pr(symbol alive in one trajectory)
        alive_any = weight * float(np.sum(-np.expm1(block * np.log1p(-np.minimum(
            q, 1 - 1e-16)))))
        if sampling != "poisson":
            unfixed = block * min(1.0, 3 * het * math.exp(-kk / n))
            if unfixed < 0.5:
                break
            alive_any = max(alive_any, 1.0)
        if alive_any < 0.5:
            break
        secs += ww * nblocks * (_CALL * 6 + block * (_MULTINOMIAL_ROW
                                                   + alive_any * _MULTINOMIAL_ENTRY))
    mem = 8.0 * 4 * block * m + 8.0 * 3 * T * nks
    return runs * secs, mem


# --------------------------------------------------------------------------- contract


def _proportion_columns(prefix: str, counts, T: int) -> dict[str, list]:
    lo, hi = wilson(counts, T)
    return {
        prefix: [float(c) / T for c in counts],
        f"{prefix}_lo": [float(v) for v in lo],
        f"{prefix}_hi": [float(v) for v in hi],
    }


def _mean_columns(prefix: str, samples) -> dict[str, list]:
    mean, lo, hi = mean_interval(samples)

    def clean(v):
        return None if math.isnan(v) else float(v)

    return {prefix: [float(v) for v in mean], f"{prefix}_lo": [clean(v) for v in lo],
            f"{prefix}_hi": [clean(v) for v in hi]}


def _mc_bernoulli(params, ks, T, seed, progress):
    r = simulate_bernoulli(_param(params, "n"), _param(params, "p0"), ks, T, seed, progress)
    out = _proportion_columns("mc", r["alive"], T)
    out.update(_proportion_columns("mc_transient", r["transient"], T))
    return out


def _mc_poisson(params, ks, T, seed, progress):
    r = simulate_poisson(_param(params, "n"), _param(params, "lambda0"), ks, T, seed,
                         progress)
    return _proportion_columns("mc", r["alive"], T)


def _mc_gaussian(params, ks, T, seed, progress):
    r = simulate_gaussian(_param(params, "n"), _param(params, "sigma0"),
                          _param(params, "eps"), ks, T, seed, progress)
    return _proportion_columns("mc", r["exceeds"], T)


def _mc_discrete(params, ks, T, seed, progress):
    if params.get("pmf") is None:
        raise InputError("missing parameter 'pmf' for the simulation")
    sampling = params.get("sampling", "multinomial")
    samplings = list(SAMPLINGS) if sampling == "both" else [sampling]
    out: dict[str, list] = {}
    for s in samplings:
        r = simulate_unigram(params["pmf"], _param(params, "n"), ks, T, seed, s, progress)
        prefix = "mc" if s == samplings[0] else f"mc_{s}"
        out.update(_mean_columns(prefix, r["uniq"]))
        out.update(_mean_columns(f"{prefix}_fraction", r["uniq"] / r["m"]))
    return out


def _mc_gmm(params, ks, T, seed, progress):
    try:
        from . import mixture_ml
    except ImportError:
        raise InputError("the GMM simulation needs rmc_symbolic.mixture_ml, which is not "
                         "available in this installation") from None
    return mixture_ml.simulate_sigma_exceeds(
        _param(params, "n"), _param(params, "mu0"), _param(params, "sigma0"),
        _param(params, "eps"), list(ks), T, seed,
        params.get("estimator", "approx"), progress)


_DISPATCH: dict[str, Callable[..., dict[str, list]]] = {
    "bernoulli": _mc_bernoulli,
    "poisson": _mc_poisson,
    "gaussian": _mc_gaussian,
    "gmm": _mc_gmm,
    "discrete": _mc_discrete,
}


def mc_columns(
    model: str, params: dict, ks: Sequence[int], trajectories: int,
    seed: int | None = None, progress: bool = False,
) -> dict[str, list]:
    """The Monte Carlo columns of a model command (contract of DEVELOPING.md).

    ``params`` holds the command's exact parameters. Returns ``mc``, ``mc_lo``, ``mc_hi``
    (95% intervals, aligned with ``ks``) for the quantity of the command's bound columns:

    * ``bernoulli`` (``n``, ``p0``): ``Pr(P_k != 0)`` (theorem1); extra ``mc_transient*``
      columns for ``Pr(P_k not in {0,1})`` (theorem1_ext, seddik). Wilson intervals.
    * ``poisson`` (``n``, ``lambda0``): ``Pr(Lambda_k != 0)`` (theorem2). Wilson.
    * ``gaussian`` (``n``, ``sigma0``, ``eps``): ``Pr(Sigma_k > eps)`` (theorem3). Wilson.
    * ``gmm`` (``n``, ``mu0``, ``sigma0``, ``eps``, optional ``estimator``): delegated to
      :func:`rmc_symbolic.mixture_ml.simulate_sigma_exceeds`.
    * ``discrete`` (``n``, ``pmf``, optional ``sampling`` = ``multinomial`` (default,
      corollary1), ``poisson`` (corollary2) or ``both``): ``E[uniq_k]`` with a Student-t
      interval (not Wilson: it is a mean), and ``mc_fraction*`` = ``E[uniq_k]/m``; with
      ``both``, extra ``mc_poisson*`` columns.
    """
    if model not in _DISPATCH:
        raise InputError(f"model {model!r} has no simulation (known: {', '.join(MODELS)})")
    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    make_rng(seed)  # validates the seed
    require_mc(model, params, ks, T)
    from .limits import phase

    with phase(f"the Monte Carlo simulation ({T} trajectories)"):
        return _DISPATCH[model](dict(params), ks, T, seed, progress)


def require_mc(model: str, params: dict, ks: Sequence[int], trajectories: int,
               extra: float = 0.0) -> float:
    """Refuse (:class:`rmc_symbolic.limits.LimitError`) a simulation whose memory, or
    whose time plus ``extra`` seconds, does not fit; return its estimated seconds."""
    from . import limits

    T = _check_trajectories(trajectories)
    ks = _check_ks(ks)
    secs, nbytes = mc_cost(model, params, ks, T)
    what = f"the Monte Carlo simulation ({T} trajectories, k up to {max(ks)})"
    limits.require_memory(nbytes, what, "use fewer trajectories (--mc)" + {
        "discrete": " or fewer generations in the k-list", "gmm": " or a smaller n"}.get(
            model, ""))
    left = limits.remaining()
    if secs + extra > left:
        fit = int(T * max(left - extra, 0) / secs * 0.8) if secs > 0 else T
        hint = f"use fewer trajectories (--mc {fit} might fit)" if fit >= 1 else \
            "use fewer trajectories (--mc) or fewer generations"
        limits.require(secs + extra, what, hint + " or raise --max-seconds")
    return secs
