"""``rmc show``: look up results of the registry by id."""

from __future__ import annotations

from .common import add_common


def register(sub) -> None:
    p = sub.add_parser(
        "show", help="show results of the registry (formulas, statements, domain, provenance)",
        description="Show registered results: id, provenance, description, domain, the SymPy "
        "expressions of their parts and their statements. Without ID, list every result.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="result ids (default: all, listed)")
    add_common(p, dps=False)
    p.set_defaults(func=run)


def run(args):
    from ..output import Table
    from ..registry import PROVENANCE, all_results, get

    if not args.ids:
        rows = [{"id": r.id, "provenance": r.provenance, "section": r.section,
                 "description": r.description} for r in all_results()]
        return Table("show", {}, ["id", "provenance", "section", "description"], rows)
    rows = []
    for rid in args.ids:
        r = get(rid)
        base = {"id": r.id, "provenance": f"[{r.provenance}] {PROVENANCE[r.provenance]}"}
        rows.append({**base, "kind": "description", "name": "", "value": r.description})
        rows.append({**base, "kind": "domain", "name": "", "value": r.domain.text})
        for name, e in r.parts.items():
            rows.append({**base, "kind": "part", "name": name, "value": str(e)})
        for name, s in r.statements.items():
            rows.append({**base, "kind": "statement", "name": name, "value": str(s)})
        if r.notes:
            rows.append({**base, "kind": "notes", "name": "", "value": r.notes})
    if args.json:
        return Table("show", {"ids": ",".join(args.ids)},
                     ["id", "provenance", "kind", "name", "value"], rows)
    return _Text(rows)


class _Text:
    """Human layout of ``rmc show ID``: one block per result (a Table-like object)."""

    def __init__(self, rows):
        self.rows = rows

    def to_text(self) -> str:
        out, last = [], None
        for r in self.rows:
            if r["id"] != last:
                if last is not None:
                    out.append("")
                out.append(f"{r['id']}  {r['provenance']}")
                last = r["id"]
            label = r["kind"] + (f" {r['name']}" if r["name"] else "")
            out.append(f"  {label:<24} {r['value']}")
        return "\n".join(out)

    def to_json_obj(self) -> dict:  # pragma: no cover - --json uses Table
        return {"command": "show", "params": {}, "rows": self.rows}
