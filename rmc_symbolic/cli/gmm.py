"""``rmc gmm``: theorem4's bound on Pr(Sigma_k > eps) for the symmetric Gaussian mixture
beside simulation with both estimators; ``rmc gmm fit``: both estimates for one sample set
(lemma6 joint ML, lemma7 approximate ML)."""

from __future__ import annotations

from .common import (
    OneLineParser,
    add_common,
    add_klist,
    add_mc,
    add_n,
    exact_type,
)


def register(sub) -> None:
    p = sub.add_parser(
        "gmm", help="Gaussian mixture: theorem4 vs simulation; 'gmm fit' estimates "
        "(lemma6, lemma7)",
        description="Recursive training of the mixture 1/2 N(mu, sigma^2) + 1/2 N(-mu, "
        "sigma^2) from (mu0, sigma0). Columns: theorem4 = (sigma0/eps) exp(-k/(4n)), a bound "
        "on Pr(Sigma_k > eps) for the approximate joint ML estimator (Algorithm 1, lemma7); "
        "with --mc T: mc, mc_lo, mc_hi = the fraction of T simulated trajectories with Sigma_k "
        "> eps (95% Wilson interval) for that estimator, and mc_joint* for the joint ML "
        "estimator (lemma6). 'rmc gmm fit --samples FILE' estimates (mu, sigma^2) from one "
        "sample set with both estimators.",
    )
    add_n(p, lo=2, required=False)
    p.add_argument("--mu0", type=exact_type("mu0", 0), default=None,
                   help="initial mixture mean (>= 0), exact")
    p.add_argument("--sigma0", type=exact_type("sigma0", 0, None, lo_open=True), default=None,
                   help="initial standard deviation (> 0), exact")
    p.add_argument("--eps", type=exact_type("eps", 0, None, lo_open=True), default=None,
                   help="collapse threshold (> 0), exact: 0.1 means 1/10")
    add_klist(p, required=False)
    p.add_argument("--estimator", choices=("approx", "joint", "both"), default="both",
                   help="which estimator(s) --mc simulates (default both)")
    p.add_argument("--eta", type=exact_type("eta", 1, None, lo_open=True), default=None,
                   help="Algorithm 1's parameter eta > 1 (default 2)")
    add_mc(p)
    add_common(p)
    p.set_defaults(func=run)
    fit_sub = p.add_subparsers(dest="gmm_action", metavar="ACTION",
                               parser_class=OneLineParser)
    f = fit_sub.add_parser(
        "fit", help="joint ML and approximate ML estimates from one sample set",
        description="Estimate (mu, sigma^2) of the symmetric mixture from the samples in FILE "
        "(numbers separated by spaces, commas or newlines; '#' starts a comment; at least 2): "
        "joint ML (lemma6: eq. 19 solved by bracketing; the stationary point of largest "
        "likelihood) and approximate joint ML (lemma7, Algorithm 1).",
    )
    f.add_argument("--samples", required=True, metavar="FILE", help="the sample file")
    f.add_argument("--eta", type=exact_type("eta", 1, None, lo_open=True), default=None,
                   help="Algorithm 1's parameter eta > 1 (default 2)")
    add_common(f)
    f.set_defaults(func=run_fit)


def _eta(args):
    from fractions import Fraction

    return args.eta if args.eta is not None else Fraction(2)


