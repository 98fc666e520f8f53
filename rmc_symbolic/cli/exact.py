"""``rmc exact``: exact and certified absorption probabilities of the Markov chains.

``rmc exact bernoulli``  Wright–Fisher chain (Bernoulli model): Pr(X_k = 0), Pr(X_k = n),
                         Pr(X_k not in {0, n}) — exact rationals, certified Arb balls or
                         float64.
``rmc exact poisson``    Galton–Watson chain (Poisson model): Pr(N_k = 0 | N_0 = C) from the
                         truncated chain with a rigorous truncation bound, beside theorem2's
                         exp(-C g_k).
``rmc exact check``      the Bernoulli results held against the exact chain
                         (first violation or "all hold").
"""

from __future__ import annotations

from .common import (
    OneLineParser,
    add_common,
    exact_type,
    int_type,
    klist_type,
    max_seconds_type,
)

_QUANTS = ("p_zero", "p_full", "p_alive")


def register(sub) -> None:
    p = sub.add_parser(
        "exact", help="exact / certified absorption probabilities of the Markov chains "
        "(Wright-Fisher, Galton-Watson) and the bounds held against them",
        description="Exact and certified absorption probabilities of the recursive-training "
        "Markov chains: 'bernoulli' (Wright-Fisher), 'poisson' (Galton-Watson), 'check' "
        "(theorem1, theorem1_ext, seddik, absorption, wf_heterozygosity against the exact "
        "chain).",
    )
    models = p.add_subparsers(dest="model", metavar="MODEL", parser_class=OneLineParser)
    p.set_defaults(func=_no_model, exact_parser=p)

    b = models.add_parser(
        "bernoulli", help="Wright-Fisher chain: Pr(X_k=0), Pr(X_k=n), Pr(X_k not in {0,n})",
        description="The Bernoulli recursion n P_{k+1} ~ Binomial(n, P_k) as the Wright-Fisher "
        "chain X_k = n P_k on {0..n}, X_0 = i0. Columns p_zero = Pr(X_k = 0), p_full = "
        "Pr(X_k = n), p_alive = Pr(X_k not in {0, n}) (the transient mass, computed directly). "
        "Modes: exact (rationals 'num/den' with *_decimal beside), certified (Arb balls: only "
        "certified digits, *_radius beside; --digits is a promise), float (float64, with notes "
        "where it is known to lose accuracy).",
    )
    b.add_argument("--n", type=int_type("n", 1), required=True, help="samples per generation")
    start = b.add_mutually_exclusive_group(required=True)
    start.add_argument("--i0", type=int_type("i0", 0), help="starting state X_0 (0 <= i0 <= n)")
    start.add_argument("--p0", type=exact_type("p0", 0, 1),
                       help="starting probability, exact, with n*p0 an integer (i0 = n p0)")
    b.add_argument("--k", type=klist_type(), required=True, metavar="KS",
                   help="k-list: 1,5,10 or 1:50 (inclusive) or 1:1000:10")
    b.add_argument("--mode", choices=("exact", "certified", "float"), default="exact",
                   help="exact rationals (default), certified Arb balls, or float64")
    b.add_argument("--digits", type=int_type("digits", 1, 10000), default=15, metavar="D",
                   help="significant digits: of the *_decimal columns (exact), promised "
                   "certified digits (certified; the precision is raised until met), at most "
                   "17 (float). Default 15")
    b.add_argument("--route", choices=("auto", "spectral", "iterate"), default="auto",
                   help="spectral (eigen-decomposition, lambda_j = prod_{i<j}(1 - i/n)) or "
                   "iterate (matrix iteration); auto picks the cheaper")
    b.add_argument("--het", action="store_true",
                   help="add het = E[P_k (1 - P_k)] (result wf_heterozygosity)")
    b.add_argument("--eventual", action="store_true",
                   help="add a row k = inf: eventual absorption by the exact fundamental "
                   "matrix (exact mode, n <= 400)")
    b.add_argument("--max-seconds", type=max_seconds_type(), default=None,
                   metavar="S", help="time limit: the modes refuse when their estimated time "
                   "exceeds S seconds, and nothing runs past it (default 600 in exact mode, "
                   "1200 in certified mode, 120 in float mode)")
    add_common(b, dps=False)
    b.set_defaults(func=run_bernoulli, time_limit=_bernoulli_limit)

    q = models.add_parser(
        "poisson", help="Galton-Watson chain: Pr(N_k = 0 | N_0 = C) with a truncation bound",
        description="The Poisson recursion N_{k+1} ~ Poisson(N_k), N_0 = C (= n lambda0): "
        "Pr(N_k = 0) from the chain truncated to 0..M, with the rigorous bound L_k <= Pr <= "
        "L_k + delta_k (delta_k = mass that left 0..M), beside theorem2's exact exp(-C g_k).",
    )
    q.add_argument("--count", type=int_type("count", 0), required=True, metavar="C",
                   help="initial count N_0 = n lambda0 (an integer)")
    q.add_argument("--k", type=klist_type(), required=True, metavar="KS",
                   help="k-list: 1,5,10 or 1:50 (inclusive) or 1:1000:10")
    q.add_argument("--digits", type=int_type("digits", 1, 1000), default=15, metavar="D",
                   help="certified digits aimed at (default 15); the truncation tolerance "
                   "is 10^-D")
    q.add_argument("--max-states", type=int_type("max-states", 1, 2500), default=1500,
                   metavar="M", help="largest truncation level tried (default 1500)")
    q.add_argument("--max-seconds", type=max_seconds_type(), default=30, metavar="S",
                   help="refuse when the estimated time of the truncated chain exceeds S "
                   "seconds (default 30; the estimate can be low by a factor of 2)")
    add_common(q, dps=False)
    q.set_defaults(func=run_poisson)

    c = models.add_parser(
        "check", help="the Bernoulli bounds held against the exact chain",
        description="theorem1, theorem1_ext, seddik, absorption and wf_heterozygosity held "
        "against the exact Wright-Fisher chain for every n <= N, every i0 (p0 = i0/n) and "
        "every 1 <= k <= K: exact rational comparisons where the bound is rational, Arb "
        "enclosures of the bound against the exact value otherwise.",
    )
    c.add_argument("--result", action="append", default=None, metavar="ID",
                   help="a result id (repeatable; default: all five)")
    c.add_argument("--n-max", type=int_type("n-max", 1, 200), default=30, metavar="N",
                   help="check every n <= N (1 to 200; default 30)")
    c.add_argument("--k-max", type=int_type("k-max", 1, 10000), default=100, metavar="K",
                   help="check every generation k <= K (1 to 10000; default 100)")
    add_common(c, dps=False)
    c.set_defaults(func=run_check)


