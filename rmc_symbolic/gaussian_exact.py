"""The exact collapse probability ``Pr(Σ_k > ε)`` of the Gaussian model and the
optimised-s Markov (Chernoff) bound (RESULTS.md §4: ``gaussian_exact`` [+], ``eq3`` [D]).

``log Σ_k = log σ0 + ½ S_k`` with ``S_k`` a sum of k i.i.d. ``log(χ²_m/m)``, m = n − 1, so
``Pr(Σ_k > ε) = Pr(S_k > c)``, ``c = 2 log(ε/σ0)`` (``gaussian_exact.parts["threshold"]``).
With ``K_m(z) = log E[(χ²_m/m)^z]`` (the registry's ``chi2_moment``; analytic for
``Re z > −m/2``) the Laplace inversion (Gil-Pelaez's formula with its contour moved off
the imaginary axis) is ::

    Pr(S_k > c)  =  1/(2πi) ∫_{a−i∞}^{a+i∞} exp(k K_m(z) − z c) / z dz      (a > 0)
    Pr(S_k <= c) = −1/(2πi) ∫_{a−i∞}^{a+i∞} exp(k K_m(z) − z c) / z dz      (−m/2 < a < 0)

(``gaussian_exact.parts["inversion_integrand"]``). On the imaginary axis (a → 0, the
textbook ``½ − (1/π)∫…``) a tail of 1e−30 would be the difference of two numbers of size
½: thirty digits cancel. Here the contour passes through the saddle point ``a`` of the
exponent (``k K'(a) = c``; the same equation gives the optimal s of the Markov bound) and
bends along the steepest-descent direction as a parabola ``z(τ) = a + iτ − βτ²``,
``β = −K'''(a)/(6 K''(a))``; no pole lies between it and the vertical line (the poles are
z = 0 and z = −m/2 − j on the real axis, which the parabola meets only at a). Near the mean
(|saddle| < 1/sd(S_k)) a is moved to ±1/sd(S_k), away from the pole at 0. The integrand is
then a non-oscillating bump of the size of the answer, so the *smaller* of the two tails is
computed directly, with its full relative precision, whatever its size (tested to 1e−200);
the larger one is 1 minus it. mpmath's quadrature works to an absolute tolerance, so the
integrand is scaled by its value at the saddle.

Accuracy: the integral is computed twice — tanh-sinh at working precision ``w`` and
Gauss–Legendre at ``w + max(10, dps/2)`` digits — and accepted when the two agree to
``dps + 1`` significant digits; the difference is reported as the error estimate.
The working precision has guard digits for the cancellation inside ``log Γ`` at large n
(``k·log Γ(m/2)`` has ``log10(k m log m)`` integer digits). The integrand is the registry's
exponent lambdified onto python-flint (Arb) complex balls, ~8x faster than mpmath's complex
log-gamma; the quadrature itself is mpmath's.

Domain: integer n >= 2, sigma0 > 0, eps > 0, integer k >= 1; any dps >= 1.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from .errors import InputError
from .evaluate import PrecisionError, evaluate, to_mpf
from .registry import get
from .symbols import eps, k, n, s, sigma0

__all__ = ["TailResult", "tail_probability", "exact_column", "optimal_markov",
           "saddle_point", "saddlepoint_approx", "check_params", "tail_seconds",
           "optimal_markov_seconds"]

#: seconds of one :func:`tail_probability` by requested digits, and of one
#: :func:`optimal_markov`, measured on the 2-core reference machine (benchmarks/README.md,
#: "limits"); the quadrature's cost jumps where mpmath raises its degree
_TAIL_SECONDS = ((15, 0.07), (30, 0.4), (50, 1.3), (80, 1.7), (120, 2.5), (160, 10.5),
                 (240, 40.0))
_OPTIMAL_SECONDS = ((15, 0.0028), (120, 0.0044), (240, 0.017), (480, 0.11), (960, 0.99),
                    (1920, 5.5), (3840, 29))


def _effective_dps(n_: int, k_: int, dps: int) -> int:
    """The digits the cost tables are indexed by: ``dps`` plus the guard digits beyond
    those of the measured setting (n = 10, k = 10), which grow like log10(k n log n)."""
    return max(dps, 15) + max(0, _guard_digits(n_, k_) - _guard_digits(10, 10))


def tail_seconds(n_: int, k_: int, dps: int) -> float:
    """Estimated seconds of one :func:`tail_probability` at ``dps`` digits."""
    from .limits import loglog_interp

    return loglog_interp(_TAIL_SECONDS, _effective_dps(n_, k_, dps))


def optimal_markov_seconds(n_: int, k_: int, dps: int) -> float:
    """Estimated seconds of one :func:`optimal_markov` at ``dps`` digits."""
    from .limits import loglog_interp

    return loglog_interp(_OPTIMAL_SECONDS, _effective_dps(n_, k_, dps))


@dataclass(frozen=True)
class TailResult:
    """``value`` = Pr(Σ_k > ε) to ``dps`` digits; ``error`` = the difference of the two
    evaluations; ``side`` = the tail that was integrated (``"upper"``: Pr(S_k > c),
    ``"lower"``: Pr(S_k <= c), value = 1 − it); ``tail`` = that integrated tail to ``dps``
    significant digits (= value on the upper side, = 1 − value = Pr(Σ_k <= ε) on the lower
    side, where it keeps its relative precision however small); ``abscissa`` = the
    contour's a; ``working_dps`` = the precisions used."""

    value: mpmath.mpf
    error: mpmath.mpf
    side: str
    tail: mpmath.mpf
    abscissa: mpmath.mpf
    working_dps: tuple[int, int]


