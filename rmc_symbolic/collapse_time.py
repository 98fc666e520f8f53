"""Time to collapse: the first generation from which a collapse probability stays at or
below ``delta`` — exactly, and as implied by each bound.

* Gaussian (§4): ``Pr(Σ_k > ε) <= δ`` for the exact probability (``gaussian_exact``), the
  optimised-s Markov bound (``eq3``), the Markov bound (``eq3``), Gurland's bound and
  ``theorem3``.
* Bernoulli (§2): ``Pr(P_k != 0) <= δ`` exactly (the Wright–Fisher chain,
  :func:`rmc_symbolic.markov.absorption_exact`) and from ``theorem1``'s two sides.
* Poisson (§3): ``Pr(Λ_k != 0) <= δ`` exactly (``theorem2``) and from the ``lemma2`` /
  ``lemma2_sharp`` sides.

Definition: ``T(δ) = min{k >= 1 : f(j) <= δ for every j >= k}``. For a decreasing f (every
Bernoulli/Poisson probability — 0 absorbs — and the Markov, Gurland and theorem3 bounds)
this is the smallest k with ``f(k) <= δ``. An *upper* bound on the probability gives an
upper bound on the exact time, a *lower* bound a lower bound on it.

Search: galloping then bisection over k, so O(log T) evaluations. It is exact for
non-increasing f. For the Gaussian exact probability and optimised bound, which rise before
they fall when ``ε > σ0`` (the walk starts below the threshold), the search starts after the
maximum (located on the saddlepoint approximation, resp. where ``s_opt < 1``); this
assumes they are unimodal in k (true of the normal approximation; checked numerically in
the tests). Theorem 1's upper bound first falls then rises (``c_k`` shrinks): its time is
the first k of the valley where it is <= δ, found by ternary search for the valley's bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import mpmath

from .errors import InputError
from .evaluate import evaluate
from .registry import get

__all__ = ["first_k_at_most", "gaussian_times", "bernoulli_times", "poisson_times",
           "check_delta", "K_MAX", "EXACT_TIME_MAX_N", "gaussian_exact_time_seconds"]

#: the largest generation the searches consider (a time beyond it is reported as None)
K_MAX = 10**15
#: the exact Bernoulli time uses the exact chain only up to this n (cost grows like n^(n k))
EXACT_TIME_MAX_N = 60


def check_delta(delta) -> Fraction:
    """``delta`` as an exact rational in the open interval (0, 1) (else InputError)."""
    from .parsing import parse_exact

    return parse_exact(delta if not isinstance(delta, Fraction) else delta, "delta", 0, 1,
                       lo_open=True, hi_open=True)


def first_k_at_most(f: Callable[[int], object], delta, start: int = 1,
                    guess: int | None = None, k_max: int = K_MAX) -> int | None:
    """The smallest ``k >= start`` with ``f(k) <= delta``, for f non-increasing on
    ``[start, inf)``; ``None`` if ``f(k) > delta`` up to ``k_max``. ``guess`` (optional)
    is where galloping starts; values are compared exactly as returned by ``f``."""
    cache: dict[int, bool] = {}

    def ok(k: int) -> bool:
        if k not in cache:
            cache[k] = f(k) <= delta
        return cache[k]

    k0 = max(start, min(guess or start, k_max))
    if ok(k0):
        # gallop down to a k with f(k) > delta (or reach start)
        hi, step = k0, 1
        while True:
            lo = hi - step
            if lo < start:
                if ok(start):
                    return start
                lo = start
                break
            if not ok(lo):
                break
            hi, step = lo, step * 2
    else:
        lo, step = k0, 1
        while True:
            hi = lo + step
            if hi > k_max:
                if ok(k_max):
                    hi = k_max
                    break
                return None
            if ok(hi):
                break
            lo, step = hi, step * 2
    while hi - lo > 1:  # invariant: f(lo) > delta >= f(hi)
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _bound_time(expr, params: dict, delta: Fraction, dps: int = 30, start: int = 1,
                guess: int | None = None) -> int | None:
    def f(k_: int):
        return evaluate(expr, {**params, "k": k_}, dps)

    return first_k_at_most(f, _mpf(delta, dps), start, guess)


def _mpf(q: Fraction, dps: int) -> mpmath.mpf:
    with mpmath.workdps(dps + 10):
        return mpmath.mpf(q.numerator) / q.denominator


# --------------------------------------------------------------------------- Gaussian


def gaussian_times(n, sigma0, eps, delta, exact: bool = True, dps: int = 15
                   ) -> dict[str, int | None]:
    """Collapse times of the Gaussian model for ``Pr(Σ_k > ε) <= δ``: keys ``exact``
    (``gaussian_exact``), ``optimized_bound`` (``eq3`` at s_opt), ``markov_bound``
    (``eq3``), ``gurland_bound`` and ``theorem3``. Domain: integer n >= 2, sigma0 > 0,
    eps > 0, 0 < delta < 1."""
    from . import gaussian_exact as ge

    n_, s0, e = ge.check_params(n, sigma0, eps)
    d = check_delta(delta)
    pt = {"n": n_, "sigma0": s0, "eps": e}
    eq3, t3 = get("eq3"), get("theorem3")
    out: dict[str, int | None] = {}
    out["theorem3"] = _bound_time(t3.parts["upper"], pt, d)
    out["gurland_bound"] = _bound_time(t3.parts["gurland_bound"], pt, d)
    out["markov_bound"] = _bound_time(eq3.parts["markov_bound"], pt, d)
    start = _optimized_start(n_, s0, e)
    dm = _mpf(d, 30)
    out["optimized_bound"] = _time_after_peak(
        lambda k_: ge.optimal_markov(n_, s0, e, k_, 30)[0], dm, start, out["markov_bound"])
    if exact:
        out["exact"] = _gaussian_exact_time(n_, s0, e, d, dps, start)
    return out


def gaussian_exact_time_seconds(n, sigma0, eps, dps: int = 15) -> float:
    """Estimated seconds of the exact Gaussian time's search at ``n``: about
    ``2 log2(T) + 8`` exact probabilities (galloping, bisection, the checks near the
    peak) at k near T ~ 5 n |log(eps/sigma0)| + n, each :func:`tail_seconds`."""
    import math

    from . import gaussian_exact as ge

    n_, s0, e = ge.check_params(n, sigma0, eps)
    ratio = abs(math.log(e.numerator) - math.log(e.denominator) - math.log(s0.numerator)
                + math.log(s0.denominator))
    t_guess = K_MAX if n_ >= K_MAX else min(K_MAX, int(5 * n_ * ratio + n_) + 1)
    probes = 2 * math.log2(t_guess + 1) + 8
    return probes * ge.tail_seconds(n_, t_guess, dps)


def _optimized_start(n_: int, s0: Fraction, e: Fraction) -> int:
    """The first k from which the optimised bound decreases: s_opt(k) < 1 <=> k > c/K'(1)
    (envelope theorem: d/dk log bound = log M_n(s_opt) < 0 iff s_opt < 1)."""
    if e <= s0:
        return 1
    from . import gaussian_exact as ge

    fn = ge._compiled()
    with mpmath.workdps(30):
        # d/ds log bound at s = 1 for k = 1 is  c' + K'(1)  with c' = 2 log(sigma0/eps)
        slope1 = fn["dlogb"](mpmath.mpf(n_), mpmath.mpf(1), ge.to_mpf(s0), ge.to_mpf(e), 1)
        c_neg = 2 * mpmath.log(ge.to_mpf(s0) / ge.to_mpf(e))  # < 0
        kprime1 = slope1 - c_neg
        return int(mpmath.floor(-c_neg / kprime1)) + 1


def _argmax_unimodal(f: Callable[[int], float], lo: int, hi: int) -> int:
    """The maximiser of a unimodal f on the integers of [lo, hi] (ternary search)."""
    while hi - lo > 2:
        m1 = lo + (hi - lo) // 3
        m2 = hi - (hi - lo) // 3
        if f(m1) < f(m2):
            lo = m1
        else:
            hi = m2
    return max(range(lo, hi + 1), key=f)


def _gaussian_exact_time(n_: int, s0: Fraction, e: Fraction, d: Fraction, dps: int,
                         start_opt: int) -> int | None:
    from . import gaussian_exact as ge

    dm = _mpf(d, dps + 10)
    df = float(d)
    start = 1
    if e > s0:  # rises first: start after the maximum of the saddlepoint approximation
        start = _argmax_unimodal(lambda k_: ge.saddlepoint_approx(n_, s0, e, k_), 1,
                                 start_opt + 1)
    guess = first_k_at_most(lambda k_: ge.saddlepoint_approx(n_, s0, e, k_), df, start)

    def f(k_: int):
        r = ge.tail_probability(n_, s0, e, k_, dps)
        if abs(r.value - dm) <= 2 * r.error + abs(dm) * mpmath.mpf(10) ** (-dps + 1):
            r = ge.tail_probability(n_, s0, e, k_, 2 * dps + 10)  # too close to call
        return r.value

    return _time_after_peak(f, dm, start, guess)


def _time_after_peak(f: Callable[[int], object], delta, peak: int,
                     guess: int | None = None) -> int | None:
    """``T(δ)`` for an f that rises up to ``peak`` and decreases after it: 1 when even the
    peak (and its neighbours) is at most δ, else the first k >= peak with f(k) <= δ."""
    if peak > 1 and all(f(j) <= delta for j in range(max(1, peak - 2), peak + 3)):
        return 1
    return first_k_at_most(f, delta, peak, guess)


# --------------------------------------------------------------------------- discrete


def bernoulli_times(n, p0, delta, exact: bool = True) -> dict[str, int | None]:
    """Collapse times of the Bernoulli model for ``Pr(P_k != 0) <= δ``: ``exact`` (the
    Wright–Fisher chain; None unless n p0 is an integer), ``theorem1_lower`` (a lower bound
    on the exact time) and ``theorem1_upper`` (an upper bound; None if the bound never gets
    to δ).
    Domain: integer n >= 1, 0 < p0 < 1, 0 < delta < 1."""
    from .parsing import parse_exact, parse_int

    n_ = parse_int(n, "n", 1)
    p = parse_exact(p0 if not isinstance(p0, Fraction) else p0, "p0", 0, 1, lo_open=True,
                    hi_open=True)
    d = check_delta(delta)
    t1 = get("theorem1")
    pt = {"n": n_, "p0": p}
    out: dict[str, int | None] = {"theorem1_lower": _bound_time(t1.parts["lower"], pt, d)}
    out["theorem1_upper"] = _valley_time(t1.parts["upper"], pt, d, n_, p)
    if p >= d:
        # Pr(P_k != 0) >= Pr(P_k -> 1) = p0 (absorption) for every k: never <= delta, and
        # theorem1's lower bound tends to 0 only because it is a bound
        out["theorem1_upper"] = None
    if exact:
        i0 = p * n_
        if i0.denominator != 1 or p >= d or n_ > EXACT_TIME_MAX_N:
            # no exact value: the chain starts at P_0 = i0/n; or never (p0 >= delta); or
            # n beyond the exact chain's practical reach for thousands of generations
            out["exact"] = None
            return out
        try:
            from .markov import absorption_exact
        except ImportError:
            raise InputError("the exact Bernoulli time needs rmc_symbolic.markov, which is "
                             "not available in this installation; use --no-exact") from None

        def f(k_: int) -> Fraction:
            return 1 - absorption_exact(n_, int(i0), [k_])["p_zero"][0]

        out["exact"] = first_k_at_most(f, d, 1, out["theorem1_lower"])
    return out


def _valley_time(expr, pt: dict, d: Fraction, n_: int, p: Fraction) -> int | None:
    """First k with expr(k) <= d for theorem1's upper bound (decreasing, then increasing
    once c_k = 1 - 3 n p0^2 - 3 k p0 shrinks, and 1 once c_k <= 0)."""
    dm = _mpf(d, 30)
    k_c = int((1 - 3 * n_ * p * p) / (3 * p))  # c_k > 0 needs k < (1 - 3 n p0^2)/(3 p0)
    if k_c < 1:
        return None
    k_c = min(k_c, K_MAX)  # the search limit

    def f(k_: int):
        return evaluate(expr, {**pt, "k": k_}, 30)

    if f(1) <= dm:  # already at k = 1: no need to find the bottom of the valley
        return 1
    bottom = _argmax_unimodal(lambda k_: -f(k_), 1, k_c)  # the bottom of the valley
    if f(bottom) > dm:
        return None
    return first_k_at_most(f, dm, 1, bottom, k_max=bottom)


def poisson_times(n, lambda0, delta, exact: bool = True) -> dict[str, int | None]:
    """Collapse times of the Poisson model for ``Pr(Λ_k != 0) <= δ``: ``exact``
    (``theorem2``), ``lemma2_lower``/``sharp_lower`` (lower bounds on the exact time) and
    ``lemma2_upper``/``sharp_upper`` (upper bounds). Domain: integer n >= 1, lambda0 > 0,
    0 < delta < 1."""
    from .parsing import parse_exact, parse_int

    n_ = parse_int(n, "n", 1)
    lam = parse_exact(lambda0 if not isinstance(lambda0, Fraction) else lambda0, "lambda0",
                      0, None, lo_open=True)
    d = check_delta(delta)
    t2 = get("theorem2")
    pt = {"n": n_, "lambda0": lam}
    out: dict[str, int | None] = {}
    for col in ("lemma2_lower", "sharp_lower", "sharp_upper", "lemma2_upper"):
        out[col] = _bound_time(t2.parts[col], pt, d)
    if exact:
        out["exact"] = _bound_time(t2.parts["exact"], pt, d, guess=out["sharp_lower"])
    return out
