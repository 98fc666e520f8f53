"""``rmc report``: the main job — every result, a sample evaluation, its verification status."""

from __future__ import annotations

from .common import add_common


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="every result: provenance, sample evaluation, verification status",
        description="The main job: one table of every result of the paper (RESULTS.md ids) "
        "with its description, provenance ([A] authors' code, [D] derived, [R] reconstructed, "
        "[+] beyond the paper), its closed-form parts evaluated at the paper's own parameters, "
        "and the status that proofs_check established (EXACT, PROVED on a domain, CHECKED by "
        "sampling, STATISTICAL, FAILED, UNDECIDED).",
    )
    p.add_argument("--no-verify", action="store_true",
                   help="skip the verification column (fast)")
    add_common(p, dps=False)
    p.set_defaults(func=run)


def run(args):
    import sys

    from ..output import Table
    from ..report import report_rows

    progress = (not args.json) and sys.stderr.isatty()
    rows = report_rows(verify=not args.no_verify, progress=progress)
    cols = ["id", "provenance", "description", "sample_point", "sample_values"]
    if not args.no_verify:
        cols.append("status")
    if args.json:
        return Table("report", {}, cols, rows)
    return _Blocks(rows, cols)


class _Blocks:
    """The human report: one block per result (too wide for one table row)."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols

    def to_text(self) -> str:
        out = ["# rmc report: Suresh, Thangaraj, Khandavally, 'Rate of Model Collapse in "
               "Recursive Training' (AISTATS 2025)",
               "# provenance: [A] authors' code  [D] derived  [R] reconstructed  [+] beyond "
               "the paper", ""]
        for r in self.rows:
            out.append(f"{r['id']} [{r['provenance']}]  {r['description']}")
            if r["sample_values"]:
                out.append(f"    at {r['sample_point']}: {r['sample_values']}")
            if "status" in r:
                out.append(f"    status: {r['status']}")
        return "\n".join(out)
