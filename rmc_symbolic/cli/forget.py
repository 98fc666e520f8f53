"""``rmc forget``: after how many generations is a word seen C times forgotten?

A word seen ``C`` times in a corpus of ``n`` tokens follows the Bernoulli chain of
RESULTS.md §2 with ``p0 = C/n`` (``corollary1``: each symbol of a unigram model is one such
chain). It is *forgotten by generation k* when ``P_k = 0``; ``Pr(P_k = 0)`` increases with k
towards ``1 − p0`` (``absorption``). The command answers: the first k with
``Pr(P_k = 0) >= 1 − delta``, i.e. ``Pr(P_k != 0) <= delta``.

Columns (generation numbers; ``never`` when ``p0 >= delta``, since then
``Pr(P_k = 0) < 1 − p0 <= 1 − delta`` for every k):

* ``k_min`` — theorem1's lower bound: before it, ``Pr(P_k != 0) >= 1 − e^{−n p0 g_k} > delta``
  so the answer is at least ``k_min``.
* ``k_max`` — theorem1's upper bound: at ``k_max``, ``Pr(P_k != 0) <= 1 − c_k e^{−n p0 g_k}
  <= delta``, so the answer is at most ``k_max`` (``-`` when theorem1 certifies no k, which
  happens when ``c_k`` is too small, i.e. for counts of order ``sqrt(n)`` and more).
* ``k_poisson`` — theorem2: the exact answer under Poisson sampling (``n lambda0 = C``), the
  approximation ``Pr(forgotten by k) ~ e^{−C g_k}``. It coincides with ``k_min`` (theorem1's
  lower bound is the Poisson formula); it is computed from theorem2's own expression.
* ``k_exact`` — from the exact Wright–Fisher chain (``markov.absorption_exact``) when
  ``n <= --exact-max-n``; ``pr_exact`` is the exact ``Pr(P_k = 0)`` there.

The searches use monotonicity: ``g_k`` decreases in k, so the theorem1 lower bound and
theorem2 decrease in k; the theorem1 upper bound ``1 − c_k e^{−C g_k}`` is quasi-convex in k
(``log c_k`` is concave where ``c_k > 0`` and ``g_k`` is convex in k, because
``g_k − g_{k+1} = g_k − 1 + e^{−g_k}`` increases with ``g_k``), so its sub-level sets are
intervals; its minimum is found by bisection on the sign of its increments.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from .common import add_common, exact_type, int_type, klist_type

#: the largest generation the searches go to
MAX_K = 10**7

#: the default largest n for the exact chain
EXACT_MAX_N = 60


def register(sub) -> None:
    p = sub.add_parser(
        "forget",
        help="generations until a word seen C times is forgotten with probability >= 1-delta",
        description="A word seen C times in n tokens follows the Bernoulli chain with p0 = C/n. "
        "Prints the first generation k with Pr(P_k = 0) >= 1 - delta: bounds k_min..k_max "
        "from theorem1, theorem2's Poisson approximation e^{-C g_k} (k_poisson), and the "
        "exact answer from the Wright-Fisher chain when n is small (k_exact).",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", metavar="FILE",
                     help="a UTF-8 text (lower-cased \\w+ words): n = its number of tokens; "
                     "the words column counts the word types seen C times")
    src.add_argument("--n", type=int_type("n", 1), help="tokens per generation")
    p.add_argument("--count", type=klist_type("count", 1), required=True, metavar="C",
                   help="times the word is seen: 5, or a list 1,2,5 or 1:10")
    p.add_argument("--delta", type=exact_type("delta", 0, 1, lo_open=True, hi_open=True),
                   default=Fraction(1, 2),
                   help="forgotten with probability >= 1 - delta (default 0.5: the median)")
    p.add_argument("--exact-max-n", type=int_type("exact-max-n", 0), default=EXACT_MAX_N,
                   metavar="N", help=f"use the exact chain when n <= N (default {EXACT_MAX_N})")
    add_common(p)
    p.set_defaults(func=run)


def first_k(pred: Callable[[int], bool], lo: int = 1, hi: int = MAX_K) -> int | None:
    """The first integer k in [lo, hi] with ``pred(k)`` true, for a ``pred`` that is false
    and then true (monotone); ``None`` if ``pred(hi)`` is false. Exponential then binary
    search."""
    if pred(lo):
        return lo
    step, a = 1, lo  # pred(a) is false
    while True:
        b = min(a + step, hi)
        if pred(b):
            break
        if b == hi:
            return None
        a, step = b, step * 2
    while b - a > 1:  # pred(a) false, pred(b) true
        mid = (a + b) // 2
        if pred(mid):
            b = mid
        else:
            a = mid
    return b


def argmin_quasiconvex(f: Callable[[int], object], lo: int = 1, hi: int = MAX_K) -> int:
    """The first minimiser on [lo, hi] of a quasi-convex integer sequence (decreasing, then
    non-decreasing): the first k with ``f(k + 1) >= f(k)``."""
    k = first_k(lambda j: f(j + 1) >= f(j), lo, hi)
    return hi if k is None else k


def forget_row(n: int, c: int, delta: Fraction, dps: int = 30, markov=None) -> dict:
    """The generation numbers of one count ``c`` (see the module docstring); ``markov``
    (the module) adds ``k_exact`` and ``pr_exact`` from the exact chain."""
    import mpmath
    import sympy as sp

    from ..errors import InputError
    from ..evaluate import evaluate, to_mpf
    from ..registry import get
    from ..symbols import p0 as P0

    if not 1 <= c <= n:
        raise InputError(f"count = {c} is outside the allowed range [1, n = {n}]")
    t1, t2, absorb = get("theorem1"), get("theorem2"), get("absorption")
    lower, upper, poisson = t1.parts["lower"], t1.parts["upper"], t2.parts["exact"]
    q = Fraction(c, n)
    pt = {"n": n, "p0": q}
    pt_poisson = {"n": n, "lambda0": q}
    with mpmath.workdps(dps + 10):
        d = to_mpf(delta)

    def val(expr, k, point=pt):
        return evaluate(expr, {**point, "k": k}, dps)

    row: dict = {"count": c, "p0": q}
    limit = absorb.parts["to_zero"].subs(P0, sp.Rational(q.numerator, q.denominator))
    never = bool(limit <= 1 - sp.Rational(delta.numerator, delta.denominator))
    row["k_min"] = first_k(lambda k: val(lower, k) <= d)
    row["k_poisson"] = first_k(lambda k: val(poisson, k, pt_poisson) <= d)
    if never:
        row["k_max"] = row["k_exact"] = "never"
        return row
    best = argmin_quasiconvex(lambda k: val(upper, k), row["k_min"] or 1)
    row["k_max"] = first_k(lambda k: val(upper, k) <= d, 1, best) \
        if val(upper, best) <= d else None
    if markov is not None:
        try:
            row["k_exact"], row["pr_exact"] = _exact(markov, n, c, delta, row, dps)
        except InputError as e:  # the exact chain refuses (too costly)
            row["k_exact"], row["pr_exact"] = None, None
            row["exact_note"] = str(e)
    return row


def run(args):
    from collections import Counter

    from ..output import Table

    dps = max(args.dps, 30)
    words = None
    if args.corpus:
        from ..corpus import read_corpus

        counts = read_corpus(args.corpus)
        n = sum(counts.values())
        words = Counter(counts.values())
        params = {"corpus": args.corpus, "n": n, "delta": args.delta}
    else:
        n = args.n
        params = {"n": n, "delta": args.delta}
    from .. import limits

    markov = _exact_module() if n <= args.exact_max_n else None
    said: dict[int, list[str]] = {}  # notes per count (rows may be computed out of order)

    def one(c):
        row = forget_row(n, c, args.delta, dps, markov)
        if words is not None:
            row["words"] = words.get(c, 0)
        mine = said.setdefault(c, [])
        for key in ("k_min", "k_poisson"):
            if row[key] is None:
                mine.append(f"count {c}: {key} is beyond k = {MAX_K}")
        note = row.pop("exact_note", None)
        if note:
            mine.append(f"count {c}: exact chain not computed: {note}")
        return row

    rows = limits.rows(args.count, one, what="counts", desc="rmc forget", digits=args.dps,
                       cheaper="use fewer counts or fewer digits (--dps)" + (
                           ", or lower --exact-max-n" if markov is not None else ""))
    notes = [note for c in args.count for note in said.get(c, [])]
    columns = ["count", "p0"] + (["words"] if words is not None else []) + [
        "k_min", "k_max", "k_poisson"]
    if markov is not None:
        columns += ["k_exact", "pr_exact"]
    elif n <= args.exact_max_n:
        notes.append("the exact chain (rmc_symbolic.markov) is not available here")
    notes.append("first k with Pr(P_k = 0) >= 1 - delta: k_min <= k <= k_max (theorem1), "
                 "k_poisson = theorem2 (Poisson sampling, e^{-C g_k}); '-' = not certified")
    return Table("forget", params, columns, rows, notes=notes, digits=args.dps)


def _exact_module():
    """The module with the exact chain's ``absorption_exact`` (the markov contract), or
    ``None``."""
    import importlib

    for name in ("markov", "wright_fisher"):
        try:
            mod = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.{name}")
        except ImportError:
            continue
        if hasattr(mod, "absorption_exact"):
            return mod
    return None


def _exact(markov, n: int, c: int, delta: Fraction, row: dict, dps: int):
    """First k with exact Pr(X_k = 0) >= 1 − delta, from the Wright–Fisher chain, by
    exponential and binary search (Pr(X_k = 0) increases with k: 0 absorbs); one exact
    value per probe."""
    import mpmath

    target = 1 - delta
    cache: dict[int, Fraction] = {}

    from .. import limits

    def p_zero(k: int) -> Fraction:
        if k not in cache:
            left = limits.remaining()  # under a time limit, the chain refuses beyond it
            opts = {} if left == float("inf") else {"max_seconds": left}
            cache[k] = markov.absorption_exact(n, c, [k], **opts)["p_zero"][0]
        return cache[k]

    k = first_k(lambda j: p_zero(j) >= target)
    if k is None:
        return None, None
    v = p_zero(k)
    with mpmath.workdps(dps):
        pr = mpmath.mpf(v.numerator) / v.denominator
    return k, pr
