"""The iterated map of the paper: ``g(x) = 1 − e^{−x}`` and ``g_k = g^{∘k}(+∞)`` (result ``eq2``).

``g_1 = 1`` and ``g_{k+1} = g(g_k)``; ``g_k`` is the survival probability to generation k of a
critical Galton–Watson process with Poisson(1) offspring, and ``g_k ~ 2/k``.

``g_k`` has no closed form, so it enters SymPy expressions as the function :class:`gk`,
which evaluates itself by iteration in Arb ball arithmetic (python-flint) at the working
precision plus guard bits. Every value it returns is the midpoint of a ball whose radius
was checked to be below the requested relative accuracy.

>>> import mpmath
>>> from rmc_symbolic.iterated_map import gk_values
>>> [mpmath.nstr(v, 20) for v in gk_values([1, 2, 3], dps=20)]
['1.0', '0.6321205588285576784', '0.46853639461338432718']
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

import mpmath
import sympy as sp
from flint import arb, ctx

__all__ = ["g", "gk", "gk_arb", "gk_arb_table", "gk_arb_values", "gk_values", "gk_mpmath",
           "g_iterate_mp", "arb_precision", "gk_abel", "abel_coefficients"]

_LOG2_10 = math.log2(10)

#: Checkpoints of the iteration, per working precision in bits: sorted ks and their balls.
_CHECKPOINT_EVERY = 4096
_checkpoints: dict[int, tuple[list[int], list[arb]]] = {}


def g(x: sp.Expr) -> sp.Expr:
    """The one-step map ``g(x) = 1 − e^{−x}`` (eq2) as a SymPy expression.

    >>> import sympy as sp
    >>> g(sp.Symbol('x'))
    1 - exp(-x)
    """
    return 1 - sp.exp(-x)


class arb_precision:
    """Context manager: python-flint's working precision set to ``prec`` bits.

    >>> from flint import ctx
    >>> with arb_precision(200):
    ...     ctx.prec
    200
    """

    def __init__(self, prec: int):
        self.prec = prec

    def __enter__(self):
        self.old = ctx.prec
        ctx.prec = self.prec

    def __exit__(self, *exc):
        ctx.prec = self.old


_with_prec = arb_precision

#: g_1, g_2, ... per working precision, for k up to GK_TABLE_MAX (extended on demand)
_GK_TABLE: dict[int, list[arb]] = {}
GK_TABLE_MAX = 200_000


def gk_arb_table(k: int, prec: int) -> arb:
    """A rigorous ball of ``g_k`` at ``prec`` bits, from a table of every ``g_j``, j <= k,
    kept for repeated look-ups (branch-and-bound asks for the same k many times); beyond
    ``GK_TABLE_MAX`` the same as :func:`gk_arb`."""
    if k > GK_TABLE_MAX:
        return gk_arb(k, prec)
    table = _GK_TABLE.setdefault(prec, [arb(1)])
    if len(table) < k:
        with arb_precision(prec):
            x = table[-1]
            while len(table) < k:
                x = -(-x).expm1()
                table.append(x)
    return table[k - 1]


#: seconds per step of the Arb iteration ``x -> -expm1(-x)`` at a working precision (bits),
#: measured on the 2-core reference machine (benchmarks/README.md, "limits")
_STEP_SECONDS = ((128, 8.4e-07), (512, 2.5e-06), (2048, 1.9e-05), (8192, 9e-05),
                 (16384, 0.00052), (65536, 0.0052), (131072, 0.015), (340000, 0.057))


def iteration_seconds(steps: int, prec: int) -> float:
    """Estimated seconds of ``steps`` steps of the g iteration at ``prec`` bits
    (log-log interpolation of measured costs)."""
    from .limits import loglog_interp

    return float(min(steps, 10**300)) * loglog_interp(_STEP_SECONDS, prec)


def _iteration_steps(targets: list[int], prec: int) -> int:
    """The steps :func:`gk_arb_values` will take for the sorted ``targets`` at ``prec``."""
    cps_k = _checkpoints.get(prec, ([1], []))[0]
    steps, last = 0, 0
    for t in targets:
        start = cps_k[bisect.bisect_right(cps_k, t) - 1]
        if start < last <= t:
            start = last
        steps += t - start
        last = t
    return steps


def _require_iteration(targets: list[int], prec: int) -> None:
    """Refuse (under a time limit) an iteration that would not fit in it."""
    from . import limits

    if limits.remaining() == float("inf"):
        return
    steps = _iteration_steps(targets, prec)
    secs = iteration_seconds(steps, prec)
    if secs > 0.5:
        kmax = targets[-1]
        faster = (f" (g_k for k >= {ABEL_MIN_K} takes the fast Abel-function route up to "
                  f"{ABEL_MAX_DPS} working digits)" if kmax >= ABEL_MIN_K else "")
        limits.require(secs, f"g_k for k up to {limits.short_int(kmax)} by "
                       f"{limits.short_int(steps)} steps of iteration at "
                       f"{prec} bits", f"ask for fewer digits{faster} or smaller k")


def gk_arb_values(ks: Iterable[int], prec: int) -> list[arb]:
    """Rigorous Arb enclosures of ``g_k`` for every k in ``ks`` (integers >= 1), at ``prec`` bits.

    One pass of the iteration serves the whole list; checkpoints are kept between calls so
    that later calls resume instead of restarting. Under a time limit
    (:mod:`rmc_symbolic.limits`), an iteration that would not fit is refused up front.
    """
    ks = list(ks)
    for k in ks:
        if int(k) != k or k < 1:
            raise ValueError(f"g_k needs an integer k >= 1, got {k!r}")
    order = sorted(range(len(ks)), key=lambda i: ks[i])
    _require_iteration([int(ks[i]) for i in order], prec)
    out: list[arb | None] = [None] * len(ks)
    cps_k, cps_v = _checkpoints.setdefault(prec, ([1], [arb(1)]))
    last_k, last_x = 0, None  # the previous target of this pass, to continue from
    with _with_prec(prec):
        for i in order:
            target = int(ks[i])
            j = bisect.bisect_right(cps_k, target) - 1
            k, x = cps_k[j], cps_v[j]
            if last_x is not None and k < last_k <= target:
                k, x = last_k, last_x
            while k < target:
                x = -(-x).expm1()
                k += 1
                if k % _CHECKPOINT_EVERY == 0 and k > cps_k[-1]:
                    cps_k.append(k)
                    cps_v.append(x)
            out[i] = x
            last_k, last_x = k, x
    return out  # type: ignore[return-value]


def gk_arb(k: int, prec: int) -> arb:
    """A rigorous Arb enclosure of ``g_k`` at ``prec`` bits of working precision."""
    return gk_arb_values([k], prec)[0]


def _bits_for(dps: int, kmax: int) -> int:
    # The relative rounding error grows at most linearly in k (g is a contraction near 0),
    # so log2(k) guard bits suffice; 64 cover k < 2^40 with room to spare. The precision is
    # rounded up to a multiple of 64 so that nearby requests share one cache of checkpoints.
    guard = max(64, max(1, int(kmax)).bit_length() + 24)
    bits = int(dps * _LOG2_10) + guard
    return -(-bits // 64) * 64


def gk_values(ks: Sequence[int], dps: int = 15, method: str = "auto") -> list[mpmath.mpf]:
    """``g_k`` for each k in ``ks``, as mpmath numbers correct to ``dps`` significant digits.

    ``method="iterate"``: Arb iteration; the working precision is raised until every ball
    has relative radius below ``10^-(dps+3)`` (certified). ``method="auto"`` (default) uses,
    for k >= 2^17 and dps <= 120, the Abel-function jump :func:`gk_abel` (milliseconds
    instead of seconds; checked by two starting generations, falling back to iteration when
    they disagree), and iteration otherwise.
    """
    if not ks:
        return []
    if method not in ("auto", "iterate"):
        raise ValueError(f"unknown method {method!r}")
    if len(ks) == 1:  # single values are asked for again and again by evaluate()
        key = (int(ks[0]), dps, method)
        if key not in _MEMO:
            if len(_MEMO) > 200_000:
                _MEMO.clear()
            _MEMO[key] = _gk_values(ks, dps, method)[0]
        return [_MEMO[key]]
    return _gk_values(ks, dps, method)


_MEMO: dict[tuple[int, int, str], mpmath.mpf] = {}


def _gk_values(ks: Sequence[int], dps: int, method: str) -> list[mpmath.mpf]:
    if method == "auto" and dps <= ABEL_MAX_DPS and max(ks) >= ABEL_MIN_K:
        big = sorted({int(k) for k in ks if k >= ABEL_MIN_K})
        jumped = {k: gk_abel(k, dps) for k in big}
        small = [k for k in ks if k < ABEL_MIN_K or jumped.get(int(k)) is None]
        iterated = dict(zip(small, gk_values(small, dps, "iterate"), strict=True))
        return [jumped[int(k)] if jumped.get(int(k)) is not None else iterated[k] for k in ks]
    prec = _bits_for(dps, max(ks))
    while True:
        balls = gk_arb_values(ks, prec)
        with _with_prec(prec):  # python-flint rounds results to the context precision
            tol = arb(10) ** (-(dps + 3))
            if all((b.rad() / abs(b.mid())) < tol for b in balls):
                return [arb_mid_to_mpf(b) for b in balls]
        prec *= 2


def arb_mid_to_mpf(b: arb) -> mpmath.mpf:
    """The midpoint of an Arb ball as an mpmath number, exactly (no rounding).

    Call it inside a context whose precision is at least the ball's: python-flint rounds
    the result of ``mid()`` to the context precision.
    """
    man, exp = b.mid().man_exp()
    return mpmath.mp.make_mpf(mpmath.libmp.from_man_exp(int(man), int(exp)))


def gk_mpmath(k) -> mpmath.mpf:
    """``g_k`` at the current mpmath precision (for use inside lambdified expressions)."""
    kk = int(k)
    if kk != k or kk < 1:
        raise ValueError(f"g_k needs an integer k >= 1, got {k}")
    dps = mpmath.mp.dps
    return +gk_values([kk], dps)[0]


def g_iterate_mp(s, k: int):
    """``g^{∘k}(s)`` at the current mpmath precision; ``s = mpmath.inf`` gives ``g_k``.

    >>> import mpmath
    >>> g_iterate_mp(mpmath.inf, 1)
    mpf('1.0')
    """
    x = mpmath.mpf(s)
    for _ in range(int(k)):
        x = mpmath.mpf(1) if mpmath.isinf(x) else -mpmath.expm1(-x)
    return x


class gk(sp.Function):
    """``g_k``: the k-th iterate of ``g(x) = 1 − e^{−x}`` started at ``+∞`` (eq2).

    Domain: integer ``k >= 1``. ``gk(1)`` evaluates to 1; other values stay symbolic and
    evaluate numerically (``evalf``, or mpmath through :func:`rmc_symbolic.evaluate`).

    >>> gk(1)
    1
    >>> gk(3).evalf(15)
    0.468536394613384
    """

    nargs = 1

    @classmethod
    def eval(cls, k):
        if k.is_Integer:
            if k < 1:
                raise ValueError("g_k is defined for integers k >= 1")
            if k == 1:
                return sp.Integer(1)
        return None

    def _eval_is_positive(self):
        if self.args[0].is_integer and self.args[0].is_positive:
            return True
        return None

    def _eval_is_real(self):
        return self._eval_is_positive()

    def _eval_evalf(self, prec):
        k = self.args[0]
        if not k.is_Integer:
            return None
        dps = max(15, int(prec / _LOG2_10) + 5)
        v = gk_values([int(k)], dps)[0]
        return sp.Float(v, precision=prec)

    def _latex(self, printer, exp=None):
        base = rf"g_{{{printer._print(self.args[0])}}}"
        return rf"{base}^{{{exp}}}" if exp else base

    def _sympystr(self, printer):
        return f"g({printer._print(self.args[0])})"


# --- Large k: the Abel function (Fatou coordinate) of g -------------------------------------
#
# g(x) = x − x²/2 + ... has a parabolic fixed point at 0. Its Abel function
#     α(x) = 2/x + c·ln x + Σ_{j=1}^{N} a_j x^j,      α(g(x)) = α(x) + 1,
# has rational coefficients (c = 1/3: 2/g_k = k + (1/3) ln k + const + o(1)), found below by
# power-series arithmetic. Then g_k = α^{-1}(α(g_{k0}) + k − k0) for any k > k0, with
# g_{k0} from iteration. The series is asymptotic, so the result is *checked*, not proved:
# two jumps from different starting generations k0 and 2·k0 must agree to the requested
# digits, else the iteration is used. Certified enclosures always come from gk_arb.


def _series_inv(u: list, n: int) -> list:
    from fractions import Fraction

    out = [Fraction(1) / u[0]]
    for m in range(1, n):
        out.append(-sum(u[i] * out[m - i] for i in range(1, m + 1) if i < len(u)) / u[0])
    return out


def _series_mul(a: list, b: list, n: int) -> list:
    return [sum(a[i] * b[m - i] for i in range(max(0, m - len(b) + 1), min(m, len(a) - 1) + 1))
            for m in range(n)]


def _series_log1(u: list, n: int) -> list:
    """log(u) for a power series u with u[0] = 1."""
    from fractions import Fraction

    du = [i * u[i] for i in range(1, n)] + [Fraction(0)]  # u' (coefficients of x^0..)
    q = _series_mul(du, _series_inv(u, n), n)  # u'/u
    return [Fraction(0)] + [q[m - 1] / m for m in range(1, n)]


_ABEL_CACHE: dict[int, tuple] = {}


def abel_coefficients(N: int = 40):
    """``(c, [a_1, ..., a_N])``: the exact rational coefficients of the Abel function
    ``α(x) = 2/x + c ln x + Σ a_j x^j`` of ``g(x) = 1 − e^{−x}``.

    >>> c, a = abel_coefficients(3)
    >>> c, a[:2]
    (Fraction(1, 3), [Fraction(1, 36), Fraction(1, 540)])
    """
    from fractions import Fraction
    from math import factorial

    if N in _ABEL_CACHE:
        return _ABEL_CACHE[N]
    n = N + 3
    u = [Fraction((-1) ** i, factorial(i + 1)) for i in range(n)]  # g(x)/x
    inv = _series_inv(u, n)  # x/g(x)
    lg = _series_log1(u, n)  # ln(g(x)/x)
    powers = [[Fraction(1)] + [Fraction(0)] * (n - 1)]  # u^j
    for _ in range(N + 1):
        powers.append(_series_mul(powers[-1], u, n))
    # coefficient of x^m in  2(x/g − 1)/x + c ln(g/x) + Σ a_j x^j (u^j − 1) − 1  must vanish
    c = -2 * inv[2] / lg[1]
    a: list = []
    for m in range(2, N + 2):
        rest = 2 * inv[m + 1] + c * lg[m]
        rest += sum(a[j - 1] * powers[j][m - j] for j in range(1, m - 1))
        a.append(-rest / powers[m - 1][1])
    _ABEL_CACHE[N] = (c, a)
    return c, a


def _abel(x, c, a):
    s = mpmath.mpf(0)
    for coef in reversed(a):
        s = (s + coef.numerator / mpmath.mpf(coef.denominator)) * x
    return 2 / x + c.numerator * mpmath.log(x) / c.denominator + s


def _abel_prime(x, c, a):
    s = mpmath.mpf(0)
    for j in range(len(a), 0, -1):
        s = s * x + j * (a[j - 1].numerator / mpmath.mpf(a[j - 1].denominator))
    return -2 / x**2 + mpmath.mpf(c.numerator) / c.denominator / x + s


def _abel_jump(x0, k0: int, k: int, c, a):
    """Solve α(x) = α(x0) + (k − k0) for x by Newton's method (α decreases on (0, 1))."""
    target = _abel(x0, c, a) + (k - k0)
    x = 2 / target
    for _ in range(200):
        dx = (_abel(x, c, a) - target) / _abel_prime(x, c, a)
        x -= dx
        if abs(dx) <= abs(x) * mpmath.mpf(2) ** (-mpmath.mp.prec + 4):
            break
    return x


#: jumps are used for k beyond this, at up to this many digits
ABEL_MIN_K = 1 << 17
ABEL_MAX_DPS = 120


def gk_abel(k: int, dps: int):
    """``g_k`` for large k by the Abel-function jump, checked by two starting generations;
    returns ``None`` when the two disagree (the caller then iterates)."""
    N = 40
    c, a = abel_coefficients(N)
    k0 = 1 << 14
    while float(abs(a[-1])) * (2.0 / k0) ** (N + 1) > 10.0 ** (-(dps + 8)):
        k0 *= 2
    if k < 4 * k0:
        return None
    prec = _bits_for(dps + 10, 2 * k0)
    b0, b1 = gk_arb_values([k0, 2 * k0], prec)
    with _with_prec(prec):
        x0, x1 = arb_mid_to_mpf(b0), arb_mid_to_mpf(b1)
    with mpmath.workprec(prec):
        y0 = _abel_jump(x0, k0, k, c, a)
        y1 = _abel_jump(x1, 2 * k0, k, c, a)
        if abs(y0 - y1) > abs(y1) * mpmath.mpf(10) ** (-(dps + 3)):
            return None
        return y1