def _bernoulli_limit(args) -> float:
    """The default time limit of ``rmc exact bernoulli``: that of its mode."""
    from ..limits import DEFAULT_MAX_SECONDS
    from ..markov import CERTIFIED_MAX_SECONDS, EXACT_MAX_SECONDS

    return {"exact": EXACT_MAX_SECONDS, "certified": CERTIFIED_MAX_SECONDS}.get(
        args.mode, DEFAULT_MAX_SECONDS)


def _no_model(args):
    args.exact_parser.print_help()
    args.exit_code = 2
    return None


# --------------------------------------------------------------------------- helpers


def _start_state(args) -> int:
    from ..errors import InputError

    n = args.n
    if args.i0 is not None:
        i0 = args.i0
    else:
        x = args.p0 * n
        if x.denominator != 1:
            raise InputError(f"p0 = {args.p0} needs n*p0 to be an integer (n*p0 = {x}); the "
                             "chain starts at X_0 = n p0")
        i0 = int(x)
    if not 0 <= i0 <= n:
        raise InputError(f"i0 = {i0} is outside the allowed range [0, {n}] (n = {n})")
    return i0


def _exact_string(num, den) -> str:
    """``num/den`` through python-flint (fast for numbers of 10^5 digits and more)."""
    return str(num) if den == 1 else f"{num}/{den}"


def _decimal(num, den, digits: int):
    import mpmath

    from ..evaluate import ratio_to_mpf

    with mpmath.workdps(digits + 10):
        return ratio_to_mpf(num, den)


