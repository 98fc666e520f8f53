"""Rigorous Arb (python-flint ``arb``) enclosures of SymPy expressions.

API
---
``arb_lambdify(expr, symbols, clamp=False) -> Callable[..., flint.arb]``
    Compile ``expr`` (a SymPy expression) once; the returned function takes one ball per
    symbol of ``symbols`` (``flint.arb``, or exact ``int``/``Fraction``/``fmpq``/SymPy
    rationals, converted exactly up to one rounding at ``flint.ctx.prec``) and returns a
    ball that contains the value of ``expr`` at *every* point of the argument balls, at
    the working precision ``flint.ctx.prec`` current at call time. The expression tree
    is compiled once to a straight-line sequence of Arb operations (equal sub-expressions
    are evaluated once), run as a small Python function whose text is generated from slot
    numbers only (``v3 = v1 * v2``, ``v4 = F[0](v3)``): no text of the expression, let
    alone of user input, is ever executed. A result that is not finite (``nan`` or
    ``[+/- inf]``) means "no enclosure here" (pole, outside the domain, ball too wide).

    Supported: ``+ - * /``; powers (integer exponents by hand, exact for balls containing
    0 or negatives; ``x**(1/2)`` as sqrt; other exponents as ``exp(y log x)`` for
    ``x > 0``, and ``0 <= x`` when ``y > 0``); ``exp log sqrt gamma loggamma polygamma
    tanh cosh sinh sin cos atan expm1 log1p Abs Max Min sign Heaviside Piecewise``;
    constants ``pi E EulerGamma zeta(s)``, ``Integer``/``Rational`` exactly and ``Float``
    read exactly as its decimal (``Float('0.1')`` is 1/10); and the registry's ``gk(k)``
    (g_k, integer k >= 1): at a point by the Arb iteration of
    :func:`rmc_symbolic.iterated_map.gk_arb` (tabulated per precision up to k = 200,000); for a
    ball of k, the union of g over the integers in the ball (g_k decreases in k, so the
    hull of the two end values). Everything else raises :class:`NotImplementedError` at
    compile time.

    Integer variables may be passed as balls (intervals of integers): every operation
    encloses its value over the real hull of its arguments, which contains the integer
    points (``gk`` encloses over the integers only). Where a real extension is not
    defined (e.g. ``(-1/2)**n`` for an interval of n) the result is ``nan`` and the
    caller must split down to single integers.

    ``clamp=True`` (or a collection of argument expressions, to clamp only the nodes
    whose argument / power base is in it): ``sqrt`` and non-integer powers see only the
    part of their argument ball that lies in their domain (like Arb's ``arb_sqrtpos``;
    ``log`` and ``loggamma`` need a ball certified > 0 either way).
    This removes the artefact that python-flint stores every radius rounded up (the ball
    of ``[0, 1]`` reaches down to ``-2^-31``), but it is rigorous only where the caller
    has *established* that the arguments lie in the domain on the whole box; see
    :func:`domain_conditions`. The default ``clamp=False`` is rigorous unconditionally.

``domain_conditions(expr) -> list[tuple[sp.Expr, bool]]``
    The conditions under which ``expr`` is defined as a real number: pairs ``(arg,
    strict)`` meaning ``arg > 0`` (``strict``) or ``arg >= 0``. (sqrt: ``arg >= 0``; log,
    loggamma: ``arg > 0``; ``b**y`` with y not an integer constant: ``b >= 0`` if y is a
    positive number, else ``b > 0``.)

``arb_from_fraction(q) -> arb``  an exact rational (``Fraction``/int/str like ``"0.01"``)
    as a ball at ``ctx.prec`` (exact when dyadic and short enough).
``arb_interval(lo, hi) -> arb``  a ball containing ``[lo, hi]`` (exact Fractions).
``arb_bounds(ball) -> (Fraction, Fraction)``  exact rational end points of a finite ball.
``arb_diff(expr, var) -> sp.Expr``  the derivative in a form that suits enclosures
    (``d b**e = e*b**(e-1)*b'`` when e does not depend on var).
``exact_decimal(f: sp.Float) -> Fraction``  a SymPy Float read as its decimal string.
``pow_int(x, n) -> arb``  ``x**n`` for an integer n, for any ball (python-flint's ``**``
    gives nan for balls containing 0).

Used by ``proofs_check`` (enclosures of claims) and by the Markov-chain checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq, fmpz
from sympy.codegen.cfunctions import expm1 as sp_expm1
from sympy.codegen.cfunctions import log1p as sp_log1p

from .iterated_map import gk, gk_arb_table

__all__ = [
    "arb_lambdify", "arb_from_fraction", "arb_interval", "arb_bounds", "arb_diff",
    "domain_conditions", "exact_decimal", "is_finite", "pow_int",
]

# --------------------------------------------------------------------------- conversions


def exact_decimal(f: sp.Float) -> Fraction:
    """A SymPy ``Float`` read exactly as the decimal it prints as (``Float('0.1')`` → 1/10)."""
    dps = max(1, mpmath.libmp.prec_to_dps(f._prec))
    text = mpmath.libmp.to_str(f._mpf_, dps)
    return Fraction(text)


def _to_fraction(q) -> Fraction:
    if isinstance(q, Fraction):
        return q
    if isinstance(q, bool):
        raise TypeError("not a number: bool")
    if isinstance(q, int):
        return Fraction(q)
    if isinstance(q, sp.Rational):
        return Fraction(int(q.p), int(q.q))
    if isinstance(q, sp.Float):
        return exact_decimal(q)
    if isinstance(q, fmpq):
        return Fraction(int(q.p), int(q.q))
    if isinstance(q, fmpz):
        return Fraction(int(q))
    if isinstance(q, str):
        from .parsing import parse_exact

        return parse_exact(q)
    raise TypeError(f"not an exact number: {q!r} ({type(q).__name__})")


def arb_from_fraction(q) -> arb:
    """The exact rational ``q`` (Fraction, int, SymPy Rational, ``"0.01"``) as an Arb ball
    at ``ctx.prec`` (one rounding; exact when representable)."""
    q = _to_fraction(q)
    if q.denominator == 1:
        return arb(fmpz(q.numerator))
    return arb(fmpq(q.numerator, q.denominator))


def arb_interval(lo, hi) -> arb:
    """A ball containing the interval ``[lo, hi]`` of exact rationals (``lo <= hi``).

    python-flint rounds radii up, so the ball is slightly wider than ``[lo, hi]``
    (relative ``2^-30`` of the width)."""
    lo_q, hi_q = _to_fraction(lo), _to_fraction(hi)
    if lo_q > hi_q:
        raise ValueError(f"empty interval [{lo_q}, {hi_q}]")
    if lo_q == hi_q:
        return arb_from_fraction(lo_q)
    return arb_from_fraction(lo_q).union(arb_from_fraction(hi_q))


def _arf_fraction(a: arb) -> Fraction:
    man, exp = a.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def arb_bounds(ball: arb) -> tuple[Fraction, Fraction]:
    """Exact rational lower and upper end points of a finite ball."""
    if not ball.is_finite():
        raise ValueError("ball is not finite")
    mid = _arf_fraction(ball)
    rad = _arf_fraction(ball.rad())
    return mid - rad, mid + rad


def is_finite(ball: arb) -> bool:
    """True when the ball is a finite enclosure (not nan, not infinite)."""
    return ball.is_finite()


# --------------------------------------------------------------------------- primitives

def _nan() -> arb:
    return arb.nan()


def _hull(a: arb, b: arb) -> arb:
    return a.union(b)


def _pow_int_point(v: arb, n: int) -> arb:
    """``v**n`` for a narrow ball ``v`` and an integer ``n >= 1``."""
    if v > 0:
        return v**n
    if v < 0:
        r = (-v) ** n
        return r if n % 2 == 0 else -r
    m = arb(v.abs_upper()) ** n
    return _hull(arb(0), m) if n % 2 == 0 else _hull(-m, m)


def pow_int(x: arb, n: int) -> arb:
    """``x**n`` for an integer ``n``, exact in the sense of interval arithmetic for any ball
    (also those containing 0 or negatives, where python-flint's ``**`` gives nan)."""
    if n == 0:
        return arb(1)
    if n < 0:
        # invert first: x**n = (1/x)**|n|. (Inverting x**|n| instead fails when the hull of
        # a wide positive power is rounded out to contain 0: Arb stores radii to 30 bits.)
        if x.contains(0):
            return _nan()
        return pow_int(1 / x, -n)
    if n == 1:
        return x
    if not x.is_finite():
        return _nan()
    if x.rad() == 0:
        return _pow_int_point(x, n)
    if x > 0 and x.rad() * (n * 1024) < x.mid():
        return x**n  # a narrow positive ball: Arb's own power is tight enough
    if x > 0 or x < 0 or n % 2 == 1:
        a, b = _pow_int_point(x.lower(), n), _pow_int_point(x.upper(), n)
        return _hull(a, b)
    # even power of a ball containing 0: [0, max(|lo|, |hi|)^n]
    m = arb(x.abs_upper()) ** n
    return _hull(arb(0), m)


def _exact_int(y: arb) -> int | None:
    if y.rad() == 0 and y.is_finite() and y.is_integer():
        return int(_arf_fraction(y))
    return None


def _nonneg(x: arb, clamp: bool) -> arb | None:
    """The part of ``x`` in ``[0, inf)`` if the ball may be used as nonnegative, else None."""
    if x >= 0:
        return x
    if not x.is_finite() or x < 0:
        return None
    if clamp or x.lower() >= 0:
        return x.nonnegative_part()
    return None


def _sqrt(x: arb, clamp: bool) -> arb:
    if x > 0:
        return x.sqrt()
    xn = _nonneg(x, clamp)
    if xn is None:
        return _nan()
    return _hull(arb(0), arb(xn.upper()).sqrt())


def _pow(x: arb, y: arb, clamp: bool) -> arb:
    n = _exact_int(y)
    if n is not None:
        return pow_int(x, n)
    if y.rad() == 0 and y == arb(0.5):
        return _sqrt(x, clamp)
    if x > 0:
        return (y * x.log()).exp()
    if not (y > 0):
        return _nan()
    xn = _nonneg(x, clamp)
    if xn is None:
        return _nan()
    hi = arb(xn.upper())
    if hi == 0:
        return arb(0)
    return _hull(arb(0), (y * hi.log()).exp())


def _log(x: arb, clamp: bool) -> arb:
    # clamping cannot help: a ball that reaches 0 has no finite enclosure of its log
    if x > 0:
        return x.log()
    return _nan()


def _loggamma(x: arb, clamp: bool) -> arb:
    if x > 0:
        return x.lgamma()
    return _nan()


def _abs(x: arb) -> arb:
    if x >= 0:
        return x
    if x <= 0:
        return -x
    if not x.is_finite():
        return _nan()
    return _hull(arb(0), arb(x.abs_upper()))


def _max2(a: arb, b: arb) -> arb:
    if a >= b:
        return a
    if b >= a:
        return b
    lo = a.lower().max(b.lower())
    hi = a.upper().max(b.upper())
    return _hull(lo, hi)


def _min2(a: arb, b: arb) -> arb:
    return -_max2(-a, -b)


def _sign(x: arb) -> arb:
    if x > 0:
        return arb(1)
    if x < 0:
        return arb(-1)
    if x == 0:
        return arb(0)
    return arb(0, 1)


def _heaviside(x: arb) -> arb:
    # SymPy's Heaviside(0) is 1/2; every value in [0, 1] is covered
    if x > 0:
        return arb(1)
    if x < 0:
        return arb(0)
    return _hull(arb(0), arb(1))


def _polygamma(m: arb, z: arb) -> arb:
    order = _exact_int(m)
    if order is None or order < 0:
        return _nan()
    if order == 0:
        return z.digamma()
    if not (z > 0):
        return _nan()
    if z.rad() != 0:
        # psi^(m) is monotone on z > 0 (completely monotone up to sign): the hull of the
        # values at the two ends (Arb's Hurwitz zeta on a wide ball is much slower)
        return _hull(_psi_narrow(order, z.lower()), _psi_narrow(order, z.upper()))
    return _psi_narrow(order, z)


def _psi_narrow(order: int, z: arb) -> arb:
    """psi^(m)(z) = (-1)^(m+1) m! zeta(m+1, z), m >= 1, z > 0 (a narrow ball)."""
    if not (z > 0):
        return _nan()
    val = arb(order + 1).zeta(z) * math.factorial(order)
    return val if order % 2 == 1 else -val


def _gk_point(k: int, prec: int) -> arb:
    """A rigorous ball of g_k at ``prec`` bits: the iteration's table (shared with
    :mod:`rmc_symbolic.iterated_map`) for k <= :data:`GK_ABEL_FROM`, the certified
    Abel-function enclosure :func:`gk_arb_large` beyond."""
    if k > GK_ABEL_FROM:
        return gk_arb_large(k, prec)
    return gk_arb_table(k, prec)


# --------------------------------------------------------------------------- g_k, large k
#
# A certified enclosure of g_k for huge k (k = 10^18 cannot be iterated). With the
# truncated Abel function of g(x) = 1 - e^{-x} (iterated_map.abel_coefficients),
#     A(x) = 2/x + c ln x + sum_{j=1}^{N} a_j x^j,
# the defect  d(x) = A(g(x)) - A(x) - 1  is analytic in |x| < 2*pi (ln(g(x)/x) is taken on
# Re(g(x)/x) > 0, certified on the disc below) and its Taylor coefficients of order
# 0..N+1 vanish (checked here in exact rational arithmetic). Cauchy's estimate with
# M = max_{|x| = r} |d(x)| (an acb enclosure over arcs of the circle) gives
#     |d(x)| <= M (|x|/r)^(N+2) / (1 - |x|/r)    for |x| < r.
# Summing A(g_{j+1}) = A(g_j) + 1 + d(g_j) from j = k0 to k - 1, with g_j <= 2/(j+1)
# (lemma2_sharp.upper, PROVED for every integer j >= 1):
#     A(g_k) = A(g_{k0}) + (k - k0) +- E,  E <= M/(1 - rho/r) (2/r)^(N+2) / ((N+1) k0^(N+1)),
# where rho = 2/(k0+1) bounds every g_j, j >= k0. A decreases on (0, rho] (certified), so
# g_k lies between the points where A takes the values A(g_{k0}) + k - k0 -+ E; both are
# located by Newton's method and then certified by Arb evaluations of A. g_{k0} is the
# Arb iteration's ball. Everything is rigorous: no step is only "checked".

#: g_k beyond this k comes from the certified Abel-function enclosure
GK_ABEL_FROM = 1 << 16
_ABEL_R = Fraction(1, 2)
_ABEL_CERT: dict[int, tuple] = {}


def _abel_defect_vanishes(c, a) -> bool:
    """The Taylor coefficients of order 0..N+1 of A(g(x)) - A(x) - 1 are all zero (exact
    rational power series, python-flint's ``fmpq_series``)."""
    N = len(a)
    n = N + 4
    old_cap = ctx.cap  # python-flint truncates series at ctx.cap terms
    try:
        ctx.cap = max(old_cap, n + 2)
        return _abel_defect_vanishes_at(c, a, N, n)
    finally:
        ctx.cap = old_cap


def _abel_defect_vanishes_at(c, a, N: int, n: int) -> bool:
    from flint import fmpq_series

    X = fmpq_series([0, 1], prec=n)
    G = 1 - (-X).exp()  # g(x)
    U = fmpq_series(G.coeffs()[1:], prec=n - 1)  # g(x)/x
    inv = U.inv().coeffs() + [fmpq(0)] * n
    lg = U.log().coeffs() + [fmpq(0)] * n
    poly_g = fmpq_series([0], prec=n)
    poly_x = fmpq_series([0], prec=n)
    for coef in reversed(a):  # Horner: sum a_j y^j
        q = fmpq(coef.numerator, coef.denominator)
        poly_g = (poly_g + q) * G
        poly_x = (poly_x + q) * X
    diff = (poly_g - poly_x).coeffs() + [fmpq(0)] * n
    cq = fmpq(c.numerator, c.denominator)
    for m in range(N + 2):
        v = 2 * inv[m + 1] + cq * lg[m] + diff[m] - (1 if m == 0 else 0)
        if v != 0:
            return False
    return True


def _abel_arb(x, c: Fraction, a) -> arb:
    s = arb(0)
    for coef in reversed(a):
        s = (s + arb(fmpq(coef.numerator, coef.denominator))) * x
    return 2 / x + arb(fmpq(c.numerator, c.denominator)) * x.log() + s


def _abel_defect_bound(N: int, prec: int):
    """(c, a, M, ok): the Abel coefficients, M >= max |A(g(x)) - A(x) - 1| on |x| = r, and
    whether the analyticity conditions were certified (Re(g(x)/x) > 0 on |x| = r)."""
    from flint import acb

    from .iterated_map import abel_coefficients

    key = N
    hit = _ABEL_CERT.get(key)
    if hit is not None:
        return hit
    c, a = abel_coefficients(N)
    ok = _abel_defect_vanishes(c, a)
    M = arb(0)
    old = ctx.prec
    try:
        ctx.prec = 128
        arcs = 256
        r = arb(fmpq(_ABEL_R.numerator, _ABEL_R.denominator))
        half = arb.pi() / arcs  # half-angle of one arc
        for i in range(arcs if ok else 0):
            theta = arb.pi() * (2 * i + 1) / arcs
            centre = acb(theta.cos(), theta.sin()) * r
            # a disc containing the arc: radius r * half-angle (>= half the chord)
            rad = arb((r * half).upper())
            x = centre + acb(arb(0, rad), arb(0, rad))
            h = -((-x).exp() - 1) / x  # g(x)/x
            if not (h.real > 0):
                ok = False
                break
            gx = h * x
            cq = acb(arb(fmpq(c.numerator, c.denominator)))
            d = 2 / gx - 2 / x + cq * h.log() - 1
            gp, xp = acb(1), acb(1)
            for coef in a:
                gp, xp = gp * gx, xp * x
                d += acb(arb(fmpq(coef.numerator, coef.denominator))) * (gp - xp)
            m = d.abs_upper()
            if not m.is_finite():
                ok = False
                break
            M = M.max(arb(m)) if M != 0 else arb(m)
    finally:
        ctx.prec = old
    out = (c, a, M, ok)
    _ABEL_CERT[key] = out
    return out


def _abel_invert(y, c, a, prec: int) -> arb:
    """An approximate (uncertified) solution of A(x) = y near x = 2/y, by Newton's method
    at ``prec`` bits (the caller certifies the end points it derives from it)."""
    x = 2 / y
    for _ in range(100):
        fx = _abel_arb(x, c, a) - y
        s = arb(0)
        for j in range(len(a), 0, -1):
            s = s * x + j * arb(fmpq(a[j - 1].numerator, a[j - 1].denominator))
        dfx = -2 / x**2 + arb(fmpq(c.numerator, c.denominator)) / x + s
        step = arb((fx / dfx).mid())
        x = arb((x - step).mid())
        if abs(step.mid()) <= abs(x.mid()) * arb(2) ** (-prec + 4):
            break
    return x


def gk_arb_large(k: int, prec: int) -> arb:
    """A certified Arb ball of ``g_k`` for large k (k > :data:`GK_ABEL_FROM`) at about
    ``prec`` bits, by the Abel-function enclosure described above (rigorous; uses
    lemma2_sharp.upper ``g_j <= 2/(j+1)`` and the Arb iteration up to k0 = 2^14..2^16;
    N = 40 terms serve up to ~550 bits). Beyond that precision: the iteration for
    k <= GK_TABLE_MAX, else lemma2_sharp's bounds ``2/(k+1+ln(k)/3) <= g_k <= 2/(k+1)``
    (PROVED claims; a wide but certified ball)."""
    from .iterated_map import GK_TABLE_MAX

    k = int(k)
    if k < 1:
        return _nan()
    N = 40
    c, a, M, ok = _abel_defect_bound(N, 128)
    for k0 in ((1 << 14, 1 << 15, 1 << 16) if ok else ()):
        if k <= k0:
            break
        old = ctx.prec
        try:
            ctx.prec = prec + 32
            r = arb(fmpq(_ABEL_R.numerator, _ABEL_R.denominator))
            rho = arb(2) / (k0 + 1)
            q = rho / r
            E = M / (1 - q) * (2 / r) ** (N + 2) / ((N + 1) * arb(k0) ** (N + 1))
            if not (E < arb(2) ** (-prec - 8)):
                continue  # this truncation is too coarse for the requested precision
            # A decreases on (0, rho]: x^2 A'(x) = -2 + c x + sum j a_j x^(j+1) < 0
            bound = arb(-2) + arb(fmpq(c.numerator, c.denominator)) * rho
            for j, coef in enumerate(a, start=1):
                bound += j * abs(arb(fmpq(coef.numerator, coef.denominator))) * rho ** (j + 1)
            if not (bound < 0):
                continue
            x0 = gk_arb_table(k0, prec + 32)
            if not (x0 > 0 and x0 <= rho):
                continue
            T = _abel_arb(x0, c, a) + (k - k0)
            y_hi = arb((T + E).upper())  # A(g_k) <= y_hi, so g_k >= A^-1(y_hi)
            y_lo = arb((T - E).lower())
            approx_lo = _abel_invert(y_hi, c, a, prec + 32)
            approx_hi = _abel_invert(y_lo, c, a, prec + 32)
            lo = hi = None
            for shift in (prec - 8, prec - 24, prec // 2):
                eps = arb(2) ** (-max(shift, 8))
                cand_lo = arb((approx_lo * (1 - eps)).lower())
                cand_hi = arb((approx_hi * (1 + eps)).upper())
                if lo is None and cand_lo > 0 and _abel_arb(cand_lo, c, a) >= y_hi:
                    lo = cand_lo
                if hi is None and cand_hi <= rho and _abel_arb(cand_hi, c, a) <= y_lo:
                    hi = cand_hi
                if lo is not None and hi is not None:
                    break
            if lo is None or hi is None:
                continue
            ball = lo.union(hi)
        finally:
            ctx.prec = old
        return +ball
    if k <= GK_TABLE_MAX:
        return gk_arb_table(k, prec)
    # lemma2_sharp: 2/(k + 1 + ln(k)/3) <= g_k <= 2/(k + 1)
    kk = arb(k)
    return (2 / (kk + 1 + kk.log() / 3)).union(2 / (kk + 1))


def _gk(k: arb) -> arb:
    if not k.is_finite():
        return _nan()
    lo, hi = arb_bounds(k)
    klo, khi = math.ceil(lo), math.floor(hi)
    if klo < 1 or klo > khi:
        return _nan()
    prec = ctx.prec
    a = _gk_point(klo, prec)
    if khi == klo:
        return +a
    return _hull(_gk_point(khi, prec), a)


def _zeta(s: arb) -> arb:
    return s.zeta()


# --------------------------------------------------------------------------- compiler

_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: lambda a: a.exp(),
    sp.tanh: lambda a: a.tanh(),
    sp.cosh: lambda a: a.cosh(),
    sp.sinh: lambda a: a.sinh(),
    sp.sin: lambda a: a.sin(),
    sp.cos: lambda a: a.cos(),
    sp.atan: lambda a: a.atan(),
    sp.gamma: lambda a: a.gamma(),
    sp_expm1: lambda a: a.expm1(),
    sp.Abs: _abs,
    sp.sign: _sign,
    sp.Heaviside: _heaviside,
    gk: _gk,
}

_CLAMPED: dict[type, Callable[[arb, bool], arb]] = {
    sp.log: _log,
    sp.loggamma: _loggamma,
}


def _log1p(a: arb, clamp: bool) -> arb:
    if a > -1:
        return a.log1p()
    return _nan()


_CLAMPED[sp_log1p] = _log1p


def _constant(node: sp.Expr) -> Callable[[], arb] | None:
    """A maker of the ball of a numeric constant at the current precision, or None."""
    from .certified_sign import ArbConstant

    if isinstance(node, ArbConstant):
        inner: list = []

        def make() -> arb:
            if not inner:
                inner.append(arb_lambdify(node.value, []))
            return inner[0]()

        return make
    if isinstance(node, (sp.Integer, sp.Rational)):
        q = Fraction(int(node.p), int(node.q))
        return lambda: arb_from_fraction(q)
    if isinstance(node, sp.Float):
        q = exact_decimal(node)
        return lambda: arb_from_fraction(q)
    if node is sp.pi:
        return arb.pi
    if node is sp.E:
        return lambda: arb(1).exp()
    if node is sp.EulerGamma:
        return arb.const_euler
    return None


class _Program:
    """A straight-line program of Arb operations: slot i holds the value of a node."""

    def __init__(self, expr: sp.Expr, symbols: Sequence[sp.Symbol], clamp):
        self.symbols = tuple(symbols)
        self.clamp_all = clamp is True
        self.clamp_set = frozenset() if isinstance(clamp, bool) else frozenset(clamp)
        self.nargs = len(self.symbols)
        self.consts: list[tuple[int, Callable[[], arb]]] = []
        self.ops: list[tuple[int, Callable, tuple[int, ...], int]] = []
        self.slots = self.nargs
        self.memo: dict[sp.Basic, int] = {s: i for i, s in enumerate(self.symbols)}
        self._const_cache: dict[int, list] = {}
        self._run: Callable | None = None
        self.out = self._compile(expr if isinstance(expr, sp.Basic) else sp.sympify(expr))

    def _new(self) -> int:
        i = self.slots
        self.slots += 1
        return i

    def _compile(self, node: sp.Basic) -> int:
        hit = self.memo.get(node)
        if hit is not None:
            return hit
        slot = self._compile_new(node)
        self.memo[node] = slot
        return slot

    def _op(self, fn: Callable, args: Sequence[int]) -> int:
        slot = self._new()
        args = tuple(args)
        if fn is _sum and len(args) == 2:
            fn = _add2
        elif fn is _prod and len(args) == 2:
            fn = _mul2
        self.ops.append((slot, fn, args, len(args)))
        return slot

    def _clamped(self, arg: sp.Basic) -> bool:
        return self.clamp_all or arg in self.clamp_set

    def _compile_new(self, node: sp.Basic) -> int:
        maker = _constant(node)
        if maker is not None:
            slot = self._new()
            self.consts.append((slot, maker))
            return slot
        if isinstance(node, sp.Symbol):
            raise NotImplementedError(
                f"arb_lambdify: free symbol {node} is not among the arguments "
                f"({', '.join(map(str, self.symbols))})")
        if isinstance(node, sp.Add):
            args = [self._compile(a) for a in node.args]
            return self._op(_sum, args)
        if isinstance(node, sp.Mul):
            num, den = [], []
            for a in node.args:
                if isinstance(a, sp.Pow) and a.exp.is_Integer and a.exp < 0:
                    den.append(self._compile(sp.Pow(a.base, -a.exp)))
                elif isinstance(a, sp.Rational) and not isinstance(a, sp.Integer) \
                        and a.p in (1, -1):
                    if a.p == -1:
                        num.append(self._compile(sp.Integer(-1)))
                    den.append(self._compile(sp.Integer(a.q)))
                else:
                    num.append(self._compile(a))
            if not num:
                num.append(self._compile(sp.Integer(1)))
            top = self._op(_prod, num) if len(num) > 1 else num[0]
            if not den:
                return top
            bottom = self._op(_prod, den) if len(den) > 1 else den[0]
            return self._op(_div, (top, bottom))
        if isinstance(node, sp.Pow):
            base, e = node.args
            if e.is_Integer:
                b = self._compile(base)
                n = int(e)
                return self._op(lambda x, n=n: pow_int(x, n), (b,))
            clamp = self._clamped(base)
            if e == sp.S.Half:
                b = self._compile(base)
                return self._op(lambda x: _sqrt(x, clamp), (b,))
            b, y = self._compile(base), self._compile(e)
            return self._op(lambda x, yy: _pow(x, yy, clamp), (b, y))
        if isinstance(node, (sp.Max, sp.Min)):
            args = [self._compile(a) for a in node.args]
            fn = _max2 if isinstance(node, sp.Max) else _min2
            return self._op(lambda *vs, fn=fn: _fold(fn, vs), args)
        if isinstance(node, sp.Piecewise):
            return self._compile_piecewise(node)
        if isinstance(node, sp.polygamma):
            m, z = (self._compile(a) for a in node.args)
            return self._op(_polygamma, (m, z))
        if isinstance(node, sp.zeta) and len(node.args) == 1:
            return self._op(_zeta, (self._compile(node.args[0]),))
        f = type(node)
        if f in _UNARY and len(node.args) == 1:
            return self._op(_UNARY[f], (self._compile(node.args[0]),))
        if f in _CLAMPED and len(node.args) == 1:
            fn = _CLAMPED[f]
            clamp = self._clamped(node.args[0])
            return self._op(lambda x, fn=fn: fn(x, clamp), (self._compile(node.args[0]),))
        raise NotImplementedError(f"arb_lambdify: unsupported {type(node).__name__}: {node}")

    def _compile_piecewise(self, node: sp.Piecewise) -> int:
        pieces = []
        for e, c in node.args:
            pieces.append((self._compile(e), self._compile_cond(c)))
        flat = [i for pair in pieces for i in pair]

        def run(*vals):
            out = None
            for j in range(0, len(vals), 2):
                v, c = vals[j], vals[j + 1]
                if c is False:
                    continue
                out = v if out is None else _hull(out, v)
                if c is True:
                    return out
            return _nan()

        return self._op(run, flat)

    def _compile_cond(self, c: sp.Basic) -> int:
        if c is sp.true:
            slot = self._new()
            self.consts.append((slot, lambda: True))
            return slot
        if c is sp.false:
            slot = self._new()
            self.consts.append((slot, lambda: False))
            return slot
        if isinstance(c, (sp.And, sp.Or)):
            args = [self._compile_cond(a) for a in c.args]
            fn = _and3 if isinstance(c, sp.And) else _or3
            return self._op(lambda *vs, fn=fn: fn(vs), args)
        if isinstance(c, sp.Not):
            a = self._compile_cond(c.args[0])
            return self._op(lambda v: None if v is None else (not v), (a,))
        if isinstance(c, (sp.Lt, sp.Le, sp.Gt, sp.Ge)):
            lhs, rhs = self._compile(c.lhs), self._compile(c.rhs)
            op = type(c)
            return self._op(lambda a, b, op=op: _compare(op, a, b), (lhs, rhs))
        raise NotImplementedError(f"arb_lambdify: unsupported condition {c}")

    def constants(self) -> list:
        """The constants' balls at the current precision (cached per precision)."""
        prec = ctx.prec
        cached = self._const_cache.get(prec)
        if cached is None:
            cached = [mk() for _, mk in self.consts]
            self._const_cache[prec] = cached
        return cached

    def _straight_line(self) -> Callable:
        """The program as one straight-line Python function. Its text is generated here
        from slot numbers only (``v3 = v1 + v2``, ``v4 = F[0](v3)``): nothing of the
        expression's own text, let alone of user input, enters it."""
        lines = ["def run(args, K, F):"]
        if self.nargs:
            lines.append("    " + ", ".join(f"v{i}" for i in range(self.nargs))
                         + (", = args" if self.nargs == 1 else " = args"))
        for j, (slot, _) in enumerate(self.consts):
            lines.append(f"    v{slot} = K[{j}]")
        funcs: list[Callable] = []
        for slot, fn, idx, _k in self.ops:
            if fn is _add2 or fn is _sum:
                lines.append(f"    v{slot} = " + " + ".join(f"v{i}" for i in idx))
            elif fn is _mul2 or fn is _prod:
                lines.append(f"    v{slot} = " + " * ".join(f"v{i}" for i in idx))
            else:
                funcs.append(fn)
                args = ", ".join(f"v{i}" for i in idx)
                lines.append(f"    v{slot} = F[{len(funcs) - 1}]({args})")
        lines.append(f"    return v{self.out}")
        namespace: dict = {}
        exec(compile("\n".join(lines), "<arb_program>", "exec"), namespace)  # noqa: S102
        run = namespace["run"]
        funcs_t = tuple(funcs)
        return lambda args, consts: run(args, consts, funcs_t)

    def __call__(self, *args) -> arb:
        if len(args) != self.nargs:
            raise TypeError(f"expected {self.nargs} arguments, got {len(args)}")
        args = tuple(a if isinstance(a, arb) else arb_from_fraction(a) for a in args)
        if self._run is None:
            self._run = self._straight_line()
        out = self._run(args, self.constants())
        if isinstance(out, bool):
            raise TypeError("expression is a condition, not a number")
        return out


def _add2(a: arb, b: arb) -> arb:
    return a + b


def _mul2(a: arb, b: arb) -> arb:
    return a * b


def _sum(*vals: arb) -> arb:
    acc = vals[0]
    for v in vals[1:]:
        acc = acc + v
    return acc


def _prod(*vals: arb) -> arb:
    acc = vals[0]
    for v in vals[1:]:
        acc = acc * v
    return acc


def _div(a: arb, b: arb) -> arb:
    if b.contains(0):
        return _nan()
    return a / b


def _fold(fn, vals):
    acc = vals[0]
    for v in vals[1:]:
        acc = fn(acc, v)
    return acc


def _compare(op, a: arb, b: arb):
    d = b - a  # rhs - lhs
    if op is sp.Le:
        return True if d >= 0 else (False if d < 0 else None)
    if op is sp.Lt:
        return True if d > 0 else (False if d <= 0 else None)
    if op is sp.Ge:
        return True if d <= 0 else (False if d > 0 else None)
    return True if d < 0 else (False if d >= 0 else None)  # Gt


def _and3(vs):
    if any(v is False for v in vs):
        return False
    return True if all(v is True for v in vs) else None


def _or3(vs):
    if any(v is True for v in vs):
        return True
    return False if all(v is False for v in vs) else None


def arb_lambdify(expr: sp.Expr, symbols: Sequence[sp.Symbol], clamp=False
                 ) -> Callable[..., arb]:
    """Compile ``expr`` to a rigorous Arb enclosure, a function of ``symbols`` (see the
    module docstring for what is supported and for ``clamp``).

    >>> import sympy as sp
    >>> from flint import arb, ctx
    >>> x = sp.Symbol('x')
    >>> f = arb_lambdify(x**2 - 1, [x])
    >>> f(arb_interval(-1, 1)).contains(arb(-1)) and f(arb_interval(-1, 1)).contains(0)
    True
    """
    prog = _Program(expr, symbols, clamp)

    def fn(*args) -> arb:
        return prog(*args)

    fn.program = prog  # type: ignore[attr-defined]
    fn.__doc__ = f"Arb enclosure of {expr} as a function of {tuple(symbols)}"
    return fn


# --------------------------------------------------------------------------- symbolic help


def arb_diff(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """``d expr / d var`` in a form suited to enclosures: ``d(b**e) = e*b**(e-1)*db`` when
    ``e`` does not depend on ``var`` (SymPy writes ``e*b**e/b``, which is 0/0 where b = 0),
    and ``d(b**e) = b**e*(de*log b + e*db/b)`` otherwise. Raises NotImplementedError for
    expressions whose derivative is not an ordinary function (Dirac deltas, unevaluated
    derivatives)."""
    d = _diff(sp.sympify(expr), var)
    if d.has(sp.Derivative) or d.has(sp.DiracDelta) or d.has(sp.Subs):
        raise NotImplementedError(f"no usable derivative of {expr} in {var}")
    return d


def _diff(e: sp.Basic, v: sp.Symbol) -> sp.Expr:
    if not e.has(v):
        return sp.Integer(0)
    if e == v:
        return sp.Integer(1)
    if isinstance(e, sp.Add):
        return sp.Add(*[_diff(a, v) for a in e.args])
    if isinstance(e, sp.Mul):
        terms = []
        args = list(e.args)
        for i, a in enumerate(args):
            da = _diff(a, v)
            if da != 0:
                terms.append(sp.Mul(*(args[:i] + [da] + args[i + 1:])))
        return sp.Add(*terms)
    if isinstance(e, sp.Pow):
        b, x = e.args
        db = _diff(b, v)
        if not x.has(v):
            return x * b ** (x - 1) * db
        dx = _diff(x, v)
        return e * (dx * sp.log(b) + x * db / b)
    if isinstance(e, sp.Piecewise):
        if any(c.has(v) for _, c in e.args):
            raise NotImplementedError("derivative of a Piecewise with conditions in the variable")
        return sp.Piecewise(*[(_diff(a, v), c) for a, c in e.args])
    if isinstance(e, sp.Function) and len(e.args) == 1:
        inner = _diff(e.args[0], v)
        if isinstance(e, gk):
            raise NotImplementedError("g_k has no derivative in k")
        return e.fdiff(1) * inner
    return sp.diff(e, v)


def domain_conditions(
    expr: sp.Expr,
    exponent_positive: Callable[[sp.Expr], bool] | None = None,
    integer_powers: bool = False,
) -> list[tuple[sp.Expr, bool]]:
    """Where ``expr`` is defined as a real number: ``(arg, strict)`` pairs, meaning
    ``arg > 0`` (strict) or ``arg >= 0``, one per sqrt / log / loggamma / non-integer
    power in ``expr`` (duplicates removed). A power ``b**y`` needs ``b >= 0`` when the
    exponent is positive (a constant certified positive, or ``exponent_positive(y)`` is
    true: the caller knows y > 0 on its domain), else ``b > 0``. Powers whose exponent is
    integer-valued (``(1-x)**n`` for an integer symbol n) are defined for every base and
    are skipped, unless ``integer_powers`` (then their condition is the one under which the
    real extension used for intervals of n is defined). Conditions on constants are
    dropped only when an Arb enclosure (or exact arithmetic) certifies them
    (:func:`rmc_symbolic.certified_sign.constant_sign`), never on SymPy's word."""
    from .certified_sign import constant_sign, variables_of

    def certified_positive(a: sp.Expr) -> bool:
        return not variables_of(a) and constant_sign(a) == 1

    out: dict[sp.Expr, bool] = {}
    for node in sp.preorder_traversal(sp.sympify(expr)):
        if isinstance(node, sp.Pow):
            b, e = node.args
            if e.is_Integer or certified_positive(b):
                continue
            # structural (the exponent is built from integer symbols), not a numeric verdict
            if e.is_integer and not integer_powers:
                continue
            pos = certified_positive(e) or bool(
                exponent_positive is not None and exponent_positive(e))
            strict = not pos
            out[b] = out.get(b, False) or strict
        elif isinstance(node, (sp.log, sp.loggamma)):
            a = node.args[0]
            if not certified_positive(a):
                out[a] = True
        elif isinstance(node, sp_log1p):
            a = node.args[0] + 1
            if not certified_positive(a):
                out[a] = True
    return list(out.items())