def check_params(n_: int | str, sigma0_: object, eps_: object,
                 ks: Sequence[int] = ()) -> tuple[int, Fraction, Fraction]:
    """Validate the Gaussian parameters (``InputError`` naming the parameter and range)."""
    from .parsing import parse_exact, parse_int

    n_ = parse_int(n_, "n", 2)
    s0 = parse_exact(sigma0_, "sigma0", 0, None, lo_open=True)
    e = parse_exact(eps_, "eps", 0, None, lo_open=True)
    for k_ in ks:
        parse_int(k_, "k", 1)
    return n_, s0, e


# --------------------------------------------------------------------- compiled formulas

_zs = sp.Symbol("z_")
_ms = sp.Symbol("m_", positive=True)


def _acb_log(w):
    import flint

    return (w if isinstance(w, (flint.arb, flint.acb)) else flint.arb(w)).log()


def _acb_lgamma(w):
    import flint

    return flint.acb(w).lgamma()


@functools.lru_cache(maxsize=1)
def _compiled() -> dict:
    """Functions lambdified from the registry: the inversion exponent and its derivatives
    in z (mpmath), the z-dependent part of the exponent for the quadrature (python-flint
    Arb balls: ~8x faster than mpmath's complex log-gamma), and the s-derivatives of the
    log of the Markov s-bound."""
    ge = get("gaussian_exact")
    from .gaussian import z as zsym

    integrand = ge.parts["inversion_integrand"]
    # exponent of the integrand = log(integrand * z), taken from the registry part
    expo = sp.expand_log(sp.log(integrand * zsym), force=True).subs(zsym, _zs)
    d1 = sp.diff(expo, _zs)
    d2 = sp.diff(d1, _zs)
    d3 = sp.diff(d2, _zs)
    args = (n, k, sigma0, eps, _zs)
    mods = "mpmath"
    # the quadrature evaluates the integrand ~10^3 times: split off the terms free of z and
    # evaluate the rest with log-gamma (the continuous branch; exp(k .) is the same for any
    # branch of log since k is an integer) on Arb complex balls
    fast = sp.expand(expo).replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
        lambda e: sp.loggamma(e.args[0].args[0], evaluate=False))
    const = sp.Add(*[term for term in sp.Add.make_args(fast) if not term.has(_zs)])
    var = sp.expand(fast - const)
    if any(r.q not in (1, 2) for r in var.atoms(sp.Rational)):
        raise AssertionError("the Arb integrand assumes dyadic constants")  # pragma: no cover
    arb_mods = [{"loggamma": _acb_lgamma, "log": _acb_log}]
    # var = z * slope(n, k, sigma0, eps) + (the log-gamma terms): the slope once per integral
    lg_terms = sp.Add(*[term for term in sp.Add.make_args(var) if term.has(sp.loggamma)])
    slope = sp.expand((var - lg_terms) / _zs)
    if slope.has(_zs):
        raise AssertionError("exponent not linear in z outside log-gamma")  # pragma: no cover
    f_slope_arb = sp.lambdify(args[:4], slope, modules=arb_mods)
    f_lg_arb = sp.lambdify(args, lg_terms, modules=arb_mods)
    f_expo = sp.lambdify(args, expo, mods)
    logb = sp.expand_log(sp.log(get("eq3").parts["markov_s_bound"]), force=True)
    dlogb = sp.diff(logb, s)
    return {
        "expo": f_expo,
        "d1": sp.lambdify(args, d1, mods),
        "d2": sp.lambdify(args, d2, mods),
        "d3": sp.lambdify(args, d3, mods),
        "slope_arb": f_slope_arb,
        "lg_arb": f_lg_arb,
        "dlogb": sp.lambdify((n, k, sigma0, eps, s), dlogb, mods),
        "d2logb": sp.lambdify((n, k, sigma0, eps, s), sp.diff(dlogb, s), mods),
    }


