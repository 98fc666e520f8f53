"""``rmc report``: the main job — every result, a sample evaluation, its verification status."""

from __future__ import annotations

from .common import add_common

#: the default time limit of ``rmc report`` (seconds)
REPORT_MAX_SECONDS = 600.0


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="every result: provenance, sample evaluation, verification status",
        description="The main job: one table of every result of the paper (RESULTS.md ids) "
        "with its description, provenance ([A] authors' code, [D] derived, [R] reconstructed, "
        "[+] beyond the paper), its closed-form parts evaluated at the paper's own parameters, "
        "and the status that proofs_check established (EXACT, PROVED on a domain — 'PROVED, "
        "citing X' when the argument takes textbook facts X as given — CHECKED by "
        "sampling, STATISTICAL, FAILED, UNDECIDED).",
    )
    p.add_argument("--no-verify", action="store_true",
                   help="skip the verification column (fast)")
    add_common(p, dps=False)
    # the checks of every claim take ~30 s (each has its own time limit): a roomy default
    p.set_defaults(func=run, time_limit=lambda args: REPORT_MAX_SECONDS)


def run(args):
    import sys

    from ..output import Table
    from ..report import report_rows

    progress = (not args.json) and sys.stderr.isatty()
    rows = report_rows(verify=not args.no_verify, progress=progress)
    cols = ["id", "provenance", "description", "sample_point", "sample_values"]
    if not args.no_verify:
        cols += ["status", "checks"]
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
               "the paper",
               "# status: EXACT (symbolic/exact arithmetic), PROVED (Arb enclosures cover the "
               "domain, or every step machine-checked; 'PROVED, citing X': every step but "
               "the named textbook facts X), CHECKED (sampled only), STATISTICAL "
               "(simulation), FAILED, UNDECIDED; each on the domain it covers", ""]
        for r in self.rows:
            rec = "  (reconstructed statement)" if r["provenance"] == "R" else ""
            out.append(f"{r['id']} [{r['provenance']}]  {r['description']}{rec}")
            if r["sample_values"]:
                out.append(f"    at {r['sample_point']}: {r['sample_values']}")
            for c in r.get("checks", []):
                name = c["claim"].split(".", 1)[1] if "." in c["claim"] else "statement"
                out.append(f"    {c['status']:<11} {name}: on {c['domain']}")
                if c.get("cites"):
                    out.append("                " + c.get("label", c["status"]))
            if "checks" in r and not r["checks"]:
                out.append("    (no registered claim: a definition or a formula)")
        return "\n".join(out)
