"""``rmc latex``: LaTeX of results, or a standalone document of all of them."""

from __future__ import annotations

from .common import add_common


def register(sub) -> None:
    p = sub.add_parser(
        "latex", help="LaTeX of results (from the SymPy expressions)",
        description="Print the LaTeX of the named results' statements (default: all), or with "
        "--document a standalone compilable LaTeX document of all results with provenance.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="result ids (default: all)")
    p.add_argument("--document", action="store_true",
                   help="a standalone LaTeX document (pdflatex-ready)")
    p.add_argument("--parts", action="store_true",
                   help="print every part and statement, not only the statement line")
    add_common(p, dps=False)
    p.set_defaults(func=run)


def run(args):
    import sys

    from .. import latex
    from ..output import Table
    from ..registry import all_results, get

    results = [get(i) for i in args.ids] if args.ids else all_results()
    if args.document:
        doc = latex.document(results)
        if args.json:
            return Table("latex", {"document": True}, ["latex"], [{"latex": doc}])
        sys.stdout.write(doc)
        return None
    rows = []
    for r in results:
        if args.parts:
            rows += [{"id": r.id, "name": k, "latex": v} for k, v in latex.result_latex(r).items()]
        else:
            rows.append({"id": r.id, "name": "statement", "latex": latex.statement_latex(r)})
    if args.json:
        return Table("latex", {"ids": ",".join(args.ids)}, ["id", "name", "latex"], rows)
    for row in rows:
        label = row["id"] if row["name"] == "statement" else f"{row['id']}.{row['name']}"
        sys.stdout.write(f"% {label}\n{row['latex']}\n")
    return None
