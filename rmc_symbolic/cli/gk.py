"""``rmc gk``: g_k with the bounds of lemma2 and lemma2_sharp."""

from __future__ import annotations

from .common import add_common, add_klist


def register(sub) -> None:
    p = sub.add_parser(
        "gk", help="g_k and its bounds (lemma2, lemma2_sharp)",
        description="g_k = g^k(+inf), g(x) = 1 - e^{-x} (eq2), beside 1/k <= g_k <= 3/k "
        "(lemma2) and 2/(k+1+ln(k)/3) <= g_k <= 2/(k+1) (lemma2_sharp). g_k is computed by "
        "Arb ball iteration at the working precision plus guard bits.",
    )
    add_klist(p)
    add_common(p)
    p.set_defaults(func=run)


def run(args):
    from .. import limits
    from ..evaluate import evaluate
    from ..iterated_map import ABEL_MAX_DPS, ABEL_MIN_K, gk_values
    from ..output import Table
    from ..registry import get

    ks = args.k
    lemma2, sharp = get("lemma2"), get("lemma2_sharp")
    # g_k by one pass of the iteration for the ks it serves (its cost is estimated inside);
    # the others, one Abel-function jump each, row by row
    iterated = [k_ for k_ in ks if k_ < ABEL_MIN_K or args.dps > ABEL_MAX_DPS]
    with limits.phase("g_k by iteration"):
        known = dict(zip(iterated, gk_values(iterated, args.dps), strict=True))

    def row(k_):
        pt = {"k": k_}
        v = known[k_] if k_ in known else gk_values([k_], args.dps)[0]
        return {
            "k": k_, "g_k": v,
            "lemma2_lower": evaluate(lemma2.parts["lower"], pt, args.dps),
            "lemma2_upper": evaluate(lemma2.parts["upper"], pt, args.dps),
            "sharp_lower": evaluate(sharp.parts["lower"], pt, args.dps),
            "sharp_upper": evaluate(sharp.parts["upper"], pt, args.dps),
        }

    rows = limits.rows(ks, row, what="rows", desc="rmc gk", digits=args.dps,
                       cheaper="use fewer k (a step: --k A:B:STEP) or fewer digits (--dps)")
    cols = ["k", "g_k", "lemma2_lower", "lemma2_upper", "sharp_lower", "sharp_upper"]
    return Table("gk", {}, cols, rows, digits=args.dps)
