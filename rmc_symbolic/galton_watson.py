"""The Poisson recursion as a critical Galton–Watson chain (RESULTS.md §3): extinction
probabilities from the truncated chain, with a rigorous truncation bound.

``N_{k+1} | N_k ~ Poisson(N_k)``, ``N_0 = c`` (``c = n λ0``). Result ``theorem2`` says
``Pr(N_k = 0) = exp(−c g_k)`` exactly. This module computes ``Pr(N_k = 0)`` *without*
that formula, from the chain truncated to the states ``0..M``:

* ``Q[i][j] = e^{−i} i^j / j!`` for ``0 <= i, j <= M`` (a substochastic part of the true
  kernel P; row 0 is absorbing), iterated in Arb ball arithmetic from ``e_c``;
* ``L_k = (e_c Q^k)[0]`` is a lower bound of ``Pr(N_k = 0)``: it counts only the paths
  that stay in ``0..M``;
* ``δ_k = 1 − Σ_j (e_c Q^k)[j]`` (the mass that has left ``0..M``) bounds the rest: by
  induction ``e_c P^k − e_c Q^k >= 0`` entrywise and sums to ``δ_k``, so
  ``L_k <= Pr(N_k = 0) <= L_k + δ_k``.

M is doubled from a small start until ``δ_{max k}`` is below the tolerance or
``max_states`` is reached (then the bound is reported as it is). A critical process
spreads over ~k states by generation k, so the bound is tight for ``k`` up to a few hundred
with ``M`` of a few thousand; beyond, it is honest but loose.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from flint import arb, arb_mat, ctx

from .errors import InputError

__all__ = ["GWResult", "gw_extinction", "GW_MAX_STATES", "gw_cost"]

#: the largest truncation level accepted (the dense Arb matrix has (M+1)^2 entries)
GW_MAX_STATES = 2500
_LOG2_10 = math.log2(10)
_PER_ENTRY = 2.5e-8  # seconds per matrix entry per generation (Arb, ~100-200 bits)


@dataclass
class GWResult:
    """Extinction probabilities of the Poisson Galton–Watson chain from ``N_0 = count``.

    ``lower[i]``: Arb ball of ``L_k`` (paths inside ``0..states``); ``bound[i]``: Arb ball of
    the truncation error ``δ_k``; :meth:`enclosure` gives a ball containing ``Pr(N_k = 0)``.
    ``tol``: the truncation tolerance that was aimed at; ``met``: whether ``δ <= tol`` for
    every k."""

    count: int
    ks: list[int]
    states: int
    prec: int
    lower: list[arb]
    bound: list[arb]
    tol: float
    met: bool
    tried: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def enclosure(self, i: int) -> arb:
        """A ball containing ``Pr(N_k = 0)`` for ``k = ks[i]``: ``[L_k, L_k + δ_k]``."""
        lo = self.lower[i]
        hi = lo + arb(self.bound[i].upper())
        return lo.union(hi)

    def bound_upper(self, i: int) -> arb:
        """An exact upper bound of the truncation error at ``ks[i]`` (a point ball)."""
        return arb(self.bound[i].upper())


#: the cost of Arb arithmetic at a working precision (bits), relative to ~128 bits
_PREC_FACTOR = ((128, 1.0), (256, 2.8), (512, 5.7), (1024, 14.0), (2048, 32.0),
                (3400, 77.0))


def gw_cost(states: int, kmax: int, prec: int = 128) -> float:
    """Estimated seconds of one truncated-chain run at ``prec`` bits."""
    from .limits import loglog_interp

    kmax = float(min(kmax, 10**300))
    factor = max(1.0, loglog_interp(_PREC_FACTOR, prec))
    return ((kmax + 1) * (states + 1) ** 2 * _PER_ENTRY + 1e-6 * (states + 1) ** 2) * factor


def _poisson_rows(M: int, prec: int) -> tuple[arb_mat, arb_mat]:
    """Q at ``ctx.prec`` and the column of row losses ``ℓ_i >= 1 − Σ_j Q[i][j]``.

    Row i is built from its mode outwards by the ratios ``i/(j+1)`` and ``j/i``; entries
    below ``2^-(prec+64)`` (Poisson tails) and those beyond M are left out, and their sum is
    bounded by a geometric series (the ratios are < 1 past the mode): ``ℓ_i`` is that
    bound, a positive number with no cancellation. Column 0 is always kept."""
    Q = arb_mat(M + 1, M + 1)
    L = arb_mat(M + 1, 1)
    Q[0, 0] = arb(1)
    tiny = arb(2) ** (-(prec + 64))
    for i in range(1, M + 1):
        j0 = min(i, M)
        t0 = (arb(i).log() * j0 - i - arb(j0 + 1).lgamma()).exp()
        Q[i, j0] = t0
        loss = arb(0)
        # upward: j0+1, ..., M, then the tail (ratio i/(j+1) < 1 since j >= i)
        t = t0
        j = j0
        while True:
            t = t * i / (j + 1)  # the term of j + 1
            if j + 1 > M or t < tiny:
                r = arb(i) / (j + 2)
                loss += t / (1 - r)
                break
            Q[i, j + 1] = t
            j += 1
        # downward: j0-1, ..., 1 (ratio j/i < 1 below the mode)
        t = t0
        j = j0
        while j > 1:
            t = t * j / i  # the term of j - 1
            if t < tiny:
                r = arb(j - 1) / i
                loss += t / (1 - r)
                break
            Q[i, j - 1] = t
            j -= 1
        Q[i, 0] = arb(-i).exp()
        L[i, 0] = arb(loss.upper()) if loss < 1 else arb(1)
    return Q, L


def _run(c: int, ks: list[int], M: int, prec: int) -> tuple[list[arb], list[arb]]:
    """``L_k = (e_c Q^k)[0]`` and ``δ_k = Σ_{s<k} (e_c Q^s) · ℓ`` (mass that left)."""
    old = ctx.prec
    ctx.prec = prec
    try:
        Q, Lcol = _poisson_rows(M, prec)
        v = arb_mat(1, M + 1, [1 if j == c else 0 for j in range(M + 1)])
        lows, bounds = [], []
        want = set(ks)
        k = 0
        lost = arb(0)
        while True:
            if k in want:
                lows.append(v[0, 0])
                bounds.append(lost)
            if k == ks[-1]:
                break
            lost = lost + (v * Lcol)[0, 0]
            v = v * Q
            k += 1
        return lows, bounds
    finally:
        ctx.prec = old


def gw_extinction(count: int, ks: Sequence[int], digits: int = 15, *,
                  max_states: int = 1500, tol: float | None = None,
                  max_seconds: float = 600.0) -> GWResult:
    """``Pr(N_k = 0 | N_0 = count)`` for the Poisson Galton–Watson chain, from the chain
    truncated to ``0..M`` with the rigorous bound ``L_k <= Pr <= L_k + δ_k`` (see the module
    docstring); ``theorem2`` says the value is ``exp(−count g_k)``.

    ``tol`` (default ``10^−digits``): the truncation error aimed at; M doubles from
    ``max(64, 4 count)`` up to ``max_states`` (<= :data:`GW_MAX_STATES`). Domain: integers
    ``count >= 0``, ``k >= 0``. Raises :class:`InputError` on bad input or when the
    estimated time exceeds ``max_seconds``.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InputError(f"count = {count} is outside the allowed range [0, inf)")
    order = list(ks)
    if not order:
        raise InputError("k: empty k-list")
    for k in order:
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise InputError(f"k = {k} is outside the allowed range [0, inf)")
    if not 1 <= digits <= 1000:
        raise InputError(f"digits = {digits} is outside the allowed range [1, 1000]")
    if not 1 <= max_states <= GW_MAX_STATES:
        raise InputError(f"max_states = {max_states} is outside the allowed range "
                         f"[1, {GW_MAX_STATES}]")
    if count > max_states:
        raise InputError(f"count = {count} is outside the allowed range [0, {max_states}] "
                         "(the truncation must contain the starting state; raise max_states)")
    ks_sorted = sorted(set(order))
    tol = 10.0 ** (-digits) if tol is None else tol  # 0.0 below 1e-323: then never met
    log_tol = digits * math.log(10) if tol <= 0 else -math.log(tol)
    kmax = ks_sorted[-1]
    # a critical process alive at generation k is spread over ~k/2 states (Yaglom):
    # Pr(N_k > M) ~ exp(-2M/k), so start near (k/2) ln(1/tol) and double if needed
    kf = float(min(kmax, 10**300))  # a float; beyond reach anyway when that large
    guess = (kf + 1) / 2 * (log_tol + math.log(kf + 2) + 2)
    M = min(max_states, max(64, 4 * count + 16, int(min(guess, 1e18))))
    prec = int(digits * _LOG2_10) + 32 + (ks_sorted[-1] + 1).bit_length() \
        + (max_states + 1).bit_length()
    if gw_cost(M, ks_sorted[-1], prec) > max_seconds:
        raise InputError(f"the truncated chain with {M + 1} states and k up to "
                         f"{ks_sorted[-1]} would need ~{gw_cost(M, ks_sorted[-1], prec):.3g} s "
                         f"(limit {max_seconds:g} s); use fewer generations or fewer digits")
    t0 = time.perf_counter()
    tried = []
    while True:
        tried.append(M)
        lows, bounds = _run(count, ks_sorted, M, prec)
        worst = max(float(b.upper()) for b in bounds)
        if worst <= tol or M >= max_states:
            break
        nxt = min(max_states, 2 * M)
        if time.perf_counter() - t0 + gw_cost(nxt, ks_sorted[-1], prec) > max_seconds:
            break
        M = nxt
    pos = {k: i for i, k in enumerate(ks_sorted)}
    lows = [lows[pos[k]] for k in order]
    bounds = [bounds[pos[k]] for k in order]
    met = all(float(b.upper()) <= tol for b in bounds)
    return GWResult(count, order, M, prec, lows, bounds, tol, met, tried,
                    time.perf_counter() - t0)