def _guard_digits(n_: int, k_: int) -> int:
    m = mpmath.mpf(n_ - 1)
    big = mpmath.mpf(k_) * (m / 2 + 1) * mpmath.log(m / 2 + 2)
    return 8 + int(mpmath.ceil(mpmath.log10(big)))


def _root_increasing(f, lo, hi, fprime=None, lo_limit=None):
    """The root of the increasing function ``f`` on ``(lo_limit, inf)``: bracket by moving
    ``lo`` towards ``lo_limit`` and doubling ``hi``, then bisection and Newton polish."""
    if lo_limit is not None:
        while f(lo) > 0:
            lo = lo_limit + (lo - lo_limit) / 16
    while f(hi) < 0:
        hi = 2 * hi + 1
    tol = mpmath.mpf(2) ** (-mpmath.mp.prec + 8)
    for _ in range(4 * mpmath.mp.prec):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= tol * max(abs(hi), 1) or (fprime is not None and hi - lo < 1e-12 * max(
                abs(hi), 1)):
            break
    x = (lo + hi) / 2
    if fprime is not None:
        for _ in range(8):
            step = f(x) / fprime(x)
            x_new = x - step
            if not (lo <= x_new <= hi):
                break
            x = x_new
            if abs(step) <= tol * max(abs(x), 1):
                break
    return x


def saddle_point(n_: int, sigma0_: object, eps_: object, k_: int) -> mpmath.mpf:
    """The saddle point a of ``k K_m(z) − z c`` on ``(−m/2, inf)``, at the current precision
    (``k K_m'(a) = c``; ``K'`` is increasing from −inf to inf there)."""
    fn = _compiled()
    d1, d2 = fn["d1"], fn["d2"]
    N, K = mpmath.mpf(n_), mpmath.mpf(k_)
    s0, e = to_mpf(sigma0_), to_mpf(eps_)
    lo_limit = -(N - 1) / 2
    return _root_increasing(lambda a: d1(N, K, s0, e, a), lo_limit / 2, mpmath.mpf(1),
                            lambda a: d2(N, K, s0, e, a), lo_limit)


