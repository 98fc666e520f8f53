"""``rmc bernoulli``: Theorem 1, its extension and the Seddik et al. bounds."""

from __future__ import annotations

from fractions import Fraction

from .common import add_common, add_klist, add_mc, add_n, exact_type, mc_columns, mc_plan

#: how to ask for less, in the refusals
CHEAPER = "use fewer k (a step: --k A:B:STEP) or fewer digits (--dps)"


def register(sub) -> None:
    p = sub.add_parser(
        "bernoulli", help="Pr(P_k != 0) and Pr(P_k not in {0,1}) bounds (theorem1, "
        "theorem1_ext, seddik)",
        description="Bounds for the Bernoulli recursion n P_{k+1} ~ Binomial(n, P_k), P_0 = "
        "p0: theorem1 bounds Pr(P_k != 0); theorem1_ext and seddik bound Pr(P_k not in {0,1}).",
    )
    add_n(p)
    p.add_argument("--p0", type=exact_type("p0", 0, 1), required=True,
                   help="initial probability, exact: 0.01 means 1/100; 1/3 is accepted")
    add_klist(p)
    p.add_argument("--exact", action="store_true",
                   help="add exact columns from the Wright-Fisher chain (needs n*p0 integer): "
                   "exact = Pr(P_k != 0), exact_transient = Pr(P_k not in {0,1})")
    add_mc(p)
    add_common(p)
    p.set_defaults(func=run)


def run(args):
    from .. import limits
    from ..errors import InputError
    from ..evaluate import evaluate
    from ..output import Table
    from ..registry import get

    t1, ext, sed = get("theorem1"), get("theorem1_ext"), get("seddik")
    cols = {
        "theorem1_lower": t1.parts["lower"], "theorem1_upper": t1.parts["upper"],
        "ext_lower": ext.parts["lower"], "ext_upper": ext.parts["upper"],
        "seddik_lower": sed.parts["lower"], "seddik_upper": sed.parts["upper"],
    }
    plan = mc_plan("bernoulli", {"n": args.n, "p0": args.p0}, args.k, args)
    if args.exact:
        i0 = args.p0 * args.n
        if i0.denominator != 1:
            raise InputError(
                f"--exact needs n*p0 to be an integer (n*p0 = {i0}); the chain starts at "
                "P_0 = i0/n")
        plan.append(exact_plan(args.n, args.k))

    def row(k_):
        pt = {"n": args.n, "p0": args.p0, "k": k_}
        out = {"k": k_}
        out.update({c: evaluate(e, pt, args.dps) for c, e in cols.items()})
        return out

    rows = limits.rows(args.k, row, what="rows", cheaper=CHEAPER, desc="rmc bernoulli",
                       extra=plan, digits=args.dps)
    table = Table("bernoulli", {"n": args.n, "p0": args.p0}, ["k", *cols], rows,
                  digits=args.dps)
    if args.exact:
        from ..markov import absorption_exact

        left = limits.remaining()
        with limits.phase("the exact column (the Wright-Fisher chain)"):
            ex = absorption_exact(args.n, int(i0), args.k,
                                  max_seconds=None if left == float("inf") else left)
        table.add_column("exact", [1 - z for z in ex["p_zero"]])
        table.add_column("exact_transient", list(ex["p_alive"]))
        # exact rationals print as decimals here; `rmc exact bernoulli` prints num/den
        for r in table.rows:
            for c in ("exact", "exact_transient"):
                if isinstance(r[c], Fraction):
                    r[c] = _to_mpf(r[c], args.dps)
    mc = mc_columns("bernoulli", {"n": args.n, "p0": args.p0}, args.k, args)
    if mc:
        for name, values in mc.items():
            table.add_column(name, values)
    return table


def exact_plan(n: int, ks: list[int]) -> tuple[float, str, str]:
    """The exact column as a planned phase (refused at once when it alone cannot fit)."""
    from .. import limits
    from ..markov import EXACT_MAX_BYTES, MAX_K
    from ..wright_fisher import exact_cost

    if ks[-1] > MAX_K:
        raise limits.LimitError(f"--exact: k = {ks[-1]} is beyond the exact chain's range "
                                f"(k <= {MAX_K}): leave out --exact")
    secs, nbytes, _ = exact_cost(n, ks)
    what = f"the exact column (Wright-Fisher chain, n = {n}, k up to {ks[-1]})"
    cheaper = ("leave out --exact, use fewer or smaller k, or try rmc exact bernoulli "
               "--mode certified")
    if nbytes > EXACT_MAX_BYTES:
        raise limits.LimitError(f"{what} would need ~{nbytes / 1e9:.3g} GB of digits (limit "
                                f"{EXACT_MAX_BYTES / 1e9:.3g} GB): {cheaper}")
    limits.require(secs, what, cheaper)
    return secs, what, cheaper


def _to_mpf(q: Fraction, dps: int):
    import mpmath

    from ..evaluate import fraction_to_mpf

    with mpmath.workdps(dps + 10):
        return fraction_to_mpf(q)
