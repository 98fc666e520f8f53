"""``rmc poisson``: Theorem 2's exact Pr(Lambda_k != 0) and the bounds it inherits."""

from __future__ import annotations

from .common import add_common, add_klist, add_mc, add_n, exact_type, mc_columns, mc_plan

#: output column -> theorem2 part
COLUMNS = {
    "exact": "exact",
    "lemma2_lower": "lemma2_lower",
    "lemma2_upper": "lemma2_upper",
    "sharp_lower": "sharp_lower",
    "sharp_upper": "sharp_upper",
}


def register(sub) -> None:
    p = sub.add_parser(
        "poisson", help="Pr(Lambda_k != 0) exactly and its bounds (theorem2)",
        description="The Poisson recursion N_{k+1} ~ Poisson(N_k), N_k = n Lambda_k: "
        "Pr(Lambda_k != 0) = 1 - exp(-n lambda0 g_k) exactly (theorem2), beside the bounds "
        "obtained from lemma2 and lemma2_sharp.",
    )
    add_n(p)
    p.add_argument("--lambda0", type=exact_type("lambda0", 0, None, lo_open=True),
                   required=True, help="initial rate (> 0), exact: 0.5 means 1/2")
    add_klist(p)
    add_mc(p)
    add_common(p)
    p.set_defaults(func=run)


def run(args):
    from .. import limits
    from ..evaluate import evaluate
    from ..output import Table
    from ..registry import get

    t2 = get("theorem2")
    params = {"n": args.n, "lambda0": args.lambda0}
    plan = mc_plan("poisson", params, args.k, args)

    def row(k_):
        pt = {"n": args.n, "lambda0": args.lambda0, "k": k_}
        out = {"k": k_}
        out.update({c: evaluate(t2.parts[part], pt, args.dps) for c, part in COLUMNS.items()})
        return out

    rows = limits.rows(args.k, row, what="rows", desc="rmc poisson", extra=plan,
                       digits=args.dps, cheaper="use fewer k (a step: --k A:B:STEP) or "
                       "fewer digits (--dps)")
    table = Table("poisson", params, ["k", *COLUMNS], rows, digits=args.dps)
    mc = mc_columns("poisson", params, args.k, args)
    if mc:
        for name, values in mc.items():
            table.add_column(name, values)
    return table