def _contour(n_, sigma0_, eps_, k_):
    """(side, a, beta, width) of the inversion contour at the current precision."""
    fn = _compiled()
    d1, d2, d3 = fn["d1"], fn["d2"], fn["d3"]
    N, K = mpmath.mpf(n_), mpmath.mpf(k_)
    s0, e = to_mpf(sigma0_), to_mpf(eps_)
    half_m = (N - 1) / 2
    saddle = saddle_point(n_, sigma0_, eps_, k_)
    # which tail is the small one: the sign of the exponent's slope at 0 (c vs E[S_k])
    upper = d1(N, K, s0, e, mpmath.mpf(0)) < 0
    sd = mpmath.sqrt(d2(N, K, s0, e, mpmath.mpf(0)))
    amin = 1 / sd  # keep the contour a distance ~ 1/sd(S_k) from the pole at z = 0
    a = saddle
    if upper and a < amin:
        a = amin
    if not upper and a > -amin:
        a = max(-amin, -half_m / 2)
    E2 = d2(N, K, s0, e, a)
    beta = -d3(N, K, s0, e, a) / (6 * E2)
    width = 1 / mpmath.sqrt(E2)
    return ("upper" if upper else "lower"), a, beta, width


def _arb(v):
    import flint

    if isinstance(v, Fraction):
        return flint.arb(v.numerator) / v.denominator
    return flint.arb(v)


def _integral(n_, sigma0_, eps_, k_, method: str):
    """``(value, side, a, tail)`` at the current mpmath precision by one quadrature
    method (see the module text)."""
    import flint

    fn = _compiled()
    N, K = mpmath.mpf(n_), mpmath.mpf(k_)
    s0, e = to_mpf(sigma0_), to_mpf(eps_)
    side, a, beta, w = _contour(n_, sigma0_, eps_, k_)
    e0 = fn["expo"](N, K, s0, e, a)
    old_prec = flint.ctx.prec
    flint.ctx.prec = mpmath.mp.prec + 16
    try:
        Na, Ka, S0a, Ea = flint.arb(n_), flint.arb(k_), _arb(sigma0_), _arb(eps_)
        aa, ba = flint.arb(a), flint.arb(beta)
        f_lg = fn["lg_arb"]
        slope = fn["slope_arb"](Na, Ka, S0a, Ea)
        # exponent(z) - exponent(a) = z slope + lg(z) - shift
        shift = flint.arb(e0 - fn["expo"](N, K, s0, e, 0)) + f_lg(Na, Ka, S0a, Ea,
                                                                   flint.acb(0))

        def g(tau):
            ta = flint.arb(tau)
            zz = flint.acb(aa - ba * ta * ta, ta)
            dz = flint.acb(-2 * ba * ta, 1)
            val = (zz * slope + f_lg(Na, Ka, S0a, Ea, zz) - shift).exp() * (aa / zz) * dz
            return mpmath.mpf(val.imag.mid())

        pts = [mpmath.mpf(0)] + [w * mpmath.mpf(2) ** j for j in range(0, 6)] + [mpmath.inf]
        integral = mpmath.quad(g, pts, method=method)
    finally:
        flint.ctx.prec = old_prec
    tail = mpmath.exp(e0) / (a * mpmath.pi) * integral
    if side == "upper":
        return tail, side, a, tail
    return 1 + tail, side, a, -tail


