"""``rmc gaussian``: bounds on Pr(Sigma_k > eps) for the Gaussian model (eq3, eq15,
theorem3), the optimised-s Markov bound and the exact probability (gaussian_exact)."""

from __future__ import annotations

from .common import add_common, add_klist, add_mc, add_n, exact_type, mc_columns

#: output column -> (result id, part)
COLUMNS = {
    "expected_sigma": ("eq3", "expected_sigma"),
    "markov_bound": ("eq3", "markov_bound"),
    "theorem3": ("theorem3", "upper"),
    "gurland_bound": ("theorem3", "gurland_bound"),
}


def register(sub) -> None:
    p = sub.add_parser(
        "gaussian", help="Pr(Sigma_k > eps): bounds (eq3, theorem3, optimised Markov) and the "
        "exact value (gaussian_exact)",
        description="The Gaussian recursion (n-1) Sigma_{k+1}^2/Sigma_k^2 ~ chi^2_{n-1}. "
        "Columns: expected_sigma = E[Sigma_k] (eq3); bounds on Pr(Sigma_k > eps): "
        "markov_bound (eq3), theorem3, gurland_bound (eq15), optimized_bound = min over s > 0 "
        "of (sigma0/eps)^{2s} M_n(s)^k with its minimiser s_opt; exact = Pr(Sigma_k > eps) by "
        "contour inversion of the characteristic function (gaussian_exact; ~0.3 s per k).",
    )
    add_n(p, lo=2)
    p.add_argument("--sigma0", type=exact_type("sigma0", 0, None, lo_open=True), required=True,
                   help="initial standard deviation (> 0), exact")
    p.add_argument("--eps", type=exact_type("eps", 0, None, lo_open=True), required=True,
                   help="collapse threshold (> 0), exact: 0.1 means 1/10")
    add_klist(p)
    p.add_argument("--s", type=exact_type("s", 0, None, lo_open=True), default=None,
                   help="also the Markov bound (sigma0/eps)^{2s} M_n(s)^k at this s "
                   "(column markov_s_bound; the paper's plot uses s = 0.35)")
    p.add_argument("--no-exact", action="store_true",
                   help="leave out the exact column (and its error estimate)")
    p.add_argument("--error", action="store_true",
                   help="add exact_error: the difference of two independent evaluations of "
                   "the exact value (two precisions, two quadrature rules)")
    add_mc(p)
    add_common(p)
    p.set_defaults(func=run)


def run(args):
    from ..evaluate import evaluate
    from ..gaussian_exact import optimal_markov, tail_probability
    from ..output import Table
    from ..registry import get

    params = {"n": args.n, "sigma0": args.sigma0, "eps": args.eps}
    cols = ["k", *COLUMNS, "optimized_bound", "s_opt"]
    if args.s is not None:
        cols.insert(cols.index("optimized_bound"), "markov_s_bound")
    if not args.no_exact:
        cols.append("exact")
        if args.error:
            cols.append("exact_error")
    rows = []
    import sys

    ks = args.k
    if not args.json and sys.stderr.isatty() and len(ks) > 10:
        from tqdm import tqdm  # the exact column costs ~0.2 s per k: show progress

        ks = tqdm(ks, desc="rmc gaussian", unit="k", file=sys.stderr, leave=False)
    for k_ in ks:
        pt = {**params, "k": k_}
        row = {"k": k_}
        for c, (rid, part) in COLUMNS.items():
            row[c] = evaluate(get(rid).parts[part], pt, args.dps)
        if args.s is not None:
            row["markov_s_bound"] = evaluate(get("eq3").parts["markov_s_bound"],
                                             {**pt, "s": args.s}, args.dps)
        row["optimized_bound"], row["s_opt"] = optimal_markov(args.n, args.sigma0, args.eps,
                                                              k_, args.dps)
        if not args.no_exact:
            r = tail_probability(args.n, args.sigma0, args.eps, k_, args.dps)
            row["exact"] = r.value
            if args.error:
                row["exact_error"] = r.error
        rows.append(row)
    shown = dict(params)
    if args.s is not None:
        shown["s"] = args.s
    table = Table("gaussian", shown, cols, rows, digits=args.dps)
    try:
        mc = mc_columns("gaussian", params, args.k, args)
    except ImportError:
        from ..errors import InputError

        raise InputError("--mc needs rmc_symbolic.simulate, which is not available") from None
    if mc:
        for name, values in mc.items():
            table.add_column(name, values)
    return table
