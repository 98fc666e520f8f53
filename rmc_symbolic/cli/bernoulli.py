"""``rmc bernoulli``: Theorem 1, its extension and the Seddik et al. bounds."""

from __future__ import annotations

from fractions import Fraction

from .common import add_common, add_klist, add_mc, add_n, exact_type, mc_columns


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
    rows = []
    for k_ in args.k:
        pt = {"n": args.n, "p0": args.p0, "k": k_}
        row = {"k": k_}
        row.update({c: evaluate(e, pt, args.dps) for c, e in cols.items()})
        rows.append(row)
    table = Table("bernoulli", {"n": args.n, "p0": args.p0}, ["k", *cols], rows,
                  digits=args.dps)
    if args.exact:
        i0 = args.p0 * args.n
        if i0.denominator != 1:
            raise InputError(
                f"--exact needs n*p0 to be an integer (n*p0 = {i0}); the chain starts at "
                "P_0 = i0/n")
        from ..markov import absorption_exact

        ex = absorption_exact(args.n, int(i0), args.k)
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


def _to_mpf(q: Fraction, dps: int):
    import mpmath

    with mpmath.workdps(dps + 10):
        v = mpmath.mpf(q.numerator) / q.denominator
    return v