def tail_probability(n_: int, sigma0_: object, eps_: object, k_: int, dps: int = 15,
                     max_tries: int = 4) -> TailResult:
    """``Pr(Σ_k > ε)`` for the Gaussian recursion (``gaussian_exact``) to ``dps`` correct
    significant digits, with an error estimate.

    Parameters are exact (int, Fraction, decimal strings). Domain: integer n >= 2,
    sigma0 > 0, eps > 0, integer k >= 1. Raises :class:`PrecisionError` if two
    evaluations never agree.
    """
    n_, s0, e = check_params(n_, sigma0_, eps_, [k_])
    if dps < 1:
        raise InputError(f"dps = {dps} is outside the allowed range [1, inf)")
    w1 = dps + _guard_digits(n_, k_)
    extra = max(10, dps // 2)
    for _ in range(max_tries):
        with mpmath.workdps(w1):
            v1, side, a, t1 = _integral(n_, s0, e, k_, "tanh-sinh")
        with mpmath.workdps(w1 + extra):
            v2, _, _, t2 = _integral(n_, s0, e, k_, "gauss-legendre")
            err = abs(v1 - v2)
            # the small tail carries the relative accuracy (then 1 - tail is accurate too)
            ok = abs(t1 - t2) <= abs(t2) * mpmath.mpf(10) ** (-(dps + 1))
        if ok:
            with mpmath.workdps(dps):
                return TailResult(+v2, +err, side, +t2, +a, (w1, w1 + extra))
        w1 += dps + 10
        extra *= 2
    raise PrecisionError(f"exact Pr(Sigma_k > eps) did not converge to {dps} digits "
                         f"(n={n_}, k={k_})")


def exact_column(n_: int, sigma0_: object, eps_: object, ks: Sequence[int],
                 dps: int = 15) -> list[mpmath.mpf]:
    """``tail_probability(...).value`` for each k of ``ks``."""
    return [tail_probability(n_, sigma0_, eps_, k_, dps).value for k_ in ks]


def optimal_markov(n_: int, sigma0_: object, eps_: object, k_: int, dps: int = 15
                   ) -> tuple[mpmath.mpf, mpmath.mpf]:
    """``(bound, s_opt)``: ``min_{s>0} (σ0/ε)^{2s} M_n(s)^k`` (``eq3.parts["markov_s_bound"]``)
    and its minimiser, to ``dps`` digits.

    ``log`` of the bound is convex in s (``gamma_moment``: log M_n is convex), so its
    s-derivative (SymPy-differentiated from the registry) is increasing: the minimiser is
    its unique root, or ``s_opt = 0`` with bound 1 when the derivative at 0 is >= 0
    (then the infimum over s > 0 is 1, approached as s -> 0). Domain as
    :func:`tail_probability`.
    """
    n_, s0, e = check_params(n_, sigma0_, eps_, [k_])
    fn = _compiled()
    dlogb, d2logb = fn["dlogb"], fn["d2logb"]
    with mpmath.workdps(dps + _guard_digits(n_, k_) + 10):
        N, K, S0, E = mpmath.mpf(n_), mpmath.mpf(k_), to_mpf(s0), to_mpf(e)
        if dlogb(N, K, S0, E, mpmath.mpf(0)) >= 0:
            s_opt = mpmath.mpf(0)
        else:
            s_opt = _root_increasing(lambda v: dlogb(N, K, S0, E, v), mpmath.mpf(0),
                                     mpmath.mpf(1), lambda v: d2logb(N, K, S0, E, v))
    bound = evaluate(get("eq3").parts["markov_s_bound"],
                     {"n": n_, "k": k_, "sigma0": s0, "eps": e, "s": s_opt}, dps)
    with mpmath.workdps(dps):
        return bound, +s_opt


def saddlepoint_approx(n_: int, sigma0_: object, eps_: object, k_: int) -> float:
    """A fast approximation of ``Pr(Σ_k > ε)`` (Lugannani–Rice saddlepoint formula, double
    precision); used only to guide searches, never reported."""
    fn = _compiled()
    f_expo, d1, d2 = fn["expo"], fn["d1"], fn["d2"]
    with mpmath.workdps(20 + _guard_digits(n_, k_)):
        N, K = mpmath.mpf(n_), mpmath.mpf(k_)
        s0, e = to_mpf(sigma0_), to_mpf(eps_)
        a = saddle_point(n_, s0, e, k_)
        mean_slope = d1(N, K, s0, e, mpmath.mpf(0))  # = E[S_k] - c
        if abs(a) < mpmath.mpf(10) ** -8:
            sd = mpmath.sqrt(d2(N, K, s0, e, mpmath.mpf(0)))
            return float(mpmath.ncdf(mean_slope / sd))
        expo = f_expo(N, K, s0, e, a)  # = k K(a) - a c <= 0
        w = mpmath.sign(a) * mpmath.sqrt(max(-2 * expo, 0))
        u = a * mpmath.sqrt(d2(N, K, s0, e, a))
        val = 1 - mpmath.ncdf(w) + mpmath.npdf(w) * (1 / u - 1 / w)
        return float(min(max(val, 0), 1))