def run(args):
    from ..errors import InputError
    from ..evaluate import evaluate
    from ..output import Table
    from ..registry import get

    missing = [o for o in ("n", "mu0", "sigma0", "eps", "k") if getattr(args, o) is None]
    if missing:
        raise InputError("missing " + ", ".join(f"--{o}" for o in missing)
                         + " (or use 'rmc gmm fit --samples FILE')")
    from .. import limits
    from ..simulate import require_mc

    t4 = get("theorem4")
    params = {"n": args.n, "mu0": args.mu0, "sigma0": args.sigma0, "eps": args.eps}
    ests = ["approx", "joint"] if args.estimator == "both" else [args.estimator]
    plan = []
    if args.mc is not None:
        secs = sum(require_mc("gmm", {**params, "estimator": est}, args.k, args.mc)
                   for est in ests)
        limits.require(secs, f"the Monte Carlo simulation (--mc {args.mc}, "
                       f"{' and '.join(ests)})", "use fewer trajectories (--mc), fewer "
                       "generations or one estimator (--estimator approx)")
        plan.append((secs, f"the Monte Carlo simulation (--mc {args.mc})",
                     "use fewer trajectories (--mc), fewer generations or one estimator "
                     "(--estimator approx)"))
    rows = limits.rows(
        args.k, lambda k_: {"k": k_, "theorem4": evaluate(t4.parts["upper"],
                                                          {**params, "k": k_}, args.dps)},
        what="rows", cheaper="use fewer k (a step: --k A:B:STEP) or fewer digits (--dps)",
        desc="rmc gmm", extra=plan, digits=args.dps)
    shown = dict(params)
    if args.eta is not None:
        shown["eta"] = args.eta
    table = Table("gmm", shown, ["k", "theorem4"], rows, digits=args.dps)
    if args.mc is not None:
        import sys

        from ..mixture_ml import simulate_sigma_exceeds

        progress = (not args.json) and sys.stderr.isatty()
        for est in ests:
            with limits.phase(f"the Monte Carlo simulation ({est})"):
                res = simulate_sigma_exceeds(args.n, args.mu0, args.sigma0, args.eps,
                                             args.k, args.mc, args.seed, est, progress,
                                             eta=_eta(args))
            prefix = "mc" if est == "approx" else "mc_joint"
            for key in ("mc", "mc_lo", "mc_hi"):
                table.add_column(prefix + key[2:], res[key])
        table.notes.append("mc* = fraction of trajectories with Sigma_k > eps (approximate ML, "
                           "the estimator of theorem4); mc_joint* = the same for joint ML; "
                           "95% Wilson intervals")
    return table


def run_fit(args):
    import mpmath

    from .. import limits
    from ..mixture_ml import approx_ml, joint_ml, joint_ml_seconds, read_samples, sample_stats
    from ..output import Table

    ys = read_samples(args.samples)
    limits.require(joint_ml_seconds(len(ys), args.dps + 5), f"the joint ML estimate of "
                   f"{len(ys)} samples at {args.dps} digits", "use fewer samples or fewer "
                   "digits (--dps)")
    m1, m2, m4 = sample_stats(ys)
    j = joint_ml(ys, dps=args.dps + 5)
    ap = approx_ml(ys, _eta(args), dps=args.dps + 5)
    with mpmath.workdps(args.dps + 5):
        rows = [
            {"estimator": "joint_ml", "mu": j.mu, "sigma2": j.sigma2,
             "sigma": mpmath.sqrt(j.sigma2), "detail": j.status
             + (f"; alpha = {mpmath.nstr(j.alpha, args.dps)}" if j.alpha is not None else "")},
            {"estimator": "approx_ml", "mu": ap.mu, "sigma2": ap.sigma2,
             "sigma": mpmath.sqrt(ap.sigma2),
             "detail": f"a = {mpmath.nstr(ap.a, args.dps)} ({ap.a_branch}), kappa = "
             f"{mpmath.nstr(ap.kappa, args.dps)}, branch {ap.branch}"},
        ]
    notes = []
    if j.status == "unbounded":
        notes.append("all |y_i| are equal: the mixture likelihood is unbounded (mu = |y|, "
                     "sigma -> 0), so there is no joint ML estimate; the row shows the limit")
    elif j.status == "degenerate":
        notes.append("all samples are 0: mu = sigma = 0")
    if len(j.roots) > 1:
        notes.append("eq. 19 has several roots (alpha = " + ", ".join(
            mpmath.nstr(r, 8) for r in j.roots) + "); the row is the one of largest likelihood")
    if j.status == "no_finite_root":
        notes.append("eq. 19 has no finite root of larger likelihood than mu = 0: "
                     "mu = 0, sigma^2 = m2" + (f" (roots: {len(j.roots)})" if j.roots else ""))
    params = {"n": len(ys), "m1": m1, "m2": m2, "m4": m4}
    return Table("gmm fit", params, ["estimator", "mu", "sigma2", "sigma", "detail"], rows,
                 notes=notes, digits=args.dps)
