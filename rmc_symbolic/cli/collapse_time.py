"""``rmc collapse-time``: the first generation from which Pr(not yet collapsed) <= delta,
exactly and as implied by each bound (gaussian, bernoulli, poisson)."""

from __future__ import annotations

from .common import OneLineParser, add_common, exact_type, klist_type

_DELTA_HELP = "the probability level, exact, in (0, 1)"


def _add_n_and_delta(p, lo: int) -> None:
    """The options every model shares: a list of n, delta, --no-exact."""
    p.add_argument("--n", type=klist_type("n", lo), required=True, metavar="NS",
                   help=f"samples per generation (>= {lo}); a list is accepted")
    p.add_argument("--delta", type=exact_type("delta", 0, 1, True, True), required=True,
                   help=_DELTA_HELP)
    p.add_argument("--no-exact", action="store_true", help="bounds only")


def register(sub) -> None:
    p = sub.add_parser(
        "collapse-time", help="time to collapse: smallest k with Pr(not collapsed) <= delta, "
        "exact and per bound",
        description="T(delta) = the first k from which the probability of not having "
        "collapsed stays <= delta: Pr(Sigma_k > eps) (gaussian), Pr(P_k != 0) (bernoulli), "
        "Pr(Lambda_k != 0) (poisson). Columns: exact and one per bound; an upper bound on the "
        "probability gives an upper bound on the time, a lower bound a lower bound. '-' means "
        "never, or not within the search limit k <= 10^15 (a note says which). --n takes a "
        "list (1,10,100 or 10:100:10).",
    )
    models = p.add_subparsers(dest="model", metavar="MODEL", parser_class=OneLineParser)
    g = models.add_parser("gaussian", help="Pr(Sigma_k > eps) <= delta",
                          description="Gaussian model: exact (gaussian_exact), "
                          "optimized_bound, markov_bound (eq3), gurland_bound, theorem3.")
    _add_n_and_delta(g, 2)
    g.add_argument("--sigma0", type=exact_type("sigma0", 0, None, lo_open=True), required=True,
                   help="initial standard deviation (> 0)")
    g.add_argument("--eps", type=exact_type("eps", 0, None, lo_open=True), required=True,
                   help="collapse threshold (> 0)")
    add_common(g, dps=False)
    g.set_defaults(func=run, model="gaussian")
    b = models.add_parser("bernoulli", help="Pr(P_k != 0) <= delta",
                          description="Bernoulli model: exact (Wright-Fisher chain; needs n*p0 "
                          "an integer), theorem1_lower, theorem1_upper.")
    _add_n_and_delta(b, 1)
    b.add_argument("--p0", type=exact_type("p0", 0, 1, True, True), required=True,
                   help="initial probability, exact, in (0, 1)")
    add_common(b, dps=False)
    b.set_defaults(func=run, model="bernoulli")
    q = models.add_parser("poisson", help="Pr(Lambda_k != 0) <= delta",
                          description="Poisson model: exact (theorem2), lemma2_lower, "
                          "sharp_lower, sharp_upper, lemma2_upper.")
    _add_n_and_delta(q, 1)
    q.add_argument("--lambda0", type=exact_type("lambda0", 0, None, lo_open=True),
                   required=True, help="initial rate (> 0), exact")
    add_common(q, dps=False)
    q.set_defaults(func=run, model="poisson")
    p.set_defaults(func=_no_model)


def _no_model(args):
    from ..errors import InputError

    raise InputError("name a model: rmc collapse-time gaussian|bernoulli|poisson ...")


def run(args):
    from .. import collapse_time as ct
    from .. import limits
    from ..output import Table

    exact = not args.no_exact
    cheaper = "use fewer values of n" + (" or leave out the exact column (--no-exact)"
                                         if exact else "")
    if args.model == "gaussian" and exact:
        secs = ct.gaussian_exact_time_seconds(args.n[-1], args.sigma0, args.eps)
        limits.require(secs, f"the exact time at n = {limits.short_int(args.n[-1])}",
                       "leave out the exact "
                       "column (--no-exact) or use a smaller n")
    if args.model == "gaussian":
        params = {"sigma0": args.sigma0, "eps": args.eps, "delta": args.delta}
        cols = ["exact", "optimized_bound", "markov_bound", "gurland_bound", "theorem3"]

        def times(n_):
            return ct.gaussian_times(n_, args.sigma0, args.eps, args.delta, exact)
    elif args.model == "bernoulli":
        params = {"p0": args.p0, "delta": args.delta}
        cols = ["exact", "theorem1_lower", "theorem1_upper"]

        def times(n_):
            return ct.bernoulli_times(n_, args.p0, args.delta, exact)
    else:
        params = {"lambda0": args.lambda0, "delta": args.delta}
        cols = ["exact", "lemma2_lower", "sharp_lower", "sharp_upper", "lemma2_upper"]

        def times(n_):
            return ct.poisson_times(n_, args.lambda0, args.delta, exact)
    if not exact:
        cols.remove("exact")
    def row(n_):
        t = times(n_)
        return {"n": n_, **{c: t.get(c) for c in cols}}

    rows = limits.rows(args.n, row, what="values of n", cheaper=cheaper,
                       desc=f"rmc collapse-time {args.model}")
    notes = ["each column: the first k from which the probability (exact) or the bound stays "
             f"<= delta; '-' (null): never, or not reached by k = {ct.K_MAX} (the search "
             "limit)"]
    if args.model == "bernoulli" and exact:
        if args.p0 >= args.delta:
            notes.append("p0 >= delta: Pr(P_k != 0) >= Pr(P_k -> 1) = p0 for every k, so the "
                         "probability never reaches delta (exact and theorem1_upper: never)")
        else:
            big = [r["n"] for r in rows if r["n"] > ct.EXACT_TIME_MAX_N]
            if big:
                notes.append(f"exact: not computed for n > {ct.EXACT_TIME_MAX_N} (n = "
                             f"{', '.join(map(str, big))}): the exact chain over thousands of "
                             "generations is beyond reach; the theorem1 columns bracket it")
            if any((args.p0 * r["n"]).denominator != 1 for r in rows):
                notes.append("exact needs n*p0 to be an integer (the chain starts at "
                             "P_0 = n p0/n)")
    return Table(f"collapse-time {args.model}", params, ["n", *cols], rows, notes=notes)
