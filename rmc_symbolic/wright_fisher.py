"""The Bernoulli recursion as the Wright–Fisher chain (RESULTS.md §2): exact, certified and
float absorption probabilities.

``n P_{k+1} | P_k ~ Binomial(n, P_k)``, ``P_0 = i0/n``: the chain ``X_k = n P_k`` on
``{0, ..., n}`` with ``T[i][j] = C(n,j) i^j (n−i)^(n−j) / n^n``; 0 and n absorb. For the
starting state ``i0`` and generations ``ks`` this module gives

* ``p_zero``  = Pr(X_k = 0),  ``p_full`` = Pr(X_k = n),
* ``p_alive`` = Pr(X_k ∉ {0, n}) — always computed *directly* as the mass on the
  transient states (never as ``1 − p_zero − p_full``: at n = 10, i0 = 1, k = 1000 it is
  8.4018e-47, which a float64 difference cannot see),
* ``het``     = E[P_k (1 − P_k)] (result ``wf_heterozygosity``),

in three modes:

exact      exact rationals. ``Pr · n^(n k)`` is an integer (the integer-scaled matrix
           ``A = n^n T`` has entries ``C(n,j) i^j (n−i)^(n−j)``). Two routes:
           *spectral* — the eigenvalues are ``λ_d = (n)_d / n^d`` (Feller; the
           ``eigenvalue`` part of ``wf_heterozygosity``), and in the falling-factorial basis
           ``(x)_d`` the chain acts triangularly, ``T (x)_d = λ_d Σ_m S(d,m) (x)_m``, so the
           right and left eigenvectors follow from exact fraction-free recurrences once per
           n (O(n³), cached); then ``Pr(X_k = 0) = Σ_d c_d λ_d^k`` costs O(n) big-integer
           products per k, for any (sparse) k-list (summed in fixed point with a proved
           error below 1/2 of a known integer, hence exact). *iterate* — integer vector
           times ``A`` (python-flint ``fmpz_mat``), O(n²) products per generation.
certified  python-flint Arb balls (``arb_mat`` iteration, or the spectral sum with exact
           coefficients), the working precision raised until every value has the promised
           number of certified significant digits (or the values that did not are named).
float      float64 (numpy) iteration, for quick looks, with notes where float64 is known to
           lose accuracy.

Limits (see :func:`exact_cost`, :func:`certified_cost`): exact mode refuses, pointing to
certified mode, when its estimated time exceeds ``max_seconds`` (default
:data:`EXACT_MAX_SECONDS`) or its answer would exceed :data:`EXACT_MAX_BYTES`; certified mode
refuses beyond :data:`CERTIFIED_MAX_SECONDS`; float mode needs ``n <= FLOAT_MAX_N``.
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from flint import arb, arb_mat, ctx, fmpq, fmpz, fmpz_mat

from . import parsing as _parsing  # noqa: F401  (lifts Python's int/str digit limit)
from .errors import InputError

__all__ = [
    "QUANTITIES", "EXACT_MAX_SECONDS", "EXACT_MAX_BYTES", "CERTIFIED_MAX_SECONDS",
    "FLOAT_MAX_N", "CERTIFIED_MAX_N", "MAX_K", "Spectrum", "Certified", "FloatResult",
    "transition_matrix_int", "spectrum", "eigenvalues",
    "absorption_exact", "absorption_exact_values", "ExactValues", "absorption_certified",
    "absorption_float", "certified_digits",
    "eventual_absorption", "exact_cost", "certified_cost", "check_inputs",
]

#: the quantities a run can return, in output order
QUANTITIES = ("p_zero", "p_full", "p_alive", "het")

#: exact mode refuses when its estimated run time exceeds this many seconds
EXACT_MAX_SECONDS = 600.0
#: exact mode refuses when its answer (all numerators and denominators) exceeds this size
EXACT_MAX_BYTES = 2 * 1024**3
#: certified mode refuses when its estimated run time exceeds this many seconds
CERTIFIED_MAX_SECONDS = 1200.0
#: certified mode: the largest n (the dense Arb matrix has (n+1)^2 entries, ~100 B each)
CERTIFIED_MAX_N = 2000
#: float mode: the largest n (the dense float64 matrix has (n+1)^2 entries)
FLOAT_MAX_N = 5000
#: the largest generation index accepted by any mode
MAX_K = 10**9

_LOG2_10 = math.log2(10)


# --------------------------------------------------------------------------- inputs


def check_inputs(n: int, i0: int, ks: Sequence[int]) -> list[int]:
    """Validate ``n >= 1``, ``0 <= i0 <= n`` and a non-empty list of integers
    ``0 <= k <= MAX_K``; return the sorted distinct ks. Raises :class:`InputError`."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise InputError(f"n = {n!r} is not an integer")
    if n < 1:
        raise InputError(f"n = {n} is outside the allowed range [1, inf)")
    if isinstance(i0, bool) or not isinstance(i0, int):
        raise InputError(f"i0 = {i0!r} is not an integer")
    if not 0 <= i0 <= n:
        raise InputError(f"i0 = {i0} is outside the allowed range [0, {n}] (n = {n})")
    ks = list(ks)
    if not ks:
        raise InputError("k: empty k-list")
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, int):
            raise InputError(f"k = {k!r} is not an integer")
        if not 0 <= k <= MAX_K:
            raise InputError(f"k = {k} is outside the allowed range [0, {MAX_K}]")
    return sorted(set(ks))


def _structurally_zero(name: str, n: int, i0: int, k: int) -> bool:
    """True when the quantity is exactly 0 for a reason that needs no computation:
    for k >= 1, Pr(X_k = 0) > 0 iff i0 < n; Pr(X_k = n) > 0 iff i0 > 0; the transient
    mass and E[P(1-P)] are > 0 iff 0 < i0 < n (and n >= 2)."""
    if k == 0:
        if name == "p_zero":
            return i0 != 0
        if name == "p_full":
            return i0 != n
        return i0 in (0, n)
    if name == "p_zero":
        return i0 == n
    if name == "p_full":
        return i0 == 0
    return i0 in (0, n)


# --------------------------------------------------------------------------- the matrix


