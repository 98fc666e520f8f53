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
    from ..evaluate import evaluate
    from ..iterated_map import gk_values
    from ..output import Table
    from ..registry import get

    ks = args.k
    lemma2, sharp = get("lemma2"), get("lemma2_sharp")
    values = gk_values(ks, args.dps)
    rows = []
    for k_, v in zip(ks, values, strict=True):
        pt = {"k": k_}
        rows.append({
            "k": k_, "g_k": v,
            "lemma2_lower": evaluate(lemma2.parts["lower"], pt, args.dps),
            "lemma2_upper": evaluate(lemma2.parts["upper"], pt, args.dps),
            "sharp_lower": evaluate(sharp.parts["lower"], pt, args.dps),
            "sharp_upper": evaluate(sharp.parts["upper"], pt, args.dps),
        })
    cols = ["k", "g_k", "lemma2_lower", "lemma2_upper", "sharp_lower", "sharp_upper"]
    return Table("gk", {}, cols, rows, digits=args.dps)
