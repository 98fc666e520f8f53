"""``rmc discrete``: expected number of surviving symbols (corollary1, corollary2)."""

from __future__ import annotations

from .common import add_common, add_klist, add_mc, add_n, mc_columns, mc_plan

#: the columns that sum over the pmf (each row evaluates them once)
SUMS = 3

#: the fraction-of-support column of each E[uniq_k] column
FRACTION = {"corollary1_lower": "fraction_lower", "corollary1_upper": "fraction_upper",
            "corollary2": "fraction_poisson"}


def register(sub) -> None:
    p = sub.add_parser(
        "discrete", help="expected surviving symbols of a pmf or corpus (corollary1, "
        "corollary2)",
        description="Recursive training of a discrete distribution p_1..p_m with n samples "
        "per generation: bounds on E[uniq_k] under multinomial sampling (corollary1) and its "
        "exact value under Poisson sampling (corollary2); the fraction_* columns divide by "
        "the support size m.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--pmf", metavar="FILE",
                     help="one probability per line (exact decimals; must sum to 1 within 1e-9)")
    src.add_argument("--counts", metavar="FILE",
                     help="one count per line; pmf = count/total, n defaults to the total")
    src.add_argument("--zipf", metavar="A,B,M",
                     help="Zipf-Mandelbrot pmf p_i ∝ (i + B)^(-A), i = 1..M")
    src.add_argument("--corpus", metavar="FILE",
                     help="a UTF-8 text: lower-cased \\w+ words; n defaults to the number of "
                     "tokens")
    add_n(p, required=False)
    add_klist(p)
    add_mc(p)
    add_common(p)
    p.set_defaults(func=run)


def load_pmf(args, dps: int = 15):
    """The pmf, n and a description of the source, from the command's arguments (the
    reading of a file, or the Zipf pmf, estimated first: :mod:`rmc_symbolic.textfile`)."""
    from .. import corpus, limits
    from ..errors import InputError
    from ..parsing import parse_exact, parse_int

    if args.pmf is not None:
        pmf, n, source = corpus.read_pmf(args.pmf), args.n, {"pmf": args.pmf}
    elif args.counts is not None:
        pmf, total = corpus.pmf_from_counts(corpus.read_counts(args.counts))
        n, source = args.n or total, {"counts": args.counts}
    elif args.corpus is not None:
        pmf, total = corpus.pmf_from_counts(corpus.read_corpus(args.corpus))
        n, source = args.n or total, {"corpus": args.corpus, "tokens": total}
    else:
        parts = args.zipf.split(",")
        if len(parts) != 3:
            raise InputError(f"zipf: {args.zipf!r} is not of the form A,B,M (e.g. 1,2.7,1000)")
        a = parse_exact(parts[0], "zipf A", lo=0, lo_open=True)
        b = parse_exact(parts[1], "zipf B", lo=-1, lo_open=True)
        m = parse_int(parts[2], "zipf M", lo=1, hi=10**7)
        # the pmf, then one sum over its m distinct probabilities per column and k
        build = corpus.zipf_seconds(m, dps + 20)
        sums = SUMS * len(args.k) * corpus.pmf_sum_seconds(m, dps)
        limits.require(build + sums, f"the Zipf pmf of {m} symbols and its sums for "
                       f"{len(args.k)} k at {dps} digits", "use fewer symbols (M), fewer k "
                       "or fewer digits (--dps)")
        with limits.phase(f"the Zipf pmf of {m} symbols"):
            pmf = corpus.zipf_mandelbrot(a, b, m, dps + 20)
        n, source = args.n, {"zipf": args.zipf}
    if n is None:
        raise InputError("n: --n is required with --pmf and --zipf (an integer >= 1)")
    return pmf, n, source


def run(args):
    from collections import Counter

    from .. import limits
    from ..corpus import pmf_sum_seconds
    from ..evaluate import evaluate
    from ..output import Table
    from ..registry import get

    pmf, n, source = load_pmf(args, args.dps)
    support = sum(1 for q in pmf if q > 0)
    c1, c2 = get("corollary1"), get("corollary2")
    cols = {"corollary1_lower": c1.parts["lower"], "corollary1_upper": c1.parts["upper"],
            "corollary2": c2.parts["exact"]}
    groups = Counter(pmf)  # equal probabilities are evaluated once
    cheaper = "use fewer k (a step: --k A:B:STEP) or fewer digits (--dps)"
    per_row = SUMS * pmf_sum_seconds(len(groups), args.dps)
    limits.require(len(args.k) * per_row, f"{len(args.k)} rows of sums over "
                   f"{len(groups)} distinct probabilities (~{limits.seconds_text(per_row)} "
                   "each)", cheaper)
    plan = mc_plan("discrete", {"n": n, "pmf": pmf}, args.k, args)

    def row(k_):
        out = {"k": k_}
        out.update({c: evaluate(e, {"n": n, "k": k_}, args.dps, pmf=groups)
                    for c, e in cols.items()})
        for c in cols:
            out[FRACTION[c]] = out[c] / support
        return out

    rows = limits.rows(args.k, row, what="rows", cheaper=cheaper, desc="rmc discrete",
                       extra=plan, digits=args.dps)
    params = {"n": n, "m": support, **source}
    columns = ["k", *cols, *FRACTION.values()]
    table = Table("discrete", params, columns, rows, digits=args.dps)
    mc = mc_columns("discrete", {"n": n, "pmf": pmf}, args.k, args)
    if mc:
        for name, values in mc.items():
            table.add_column(name, values)
    return table