def _radius_up(b) -> str:
    """An upper bound of the radius of ``b`` with 3 significant digits."""
    from fractions import Fraction

    r = b.rad()
    if r == 0:
        return "0"
    man, exp = r.mid().man_exp()
    q = Fraction(int(man)) * (Fraction(2) ** int(exp))
    # scientific notation, rounded up
    e10 = len(str(q.numerator)) - len(str(q.denominator))
    while Fraction(10) ** e10 > q:
        e10 -= 1
    while Fraction(10) ** (e10 + 1) <= q:
        e10 += 1
    scaled = q / Fraction(10) ** (e10 - 2)
    m = -((-scaled.numerator) // scaled.denominator)  # ceiling
    if m >= 1000:
        m, e10 = -((-m) // 10), e10 + 1
    s = str(m)
    return f"{s[0]}.{s[1:]}e{e10}"


# --------------------------------------------------------------------------- bernoulli


def run_bernoulli(args):
    from fractions import Fraction

    from ..errors import InputError
    from ..output import Table

    n = args.n
    i0 = _start_state(args)
    ks = args.k
    quants = list(_QUANTS) + (["het"] if args.het else [])
    params = {"n": n, "i0": i0, "p0": Fraction(i0, n), "mode": args.mode}
    if args.eventual and args.mode != "exact":
        raise InputError("--eventual needs --mode exact")
    if args.mode == "exact":
        from ..markov import absorption_exact_values, eventual_absorption

        ev = absorption_exact_values(n, i0, ks, het=args.het, route=args.route,
                                     max_seconds=args.max_seconds)
        params["route"] = ev.route
        # decimals first: the exact rationals can run to 10^5 digits and more
        cols = ["k"] + [f"{name}_decimal" for name in quants] + quants
        rows = []
        for idx, k in enumerate(ev.ks):
            row: dict = {"k": k}
            for name in quants:
                num, den = ev.parts(name, idx)
                row[name] = _exact_string(num, den)
                row[f"{name}_decimal"] = _decimal(num, den, args.digits)
            rows.append(row)
        notes = ["exact rationals; p_alive is the transient mass (the spectral terms of "
                 "the eigenvalues lambda_j < 1)"]
        if args.eventual:
            z, o = eventual_absorption(n, i0)
            row = {"k": "inf"}
            for name, val in (("p_zero", z), ("p_full", o), ("p_alive", Fraction(0)),
                              ("het", Fraction(0))):
                if name in quants:
                    row[name] = _exact_string(val.numerator, val.denominator)
                    row[f"{name}_decimal"] = _decimal(val.numerator, val.denominator,
                                                      args.digits)
            rows.append(row)
            notes.append("k = inf: eventual absorption from the exact fundamental matrix "
                          "(I - Q)^-1 R (result absorption: 1 - p0 and p0)")
        return Table("exact bernoulli", params, cols, rows, notes, digits=args.digits)
    if args.mode == "certified":
        from ..markov import absorption_certified

        res = absorption_certified(n, i0, ks, args.digits, het=args.het, route=args.route,
                                   max_seconds=args.max_seconds)
        params.update({"digits": args.digits, "route": res.route, "prec": res.prec})
        cols = ["k"]
        for name in quants:
            cols += [name, f"{name}_radius"]
        rows = []
        for idx, k in enumerate(res.ks):
            row = {"k": k}
            for name in quants:
                bl = res.values[name][idx]
                row[name] = "0" if (bl.rad() == 0 and bl == 0) else bl.str(args.digits,
                                                                            radius=False)
                row[f"{name}_radius"] = _radius_up(bl)
            rows.append(row)
        notes = [f"Arb balls ({res.route}, {res.prec}-bit working precision); each value shows "
                 "only certified digits (correct to +-1 in the last digit), *_radius bounds "
                 "the ball"]
        if res.uncertified:
            short = ", ".join(f"{q}(k={k}): {d} digits" for q, k, d in res.uncertified[:6])
            more = len(res.uncertified) - 6
            notes.append(f"NOT certified to {args.digits} digits at the largest precision "
                         f"tried ({res.prec} bits): {short}" + (f" and {more} more" if more > 0
                                                               else ""))
        return Table("exact bernoulli", params, cols, rows, notes, digits=args.digits)
    from ..markov import absorption_float

    if args.digits > 17:
        raise InputError(f"digits = {args.digits} is outside the allowed range [1, 17] for "
                         "--mode float (float64 carries ~17 significant digits; use --mode "
                         "certified for more)")
    res = absorption_float(n, i0, ks, het=args.het)
    d = args.digits
    rows = []
    for idx, k in enumerate(res.ks):
        row = {"k": k}
        for name in quants:
            row[name] = format(res.values[name][idx], f".{d}g")
        rows.append(row)
    notes = ["float64 (numpy) iteration; p_alive summed directly over the transient states"]
    notes += res.notes
    return Table("exact bernoulli", params, ["k", *quants], rows, notes, digits=d)


# --------------------------------------------------------------------------- poisson


def run_poisson(args):
    from flint import arb, ctx

    from ..arb_eval import arb_lambdify
    from ..evaluate import evaluate
    from ..galton_watson import gw_extinction
    from ..output import Table
    from ..registry import get
    from ..symbols import k as K_
    from ..symbols import lambda0, n

    c = args.count
    res = gw_extinction(c, args.k, args.digits, max_states=args.max_states,
                        max_seconds=args.max_seconds)
    # theorem2: Pr(Lambda_k != 0) = 1 - exp(-n lambda0 g_k) exactly; Pr(N_k = 0) = 1 - that
    extinct = 1 - get("theorem2").parts["exact"]
    enclose = arb_lambdify(extinct, [n, lambda0, K_])
    rows = []
    old = ctx.prec
    try:
        ctx.prec = res.prec
        for idx, k in enumerate(res.ks):
            enc = res.enclosure(idx)
            row = {"k": k}
            row["p_zero"] = "1" if (enc.rad() == 0 and enc == 1) else (
                "0" if (enc.rad() == 0 and enc == 0) else enc.str(args.digits, radius=False))
            row["p_zero_radius"] = _radius_up(enc)
            row["truncation_bound"] = _radius_up(arb(0, res.bound_upper(idx)))
            if c == 0 or k == 0:
                row["theorem2"] = "1" if c == 0 else "0"
                exact_ball = arb(1 if c == 0 else 0)
            else:
                row["theorem2"] = evaluate(extinct, {"n": c, "lambda0": 1, "k": k},
                                           args.digits)
                exact_ball = enclose(c, 1, k)
            if enc.contains(exact_ball):
                row["agrees"] = "yes"
            elif not enc.overlaps(exact_ball):
                row["agrees"] = "NO"
            else:
                row["agrees"] = "undecided"
            rows.append(row)
    finally:
        ctx.prec = old
    params = {"count": c, "states": res.states + 1, "digits": args.digits}
    notes = [f"truncated chain on 0..{res.states} (Arb, {res.prec} bits): p_zero encloses "
             "Pr(N_k = 0) in [L_k, L_k + delta_k], L_k from the paths inside the truncation, "
             "delta_k (truncation_bound) the mass that left it",
             "theorem2 = exp(-C g_k) from the registry; agrees = its Arb enclosure lies inside "
             "the truncated-chain enclosure"]
    if not res.met:
        worst = max(float(b.upper()) for b in res.bound)
        notes.append(f"the truncation bound reaches {worst:.2e} > 10^-{args.digits} with "
                     f"{res.states + 1} states: raise --max-states (<= 2500) or use fewer "
                     "generations")
    cols = ["k", "p_zero", "p_zero_radius", "truncation_bound", "theorem2", "agrees"]
    return Table("exact poisson", params, cols, rows, notes, digits=args.digits)


# --------------------------------------------------------------------------- check


def run_check(args):
    from .. import limits
    from ..errors import InputError
    from ..markov import CHECKED_RESULTS, check_chain, check_chain_seconds
    from ..output import Table

    ids = args.result or list(CHECKED_RESULTS)
    for rid in ids:
        if rid not in CHECKED_RESULTS:
            raise InputError(f"result {rid!r} is not one of {', '.join(CHECKED_RESULTS)}")
    secs = sum(check_chain_seconds(rid, args.n_max, args.k_max) for rid in ids)
    limits.require(secs, f"checking {', '.join(ids)} for n <= {args.n_max}, k <= "
                   f"{args.k_max}", "use a smaller --n-max or --k-max, or fewer results "
                   "(--result ID)")
    rows, notes = [], []
    worst = 0
    for rid in ids:
        with limits.phase(f"the check of {rid}"):
            rep = check_chain(rid, args.n_max, args.k_max)
        if rep.violation is not None and rep.violation.decided:
            status, worst = "FAILED", 1
        elif rep.undecided:
            status = "UNDECIDED"
        else:
            # exact rational comparisons only: EXACT; some via Arb enclosures: PROVED
            status = "EXACT" if rep.by_enclosure == 0 else "PROVED"
        rows.append({
            "result": rid, "status": status, "sides": ",".join(rep.sides),
            "cases": rep.cases, "comparisons": rep.comparisons, "by_exact": rep.by_exact,
            "by_enclosure": rep.by_enclosure, "undecided": len(rep.undecided),
            "first_violation": str(rep.violation) if rep.violation is not None else "-",
            "seconds": f"{rep.seconds:.1f}",
        })
        notes.append(rep.description())
    args.exit_code = worst
    cols = ["result", "status", "sides", "cases", "comparisons", "by_exact", "by_enclosure",
            "undecided", "first_violation", "seconds"]
    return Table("exact check", {"n_max": args.n_max, "k_max": args.k_max}, cols, rows,
                 notes)