def transition_matrix_int(n: int) -> fmpz_mat:
    """The integer-scaled Wright–Fisher matrix ``A = n^n T``,
    ``A[i][j] = C(n,j) i^j (n−i)^(n−j)`` (rows sum to ``n^n``; RESULTS.md §2)."""
    binom = [math.comb(n, j) for j in range(n + 1)]
    entries = []
    for i in range(n + 1):
        a, b = i, n - i
        pa = [1] * (n + 1)
        for j in range(1, n + 1):
            pa[j] = pa[j - 1] * a
        pb = [1] * (n + 1)
        for j in range(1, n + 1):
            pb[j] = pb[j - 1] * b
        entries.extend(binom[j] * pa[j] * pb[n - j] for j in range(n + 1))
    return fmpz_mat(n + 1, n + 1, entries)


# --------------------------------------------------------------------------- the spectrum


@dataclass(frozen=True)
class Spectrum:
    """The exact eigen-decomposition of the Wright–Fisher operator for one n.

    ``falling[d] = (n)_d``, so ``λ_d = falling[d] / n^d`` (d = 0..n; λ_0 = λ_1 = 1).
    ``cols[d] = (X, den)``: the eigenfunction ``ψ_d = Σ_{m<=d} (X[m]/den) (x)_m`` in the
    falling-factorial basis, ``X[d] = den`` (so ``ψ_d`` is monic); ``ψ_d(0) = 0`` for d >= 1,
    ``ψ_d(n) = 0`` for d >= 2 and ``ψ_d(n − x) = (−1)^d ψ_d(x)``.
    ``b_zero``: the coordinates of the indicator of state 0, ``δ_0 = Σ_d b_d ψ_d``.
    """

    n: int
    falling: tuple[int, ...]
    cols: tuple[tuple[tuple[fmpz, ...], fmpz], ...]
    b_zero: tuple[fmpq, ...]

    def eigenvalue(self, d: int) -> Fraction:
        """``λ_d = Π_{i<d} (1 − i/n)`` as an exact rational."""
        return Fraction(self.falling[d], self.n**d)

    def V(self, d: int, m: int) -> fmpq:
        """The coefficient of ``(x)_m`` in ``ψ_d``."""
        X, den = self.cols[d]
        return fmpq(X[m], den) if m <= d else fmpq(0)

    def psi(self, d: int, i: int) -> fmpq:
        """The eigenfunction ``ψ_d`` at the state ``i``."""
        X, den = self.cols[d]
        acc = fmpz(0)
        ff = fmpz(1)  # (i)_m
        for m in range(min(d, i) + 1):
            if m:
                ff *= i - m + 1
            acc += X[m] * ff
        return fmpq(acc, den)

    def coordinates(self, f_values: Sequence[Fraction | int]) -> list[fmpq]:
        """Coordinates ``b`` of a function on {0..n} (given by its values) in the
        eigenbasis, ``f = Σ_d b_d ψ_d`` (back-substitution; fast for low-degree f)."""
        return _coordinates(self, [fmpq(Fraction(v).numerator, Fraction(v).denominator)
                                   for v in f_values])

    def coefficients(self, b: Sequence[fmpq], i0: int) -> list[fmpq]:
        """``c_d = b_d ψ_d(i0)``: then ``(T^k f)(i0) = Σ_d c_d λ_d^k``."""
        return [b[d] * self.psi(d, i0) if b[d] != 0 else fmpq(0) for d in range(self.n + 1)]


def _stirling2(n: int) -> list[list[fmpz]]:
    S = [[fmpz(0)] * (n + 1) for _ in range(n + 1)]
    S[0][0] = fmpz(1)
    for m in range(1, n + 1):
        prev, cur = S[m - 1], S[m]
        for l in range(1, m + 1):
            cur[l] = l * prev[l] + prev[l - 1]
    return S


_SPECTRA: dict[int, Spectrum] = {}
_SPECTRA_MAX = 16


