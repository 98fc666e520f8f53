"""``rmc gaussian``: bounds on Pr(Sigma_k > eps) for the Gaussian model (eq3, eq15,
theorem3), the optimised-s Markov bound and the exact probability (gaussian_exact)."""

from __future__ import annotations

from .common import add_common, add_klist, add_mc, add_n, exact_type, mc_columns, mc_plan

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
    from .. import limits
    from ..evaluate import evaluate
    from ..gaussian_exact import (
        optimal_markov,
        optimal_markov_seconds,
        tail_probability,
        tail_seconds,
    )
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
    cheaper = "use fewer k (a step: --k A:B:STEP) or fewer digits (--dps)"
    kmax = args.k[-1]
    if not args.no_exact:
        cheaper = "leave out the exact column (--no-exact, ~" + limits.seconds_text(
            tail_seconds(args.n, kmax, args.dps)) + " per k), " + cheaper[4:]
    # one row's costliest parts, before any of them runs
    limits.require(optimal_markov_seconds(args.n, kmax, args.dps), "optimized_bound at "
                   f"{args.dps} digits (one k)", "ask for fewer digits (--dps)")
    if not args.no_exact:
        limits.require(tail_seconds(args.n, kmax, args.dps), f"the exact column at {args.dps} "
                       "digits (one k)", "leave out the exact column (--no-exact) or ask for "
                       "fewer digits (--dps)")
    plan = mc_plan("gaussian", params, args.k, args)

    def row(k_):
        pt = {**params, "k": k_}
        out = {"k": k_}
        for c, (rid, part) in COLUMNS.items():
            out[c] = evaluate(get(rid).parts[part], pt, args.dps)
        if args.s is not None:
            out["markov_s_bound"] = evaluate(get("eq3").parts["markov_s_bound"],
                                             {**pt, "s": args.s}, args.dps)
        out["optimized_bound"], out["s_opt"] = optimal_markov(args.n, args.sigma0, args.eps,
                                                              k_, args.dps)
        if not args.no_exact:
            r = tail_probability(args.n, args.sigma0, args.eps, k_, args.dps)
            out["exact"] = r.value
            if args.error:
                out["exact_error"] = r.error
        return out

    rows = limits.rows(args.k, row, what="rows", cheaper=cheaper, desc="rmc gaussian",
                       extra=plan, digits=args.dps)
    shown = dict(params)
    if args.s is not None:
        shown["s"] = args.s
    table = Table("gaussian", shown, cols, rows, digits=args.dps)
    mc = mc_columns("gaussian", params, args.k, args)
    if mc:
        for name, values in mc.items():
            table.add_column(name, values)
    return table