def spectrum(n: int) -> Spectrum:
    """The exact eigen-decomposition of the chain for ``n`` (cached; two fraction-free
    triangular recurrences of O(n³) integer operations: ~0.1 s at n = 50, ~3 s at n = 100).

    In the falling-factorial basis ``T (x)_m = λ_m Σ_{l<=m} S(m,l) (x)_l`` (S: Stirling
    numbers of the second kind; binomial factorial moments), an upper-triangular operator
    with diagonal λ_m (``eigenvalue`` part of ``wf_heterozygosity``). Right eigenvectors:
    ``V[d][l] (λ_d − λ_l) = Σ_{m=l+1}^{d} V[d][m] λ_m S(m,l)``, l = d−1, ..., 1 (V[d][0] = 0).
    Left eigenvectors (rows of V^{-1}): ``w_d[m] (λ_d − λ_m) = λ_m Σ_{l=d}^{m−1} w_d[l] S(m,l)``,
    m = d+1, ..., n; then ``b_d = w_d · a`` with ``a_m = (−1)^m / m!`` the Newton
    coefficients of δ_0; ``b_0 = 1``, ``b_1 = −1/n`` (from δ_0 at 0 and n).
    """
    if n < 1:
        raise InputError(f"n = {n} is outside the allowed range [1, inf)")
    hit = _SPECTRA.get(n)
    if hit is not None:
        return hit
    S = _stirling2(n)
    falling = [1]
    for d in range(1, n + 1):
        falling.append(falling[-1] * (n - d + 1))
    N = [fmpz(f) for f in falling]
    npow = [fmpz(1)]
    for _ in range(n):
        npow.append(npow[-1] * n)
    # Right eigenvectors, fraction-free. With λ_m = N_m / n^m, multiply by n^d:
    # V[d][l] E_{d,l} = Σ_{m>l} V[d][m] n^(d−m) N_m S(m,l),  E_{d,l} = N_d − N_l n^(d−l);
    # X_l = V[d][l] Π_{0<l'<d} E_{d,l'} are integers and every division below is exact.
    K = [[N[m] * S[m][l] for l in range(m + 1)] for m in range(n + 1)]
    one, zero = fmpz(1), fmpz(0)
    cols: list[tuple[tuple[fmpz, ...], fmpz]] = [((one,), one), ((zero, one), one)][: n + 1]
    for d in range(2, n + 1):
        E = [zero] + [N[d] - N[l] * npow[d - l] for l in range(1, d)]
        Den = fmpz(1)
        for l in range(1, d):
            Den *= E[l]
        X = [zero] * (d + 1)
        X[d] = Den
        Z = [zero] * (d + 1)  # Z_m = X_m n^(d−m)
        Z[d] = Den
        for l in range(d - 1, 0, -1):
            acc = fmpz(0)
            for m in range(l + 1, d + 1):
                acc += Z[m] * K[m][l]
            q, r = divmod(acc, E[l])
            if r != 0:  # pragma: no cover - an internal invariant
                raise ArithmeticError(f"eigenvector recurrence not exact (n={n}, d={d})")
            X[l] = q
            Z[l] = q * npow[d - l]
        g = Den
        for x in X:
            if g == 1:
                break
            g = g.gcd(x)
        if g < 0:
            g = -g
        cols.append((tuple(x // g for x in X), Den // g))
    # Left eigenvectors, fraction-free: multiply by n^m:
    # w_d[m] E'_{d,m} = N_m Σ_{l=d}^{m−1} w_d[l] S(m,l),  E'_{d,m} = N_d n^(m−d) − N_m;
    # W_m = w_d[m] Π_{d<m'<=n} E'_{d,m'} are integers, divisions exact.
    fact_n = math.factorial(n)
    signed = [fmpz((-1) ** m * (fact_n // math.factorial(m))) for m in range(n + 1)]
    b = [fmpq(1), fmpq(-1, n)] + [fmpq(0)] * (n - 1)
    if n == 1:
        b = [fmpq(1), fmpq(-1)]
    for d in range(2, n + 1):
        Ep = [zero] * (n + 1)
        DenW = fmpz(1)
        for m in range(d + 1, n + 1):
            Ep[m] = N[d] * npow[m - d] - N[m]
            DenW *= Ep[m]
        W = [zero] * (n + 1)
        W[d] = DenW
        for m in range(d + 1, n + 1):
            acc = fmpz(0)
            Sm = S[m]
            for l in range(d, m):
                acc += W[l] * Sm[l]
            q, r = divmod(N[m] * acc, Ep[m])
            if r != 0:  # pragma: no cover - an internal invariant
                raise ArithmeticError(f"left eigenvector recurrence not exact (n={n}, d={d})")
            W[m] = q
        tot = fmpz(0)
        for m in range(d, n + 1):
            tot += W[m] * signed[m]
        b[d] = fmpq(tot, DenW * fact_n)
    out = Spectrum(n, tuple(falling), tuple(cols), tuple(b))
    if len(_SPECTRA) >= _SPECTRA_MAX:
        _SPECTRA.pop(next(iter(_SPECTRA)))
    _SPECTRA[n] = out
    return out


def _coordinates(spec: Spectrum, f: Sequence[fmpq]) -> list[fmpq]:
    """Coordinates of f in the eigenbasis: Newton coefficients a_d = Δ^d f(0)/d! in the
    falling-factorial basis, then back-substitution through the unit triangular V
    (O(n²) rational operations, fewer when f is a polynomial of low degree)."""
    n = spec.n
    diffs = list(f)
    a = []
    fact = fmpz(1)
    for d in range(n + 1):
        if d:
            fact *= d
            diffs = [diffs[i + 1] - diffs[i] for i in range(len(diffs) - 1)]
        a.append(diffs[0] / fact)
    b = [fmpq(0)] * (n + 1)
    for d in range(n, -1, -1):
        s = a[d]
        for m in range(d + 1, n + 1):
            if b[m] != 0:
                v = spec.V(m, d)
                if v != 0:
                    s -= v * b[m]
        b[d] = s
    return b


def eigenvalues(n: int) -> list[Fraction]:
    """``λ_j = Π_{i<j} (1 − i/n)``, j = 0..n, the eigenvalues of T (Feller 1951; part
    ``eigenvalue`` of ``wf_heterozygosity``), as exact rationals."""
    out, lam = [], Fraction(1)
    for j in range(n + 1):
        out.append(lam)
        lam *= Fraction(n - j, n)
    return out


def _het_values(n: int) -> list[Fraction]:
    return [Fraction(i * (n - i), n * n) for i in range(n + 1)]


def _functional_coefficients(spec: Spectrum, i0: int, het: bool) -> dict[str, list[fmpq]]:
    """The spectral coefficients ``c_d`` of each quantity at ``i0``:
    ``quantity(k) = Σ_d c_d λ_d^k``. Pr(X_k = n) uses the symmetry i -> n - i; the transient
    mass has coefficients only on d >= 2 (it is the transient part of the expansion)."""
    n = spec.n
    b = spec.b_zero
    psi_i = [spec.psi(d, i0) if b[d] != 0 else fmpq(0) for d in range(n + 1)]
    psi_r = [spec.psi(d, n - i0) if b[d] != 0 else fmpq(0) for d in range(n + 1)]
    c0 = [b[d] * psi_i[d] for d in range(n + 1)]
    cn = [b[d] * psi_r[d] for d in range(n + 1)]
    ca = [fmpq(0), fmpq(0)] + [-(c0[d] + cn[d]) for d in range(2, n + 1)]
    out = {"p_zero": c0, "p_full": cn, "p_alive": ca[: n + 1]}
    if het:
        bh = spec.coordinates(_het_values(n))
        out["het"] = spec.coefficients(bh, i0)
    return out


# --------------------------------------------------------------------------- exact mode


def _factor_small(n: int) -> list[tuple[int, int]]:
    """The prime factorisation of n as ``[(p, v_p(n)), ...]``."""
    out, m, p = [], n, 2
    while p * p <= m:
        if m % p == 0:
            e = 0
            while m % p == 0:
                m //= p
                e += 1
            out.append((p, e))
        p += 1
    if m > 1:
        out.append((m, 1))
    return out


def _vp_int(m: int, p: int) -> int:
    v = 0
    while m and m % p == 0:
        m //= p
        v += 1
    return v


def _remove(z: fmpz, p: int, cap: int) -> tuple[fmpz, int]:
    """``(z / p^v, v)`` with ``v = min(v_p(z), cap)``, for ``z != 0``."""
    if cap <= 0:
        return z, 0
    if p == 2:
        v = min(cap, int((z & -z).bit_length()) - 1)
        return (z >> v if v else z), v
    v = 0
    while v < cap and v < 8:
        q, r = divmod(z, p)
        if r != 0:
            return z, v
        z, v = q, v + 1
    if v == cap:
        return z, v
    # many factors p: the largest p^(2^j) dividing z by squaring, then the digits below
    powers = [(1, fmpz(p))]
    while 2 * powers[-1][0] <= cap - v:
        e, pw = powers[-1]
        pw2 = pw * pw
        if z % pw2 != 0:
            break
        powers.append((2 * e, pw2))
    for e, pw in reversed(powers):
        if v + e <= cap:
            q, r = divmod(z, pw)
            if r == 0:
                z, v = q, v + e
    return z, v


def _make_fraction(num: int, den: int) -> Fraction:
    """A Fraction from coprime ``num, den > 0`` without Python's (quadratic) gcd."""
    maker = getattr(Fraction, "_from_coprime_ints", None)
    if maker is not None:  # Python >= 3.12
        return maker(num, den)
    try:
        return Fraction(num, den, _normalize=False)  # Python <= 3.11
    except TypeError:  # pragma: no cover - future Pythons
        return Fraction(num, den)


@dataclass
class ExactValues:
    """Exact values, not yet in lowest terms: value = ``num / Π_p p^(e_p)`` over the primes
    p of n (every denominator of the chain is a product of primes of n).

    ``data[name][idx] = (num, exps)`` for ``ks[idx]`` (sorted, distinct); :meth:`parts` gives
    the lowest-terms numerator and denominator (python-flint ``fmpz``), :meth:`fraction` a
    :class:`fractions.Fraction`."""

    n: int
    ks: list[int]
    route: str
    primes: tuple[int, ...]
    data: dict[str, list[tuple[fmpz, tuple[int, ...]]]]

    def raw(self, name: str, idx: int) -> tuple[fmpz, fmpz]:
        """Numerator and denominator, not reduced (for comparisons)."""
        num, exps = self.data[name][idx]
        den = fmpz(1)
        for p, e in zip(self.primes, exps, strict=True):
            if e:
                den *= fmpz(p) ** e
        return num, den

    def parts(self, name: str, idx: int) -> tuple[fmpz, fmpz]:
        """Lowest-terms numerator and denominator."""
        num, exps = self.data[name][idx]
        if num == 0:
            return fmpz(0), fmpz(1)
        den = fmpz(1)
        for p, e in zip(self.primes, exps, strict=True):
            num, v = _remove(num, p, e)
            if e - v:
                den *= fmpz(p) ** (e - v)
        return num, den

    def fraction(self, name: str, idx: int) -> Fraction:
        num, den = self.parts(name, idx)
        return _make_fraction(int(num), int(den))


def _round_div(a: fmpz, b: fmpz) -> fmpz:
    """The integer nearest to a/b (b > 0; ties up)."""
    return (2 * a + b) // (2 * b)


def _spectral_exact(n: int, i0: int, ks: list[int], het: bool) -> ExactValues:
    """Exact values from ``Σ_d c_d λ_d^k``, ``λ_d = G_d / n^n``, ``G_d = (n)_d n^(n−d)``.

    Let ``g = Π_p p^(min_d v_p(G_d))`` (p | n), ``G̃_d = G_d / g``, ``h = n^n / g``. Then
    ``quantity · h^k = R_k = Σ_d c_d G̃_d^k`` and ``Pr · n^(n k)`` is an integer, so the
    denominator of R_k has only primes of n, and ``X_k = D_n R_k`` is an integer, where
    ``D_n`` is the n-part of the common denominator of the c_d. X_k is computed in
    fixed point: ``C_d = round(D_n c_d 2^F)``, ``S = Σ_d C_d G̃_d^k``, with F so large that
    the rounding error ``Σ_d G̃_d^k / 2 <= (n+1) h^k / 2`` is below ``2^(F−1)``; then
    ``X_k = round(S / 2^F)`` exactly. F is fixed per block of ks (doubling blocks). The
    λ = 1 terms (d = 0, 1) are exact rationals and are added exactly.
    """
    spec = spectrum(n)
    coeffs = _functional_coefficients(spec, i0, het)
    fac = _factor_small(n)
    primes = tuple(p for p, _ in fac)
    G = [fmpz(spec.falling[d]) * fmpz(n) ** (n - d) for d in range(n + 1)]
    a = []  # a[d][t] = v_p(G_d) for the t-th prime p of n
    vf = [0] * len(fac)
    for d in range(n + 1):
        if d:
            vf = [vf[t] + _vp_int(n - d + 1, p) for t, (p, _) in enumerate(fac)]
        a.append([vf[t] + (n - d) * e for t, (_, e) in enumerate(fac)])

    def run(groups: list[tuple[str, list[fmpq]]], symmetric: bool
            ) -> dict[str, list[tuple[fmpz, tuple[int, ...]]]]:
        """Fixed-point spectral sums of the groups' coefficient lists. With ``symmetric``
        the groups are (p_zero, p_full, p_alive) and only the p_zero sum is formed:
        its even-d and odd-d parts give Pr(X_k = n) (odd terms negated) and the transient
        mass (minus both d >= 2 sums)."""
        allc = [c for _, c in groups]
        ds = [d for d in range(2, n + 1) if any(c[d] != 0 for c in allc)]
        heads = [c[0] + c[1] for c in allc]
        used = ds + ([0] if any(hd != 0 for hd in heads) else [])
        if not used:
            return {name: [(fmpz(0), tuple(0 for _ in primes)) for _ in ks]
                    for name, _ in groups}
        s_exp = [min(a[d][t] for d in used) for t in range(len(fac))]
        g = fmpz(1)
        for (p, _), st in zip(fac, s_exp, strict=True):
            g *= fmpz(p) ** st
        Gt = {d: G[d] // g for d in used}
        h = G[0] // g
        h_exp = [n * e - st for (_, e), st in zip(fac, s_exp, strict=True)]
        D = fmpz(1)
        for c in allc:
            for d in ds:
                if c[d] != 0:
                    D = D.lcm(c[d].q)
        for hd in heads:
            D = D.lcm(hd.q)
        Dn, d_exp = fmpz(1), []
        rest = D
        for p, _ in fac:
            rest, v = _remove(rest, p, 10**9)
            d_exp.append(v)
            Dn *= fmpz(p) ** v
        head_int = [(Dn * hd.p) // hd.q for hd in heads]  # exact: hd.q divides Dn
        sums = allc[:1] if symmetric else allc
        results: list[list[fmpz]] = [[] for _ in groups]
        pos = 0
        while pos < len(ks):
            # a block of ks in [k_first, 2 k_first] sharing one fixed-point scale F
            k_first = ks[pos]
            end = pos
            while end < len(ks) and ks[end] <= max(2 * k_first, k_first + 8):
                end += 1
            k_last = ks[end - 1]
            F = int(((n + 1) * 4 * h ** k_last).bit_length()) + 2
            Y = [{d: _round_div((Dn * c[d].p) << F, c[d].q) * Gt[d] ** k_first
                  for d in ds if c[d] != 0} for c in sums]
            steps: dict[tuple[int, int], fmpz] = {}
            prev = k_first
            hk = h ** k_first
            half = fmpz(1) << (F - 1)
            for idx in range(pos, end):
                k = ks[idx]
                if k != prev:
                    dk = k - prev
                    for Yj in Y:
                        for d in Yj:
                            f = steps.get((d, dk))
                            if f is None:
                                f = Gt[d] ** dk
                                steps[(d, dk)] = f
                            Yj[d] = Yj[d] * f
                    hk = hk * h ** dk
                    prev = k
                if symmetric:
                    even, odd = fmpz(0), fmpz(0)
                    for d, y in Y[0].items():
                        if d & 1:
                            odd += y
                        else:
                            even += y
                    r_zero = (even + odd + half) >> F
                    r_full = (even - odd + half) >> F
                    xs = [head_int[0] * hk + r_zero, head_int[1] * hk + r_full,
                          -(r_zero + r_full)]
                else:
                    xs = []
                    for j, Yj in enumerate(Y):
                        tot = fmpz(0)
                        for y in Yj.values():
                            tot += y
                        xs.append(head_int[j] * hk + ((tot + half) >> F))
                for j, x in enumerate(xs):
                    results[j].append(x)
            pos = end
        out = {}
        for j, (name, _) in enumerate(groups):
            out[name] = [(x, tuple(de + k * he for de, he in zip(d_exp, h_exp, strict=True)))
                         for x, k in zip(results[j], ks, strict=True)]
        return out

    c0, cn, ca = coeffs["p_zero"], coeffs["p_full"], coeffs["p_alive"]
    groups = [("p_zero", c0), ("p_full", cn), ("p_alive", ca)]
    # ψ_d(n − x) = (−1)^d ψ_d(x) (the chain is symmetric under i -> n − i): then the
    # coefficients of Pr(X_k = n) are those of Pr(X_k = 0) with odd d negated
    symmetric = all(cn[d] == (c0[d] if d % 2 == 0 else -c0[d]) for d in range(2, n + 1))
    data = run(groups, symmetric)
    if het:
        data.update(run([("het", coeffs["het"])], False))
    return ExactValues(n, list(ks), "spectral", primes, data)


def _iterate_exact(n: int, i0: int, ks: list[int], het: bool) -> ExactValues:
    """Integer iteration ``v ← v A`` (python-flint ``fmpz_mat``); value = entry / n^(n k)."""
    A = transition_matrix_int(n)
    fac = _factor_small(n)
    v = fmpz_mat(1, n + 1, [1 if j == i0 else 0 for j in range(n + 1)])
    weights = [j * (n - j) for j in range(n + 1)]
    out: dict[str, list] = {name: [] for name in QUANTITIES if het or name != "het"}
    want = set(ks)
    k, kmax = 0, ks[-1]
    while True:
        if k in want:
            ex = tuple(n * k * e for _, e in fac)
            ent = v.entries()
            out["p_zero"].append((ent[0], ex))
            out["p_full"].append((ent[n], ex))
            out["p_alive"].append((sum(ent[1:n], fmpz(0)), ex))
            if het:
                ex2 = tuple((n * k + 2) * e for _, e in fac)
                out["het"].append((sum((ent[j] * weights[j] for j in range(1, n)), fmpz(0)),
                                   ex2))
        if k == kmax:
            break
        v = v * A
        k += 1
    return ExactValues(n, list(ks), "iterate", tuple(p for p, _ in fac), out)


# cost model (CPU seconds), calibrated on the project's 2-core machine (benchmarks/README.md)
_SETUP_C, _SETUP_EXP = 4e-3, 3.9     # spectrum(n): ~ _SETUP_C (n/20)^_SETUP_EXP
_SPECTRAL_PER_BIT = 4e-10            # per eigenvalue term, per bit of the k-th value
_ITERATE_PER_BIT = 1e-10             # per matrix entry, per bit of the k-th value
_REDUCE_PER_BIT = 6e-9               # lowest terms + Fractions (or decimal strings), per bit


def exact_cost(n: int, ks: Sequence[int], route: str = "auto", het: bool = False
               ) -> tuple[float, int, str]:
    """Estimated (seconds, bytes of the answer, route) of exact mode.

    The denominators grow like ``n^(n k)`` (in lowest terms ~ (n^n/n!)^k): the k-th value
    has about ``B_k = n k log2 n`` bits. Spectral: the set-up (once per n, cached; ~2 s at
    n = 100, ~10 s at n = 150) plus ~(n+1) products of ~B_k bits per k; iterate: (n+1)^2
    products per generation up to max(ks); both plus the reduction to lowest terms.
    """
    ks = sorted(set(ks))
    if n > 10**7 or ks[-1] > MAX_K:  # far beyond reach (and beyond a float's range)
        return math.inf, 2**62, "spectral" if route != "iterate" else "iterate"
    lg = math.log2(n) if n > 1 else 1.0
    bits = [n * k * lg + 64 for k in ks]
    nq = 4 if het else 3
    answer_bytes = int(2 * nq * sum(bits) / 8)
    reduce_s = nq * _REDUCE_PER_BIT * sum(bits)
    setup = 0.0 if _cached(n) else _SETUP_C * (n / 20) ** _SETUP_EXP
    spectral = setup + (n + 1) * _SPECTRAL_PER_BIT * sum(bits) + reduce_s
    kmax = ks[-1]
    iterate = (n + 1) ** 2 * _ITERATE_PER_BIT * (n * lg + 64) * kmax * (kmax + 1) / 2 \
        + reduce_s
    if route == "spectral":
        return spectral, answer_bytes, "spectral"
    if route == "iterate":
        return iterate, answer_bytes, "iterate"
    if spectral <= iterate:
        return spectral, answer_bytes, "spectral"
    return iterate, answer_bytes, "iterate"


def _cached(n: int) -> bool:
    return n in _SPECTRA


def _refuse_exact(n: int, ks: list[int], route: str, het: bool, max_seconds: float | None
                  ) -> str:
    from .limits import short_int

    limit = EXACT_MAX_SECONDS if max_seconds is None else max_seconds
    secs, nbytes, chosen = exact_cost(n, ks, route, het)
    if secs > limit or nbytes > EXACT_MAX_BYTES:
        why = []
        if secs > limit:
            from .limits import seconds_text

            about = seconds_text(secs)
            why.append(("" if about.startswith("more") else "~") + f"{about} (limit "
                       f"{limit:g} s)")
        if nbytes > EXACT_MAX_BYTES:
            why.append(f"~{nbytes / 1e9:.3g} GB of digits (limit "
                       f"{EXACT_MAX_BYTES / 1e9:.3g} GB)")
        raise InputError(
            f"exact mode for n = {short_int(n)}, k up to {short_int(ks[-1])} would need "
            f"{' and '.join(why)}: the "
            f"denominators grow like n^(n k); use certified mode instead (rmc exact bernoulli "
            f"--mode certified: Arb balls with certified digits)")
    return chosen


def absorption_exact_values(n: int, i0: int, ks: Sequence[int], *, het: bool = False,
                            route: str = "auto", max_seconds: float | None = None
                            ) -> ExactValues:
    """Like :func:`absorption_exact`, but returns :class:`ExactValues` for the sorted
    distinct ks (python-flint integers; the fast form for printing and comparisons)."""
    ks = check_inputs(n, i0, ks)
    if route not in ("auto", "spectral", "iterate"):
        raise InputError(f"route = {route!r} is not one of auto, spectral, iterate")
    chosen = _refuse_exact(n, ks, route, het, max_seconds)
    if chosen == "spectral":
        return _spectral_exact(n, i0, ks, het)
    return _iterate_exact(n, i0, ks, het)


def absorption_exact(n: int, i0: int, ks: Sequence[int], *, het: bool = False,
                     route: str = "auto", max_seconds: float | None = None
                     ) -> dict[str, list[Fraction]]:
    """Exact Pr(X_k = 0), Pr(X_k = n), Pr(X_k ∉ {0, n}) of the Wright–Fisher chain started at
    ``X_0 = i0`` (``P_0 = p0 = i0/n``), for each k in ``ks`` (in the order given).

    Returns ``{"p_zero": [...], "p_full": [...], "p_alive": [...]}`` (plus ``"het"`` =
    E[P_k(1 − P_k)] when ``het``), lists of :class:`fractions.Fraction` in lowest terms.
    Results ``theorem1``, ``theorem1_ext``, ``seddik`` bound these; ``wf_heterozygosity``
    gives het in closed form. Domain: integers n >= 1, 0 <= i0 <= n, 0 <= k.

    ``route``: ``spectral`` (exact eigen-decomposition, O(n) products per k), ``iterate``
    (integer matrix iteration) or ``auto`` (the cheaper by :func:`exact_cost`). Raises
    :class:`InputError` for bad input, and — pointing to certified mode — when the estimated
    time exceeds ``max_seconds`` (default :data:`EXACT_MAX_SECONDS`) or the answer would
    exceed :data:`EXACT_MAX_BYTES`.

    >>> absorption_exact(2, 1, [1, 2])["p_alive"]
    [Fraction(1, 2), Fraction(1, 4)]
    """
    order = list(ks)
    ev = absorption_exact_values(n, i0, order, het=het, route=route, max_seconds=max_seconds)
    pos = {k: i for i, k in enumerate(ev.ks)}
    out: dict[str, list[Fraction]] = {}
    for name in ev.data:
        fr = [ev.fraction(name, i) for i in range(len(ev.ks))]
        out[name] = [fr[pos[k]] for k in order]
    return out


def eventual_absorption(n: int, i0: int) -> tuple[Fraction, Fraction]:
    """Exact ``(Pr(absorbed at 0), Pr(absorbed at n))`` from ``X_0 = i0``, by the
    fundamental matrix: ``B = (I − Q)^{-1} R`` with Q, R the transient blocks of T
    (solved over Q with python-flint). Result ``absorption`` says these are
    ``(1 − p0, p0)``. Domain: integers n >= 1, 0 <= i0 <= n; cost O(n³) on integers of
    ~n log2 n bits (n <= 150 takes seconds)."""
    check_inputs(n, i0, [0])
    if n > 400:
        raise InputError(f"n = {n} is outside the allowed range [1, 400] for the exact "
                         "fundamental matrix")
    if i0 == 0:
        return Fraction(1), Fraction(0)
    if i0 == n:
        return Fraction(0), Fraction(1)
    return _eventual_all(n)[i0 - 1]


@functools.lru_cache(maxsize=16)
def _eventual_all(n: int) -> tuple[tuple[Fraction, Fraction], ...]:
    A = transition_matrix_int(n)
    nn = fmpz(n) ** n
    m = n - 1
    M = fmpz_mat(m, m, [(nn if i == j else 0) - A[i + 1, j + 1]
                        for i in range(m) for j in range(m)])
    R = fmpz_mat(m, 2, [A[i + 1, c] for i in range(m) for c in (0, n)])
    X = M.solve(R)
    out = []
    for i in range(m):
        a, b = X[i, 0], X[i, 1]
        out.append((Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    return tuple(out)


# --------------------------------------------------------------------------- certified mode


@dataclass
class Certified:
    """Certified values: Arb balls per quantity (in the order of ``ks``).

    ``prec``: the working precision (bits) of the final run; ``route``: ``iterate`` or
    ``spectral``; ``digits``: the promised significant digits; ``uncertified``: the
    ``(quantity, k, certified digits)`` that did not reach ``digits`` (empty when the
    promise holds); ``runs``: the precisions tried."""

    ks: list[int]
    values: dict[str, list[arb]]
    digits: int
    prec: int
    route: str
    uncertified: list[tuple[str, int, int]] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    seconds: float = 0.0


def certified_digits(b: arb) -> int:
    """How many significant decimal digits of ``b`` are certified (exact: a large number;
    a ball containing 0 that is not exactly 0: 0)."""
    if b.rad() == 0 and b.is_finite():
        return 10**9
    if not b.is_finite() or b.contains(0):
        return 0
    bits = b.rel_accuracy_bits()
    return max(0, int(math.floor((bits - 1) / _LOG2_10)))


class _Prec:
    def __init__(self, prec: int, threads: int | None = None):
        self.prec, self.threads = prec, threads

    def __enter__(self):
        self.old = (ctx.prec, ctx.threads)
        ctx.prec = self.prec
        if self.threads:
            ctx.threads = self.threads
        return self

    def __exit__(self, *exc):
        ctx.prec, ctx.threads = self.old


_FAST_PREC = 128


def _threads(n: int, prec: int) -> int:
    """FLINT threads for an (n+1)-square Arb product: only large products beyond the
    128-bit fast path gain (measured on 2 cores)."""
    return 1 if n < 300 or prec <= _FAST_PREC else max(1, min(2, os.cpu_count() or 1))


def _arb_pow(x: arb, e: int) -> arb:
    """x**e for x > 0 (or exact) by squaring (python-flint's ``**`` can give nan on balls
    that touch 0)."""
    r = arb(1)
    while e:
        if e & 1:
            r *= x
        e >>= 1
        if e:
            x = x * x
    return r


def _arb_transition(n: int) -> arb_mat:
    """T as an Arb matrix at ``ctx.prec``: each row from ``(1 − i/n)^n`` by the ratio
    ``T[i][j+1] / T[i][j] = (n−j) i / ((j+1)(n−i))`` (relative error O(n) ulp)."""
    rows = []
    for i in range(n + 1):
        row = [arb(0)] * (n + 1)
        if i == 0:
            row[0] = arb(1)
        elif i == n:
            row[n] = arb(1)
        else:
            t = _arb_pow(arb(fmpq(n - i, n)), n)
            row[0] = t
            for j in range(n):
                t = t * fmpq((n - j) * i, (j + 1) * (n - i))
                row[j + 1] = t
        rows.append(row)
    return arb_mat(rows)


def _certified_iterate(n: int, i0: int, ks: list[int], het: bool) -> dict[str, list[arb]]:
    T = _arb_transition(n)
    v = arb_mat(1, n + 1, [1 if j == i0 else 0 for j in range(n + 1)])
    w = [fmpq(j * (n - j), n * n) for j in range(n + 1)]
    out: dict[str, list[arb]] = {q: [] for q in QUANTITIES if het or q != "het"}
    want = set(ks)
    k, kmax = 0, ks[-1]
    while True:
        if k in want:
            ent = v.entries()
            out["p_zero"].append(ent[0])
            out["p_full"].append(ent[n])
            acc = arb(0)
            for j in range(1, n):
                acc += ent[j]
            out["p_alive"].append(acc)
            if het:
                acc = arb(0)
                for j in range(1, n):
                    acc += ent[j] * w[j]
                out["het"].append(acc)
        if k == kmax:
            break
        v = v * T
        k += 1
    return out


def _certified_spectral(n: int, i0: int, ks: list[int], het: bool) -> dict[str, list[arb]]:
    spec = spectrum(n)
    coeffs = _functional_coefficients(spec, i0, het)
    lam = [arb(fmpq(spec.falling[d], n**d)) for d in range(n + 1)]
    out: dict[str, list[arb]] = {}
    # λ_d^k for all k (shared by the quantities)
    pows: list[list[arb]] = []
    cur = [arb(1)] * (n + 1)
    prev = 0
    for k in ks:
        step = k - prev
        cur = [cur[d] * _arb_pow(lam[d], step) if d >= 2 else arb(1) for d in range(n + 1)]
        pows.append(cur)
        prev = k
    for name, c in coeffs.items():
        c01 = c[0] + c[1]
        terms = [(d, arb(c[d])) for d in range(2, n + 1) if c[d] != 0]
        head = arb(c01) if c01 != 0 else None
        vals = []
        for pk in pows:
            acc = head if head is not None else arb(0)
            for d, cd in terms:
                acc = acc + cd * pk[d]
            vals.append(acc)
        out[name] = vals
    return out


_IT_PER_ENTRY = 3.3e-8   # certified iteration: seconds per matrix entry per step, <= 128 bits
_IT_PER_STEP = 5e-5      # certified iteration: overhead per step
_SP_PER_TERM = 1.5e-6    # certified spectral: seconds per eigenvalue term per k


def certified_cost(n: int, ks: Sequence[int], route: str = "auto", het: bool = False,
                   digits: int = 15) -> tuple[float, str]:
    """Estimated (CPU seconds, route) of one certified run (before any precision raise):
    iterate ~ max(ks) vector-matrix products of size n+1 (``arb_mat``); spectral ~ the exact
    set-up plus O(n) Arb operations per k."""
    ks = sorted(set(ks))
    need = digits * _LOG2_10 + 2
    scale = 1.0 if need + 8 <= _FAST_PREC else 2.7 * (need + 40) / 192
    iterate = (ks[-1] + 1) * ((n + 1) ** 2 * _IT_PER_ENTRY * scale + _IT_PER_STEP) \
        + 1.5e-6 * (n + 1) ** 2
    setup = 0.0 if _cached(n) else _SETUP_C * (n / 20) ** _SETUP_EXP
    nq = 4 if het else 3
    steps = sum(math.log2(1 + b - a) + 1 for a, b in zip([0] + ks[:-1], ks, strict=True))
    spectral = setup + (n + 1) * _SP_PER_TERM * scale * (len(ks) * nq + steps)
    if route == "iterate" or (route == "auto" and (iterate <= spectral or n > 150)):
        return iterate, "iterate"
    return spectral, "spectral"


def absorption_certified(n: int, i0: int, ks: Sequence[int], digits: int = 15, *,
                         het: bool = False, route: str = "auto",
                         max_prec: int | None = None,
                         max_seconds: float | None = None) -> Certified:
    """Pr(X_k = 0), Pr(X_k = n), Pr(X_k ∉ {0, n}) (and E[P_k(1−P_k)] when ``het``) as Arb
    balls with at least ``digits`` certified significant digits each.

    Ball radii are absolute, so tiny values lose relative accuracy at a fixed precision:
    the working precision is raised until every value has ``digits`` certified significant
    digits, up to ``max_prec`` bits (default: enough for 40 times the digits asked plus
    4096 bits). Values that still fall short are listed in ``uncertified``. Domain: as
    :func:`absorption_exact`; routes ``iterate`` (``arb_mat`` vector iteration, all
    quantities direct sums of nonnegative terms) or ``spectral`` (exact coefficients,
    λ_d^k in Arb).
    """
    order = list(ks)
    ks = check_inputs(n, i0, order)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 10000:
        raise InputError(f"digits = {digits} is outside the allowed range [1, 10000]")
    if route not in ("auto", "spectral", "iterate"):
        raise InputError(f"route = {route!r} is not one of auto, spectral, iterate")
    if n > CERTIFIED_MAX_N and (route == "iterate" or n > 150):
        raise InputError(f"n = {n} is outside the allowed range [1, {CERTIFIED_MAX_N}] for "
                         "certified mode (the Arb matrix has (n+1)^2 entries); use --mode float")
    secs, chosen = certified_cost(n, ks, route, het, digits)
    limit = CERTIFIED_MAX_SECONDS if max_seconds is None else max_seconds
    if secs > limit:
        raise InputError(
            f"certified mode for n = {n}, k up to {ks[-1]} would need ~{secs:.3g} s "
            f"(limit {limit:g} s); use fewer generations, a smaller n, or --mode float")
    need_bits = int(math.ceil(digits * _LOG2_10)) + 2
    if max_prec is None:
        max_prec = 40 * need_bits + 4096
    prec = need_bits + 2 * (n + 1).bit_length() + (ks[-1] + 1).bit_length() + 16
    if need_bits + 8 <= _FAST_PREC < prec:
        # Arb multiplies up to 128-bit mantissas on a fast path (~2.7x faster than at 148
        # bits): try it first; a value that falls short triggers a rerun higher up
        prec = _FAST_PREC
    run = _certified_iterate if chosen == "iterate" else _certified_spectral
    t0 = time.perf_counter()
    runs = []
    while True:
        runs.append(prec)
        with _Prec(prec, _threads(n, prec)):
            vals = run(n, i0, ks, het)
        short: list[tuple[str, int, int]] = []
        deficit = 0
        for name, balls in vals.items():
            for idx, (k, b) in enumerate(zip(ks, balls, strict=True)):
                if _structurally_zero(name, n, i0, k):
                    balls[idx] = arb(0)
                    continue
                got = certified_digits(b)
                if got < digits:
                    short.append((name, k, got))
                    have = b.rel_accuracy_bits() if b.is_finite() and not b.contains(0) \
                        else -prec
                    deficit = max(deficit, need_bits - have)
        if not short or prec >= max_prec:
            break
        prec = min(max_prec, max(prec * 3 // 2, prec + deficit + 32))
    pos = {k: i for i, k in enumerate(ks)}
    values = {name: [balls[pos[k]] for k in order] for name, balls in vals.items()}
    return Certified(order, values, digits, prec, chosen, short, runs,
                     time.perf_counter() - t0)


# --------------------------------------------------------------------------- float mode


@dataclass
class FloatResult:
    """float64 values per quantity (order of ``ks``) and the accuracy notes."""

    ks: list[int]
    values: dict[str, list[float]]
    notes: list[str]


def _float_transition(n: int):
    import numpy as np

    j = np.arange(n + 1, dtype=float)
    logc = np.array([math.lgamma(n + 1) - math.lgamma(t + 1) - math.lgamma(n - t + 1)
                     for t in range(n + 1)])
    T = np.zeros((n + 1, n + 1))
    T[0, 0] = 1.0
    T[n, n] = 1.0
    for i in range(1, n):
        x = i / n
        T[i] = np.exp(logc + j * math.log(x) + (n - j) * math.log1p(-x))
    return T


def absorption_float(n: int, i0: int, ks: Sequence[int], *, het: bool = False) -> FloatResult:
    """float64 Pr(X_k = 0), Pr(X_k = n), Pr(X_k ∉ {0, n}) (and E[P_k(1−P_k)]) by numpy
    iteration; the transient mass is summed directly over the transient states. Notes
    say where float64 is known to lose accuracy: values below 1e-300 (underflow; a
    positive probability may print as 0), probabilities within 1e-8 of 1 (their
    complement is not available by subtraction), and the rounding accumulated over
    n·k operations. Domain: 1 <= n <= FLOAT_MAX_N."""
    import numpy as np

    order = list(ks)
    ks = check_inputs(n, i0, order)
    if n > FLOAT_MAX_N:
        raise InputError(f"n = {n} is outside the allowed range [1, {FLOAT_MAX_N}] for float "
                         "mode")
    if ks[-1] * (n + 1) ** 2 > 5e11:
        ops = ks[-1] * (n + 1) ** 2
        raise InputError(f"float mode for n = {n}, k up to {ks[-1]} needs ~{ops:.2g} "
                         "operations: use fewer generations")
    T = _float_transition(n)
    v = np.zeros(n + 1)
    v[i0] = 1.0
    w = np.array([t * (n - t) / (n * n) for t in range(n + 1)])
    vals: dict[str, list[float]] = {q: [] for q in QUANTITIES if het or q != "het"}
    want = set(ks)
    k = 0
    while True:
        if k in want:
            vals["p_zero"].append(float(v[0]))
            vals["p_full"].append(float(v[n]))
            vals["p_alive"].append(float(v[1:n].sum()) if n > 1 else 0.0)
            if het:
                vals["het"].append(float((v * w).sum()))
        if k == ks[-1]:
            break
        v = v @ T
        k += 1
    notes = []
    tiny, near_one = [], []
    for name, xs in vals.items():
        for kk, x in zip(ks, xs, strict=True):
            if _structurally_zero(name, n, i0, kk):
                continue
            if x < 1e-300:
                tiny.append(f"{name}(k={kk})")
            if x > 1 - 1e-8:
                near_one.append(f"{name}(k={kk})")
    if tiny:
        notes.append("float64 underflow: " + _some(tiny) + " are positive but below 1e-300 "
                     "(printed inaccurately or as 0); use --mode certified")
    if near_one:
        notes.append("within 1e-8 of 1: " + _some(near_one) + "; float64 cannot give their "
                     "complement by subtraction (p_alive is computed directly; use "
                     "--mode exact or certified for 1 - p)")
    err = 4 * (n + 1) * (ks[-1] + 1) * 2.0**-53 + 64 * n * 2.0**-53
    if err > 1e-10:
        notes.append(f"float64 rounding: relative error up to ~{err:.1e} after "
                     f"{ks[-1]} generations of n = {n}")
    pos = {k_: i for i, k_ in enumerate(ks)}
    values = {name: [xs[pos[k_]] for k_ in order] for name, xs in vals.items()}
    return FloatResult(order, values, notes)


def _some(items: list[str], limit: int = 4) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


