"""``rmc verify``: check the paper's registered claims, or the user's own claim.

``rmc verify [ID ...]`` runs the registered claims (:mod:`proofs_check.claims`; an ID is a
claim id such as ``lemma2_sharp.upper`` or a result id such as ``lemma2``).
``rmc verify --claim "..." --var x=0:1 --int n=1:200 [--timeout S]`` checks a claim of the
user's (:func:`proofs_check.verify`). Table columns: id, statement, method, domain, status,
time. Exit code 1 when a claim FAILED, 0 otherwise; bad input: one line, exit 2.
"""

from __future__ import annotations

import json
import sys

from .common import InputError, add_common

_STATUS_HELP = ("statuses: EXACT (symbolic/exact arithmetic), PROVED (rigorous Arb enclosures "
                "over the whole domain, or every step machine-checked; 'PROVED, citing X' = "
                "every step but the named textbook facts X), CHECKED (sampling found no "
                "counterexample: not a proof), STATISTICAL, FAILED (a counterexample "
                "re-verified with Arb), UNDECIDED")


def _range_arg(kind: str):
    def parse(text: str):
        import argparse

        name, sep, rng = text.partition("=")
        name = name.strip()
        if not sep or not name or not rng.strip():
            raise argparse.ArgumentTypeError(
                f"{kind}: write NAME=LO:HI (e.g. x=0:1, n=1:200, x=-0.99:1000), got {text!r}")
        return (name, rng.strip())

    parse.__name__ = kind
    return parse


def register(sub) -> None:
    p = sub.add_parser(
        "verify", help="check the paper's claims by machine, or your own claim (--claim)",
        description="Check the registered claims of the paper (all, or those named by ID: a "
        "claim id such as lemma2_sharp.upper or a result id such as lemma2), or your own "
        "claim with --claim. Claims use numbers (0.01 is exactly 1/100; 2501/10000), the "
        "variables of --var/--int, + - * / **, the relations <= < >= > == (chained), pi, E, "
        "exp log sqrt gamma loggamma tanh cosh sinh sin cos atan, and g(k) = g_k. "
        "Methods, strongest first: symbolic (SymPy), rigorous Arb branch-and-bound (with "
        "tight-point certificates), sampling (Hypothesis, mpmath 50 digits). "
        + _STATUS_HELP + ". Exit code 1 when a claim FAILED.",
        epilog='example: rmc verify --claim "exp(-n*x)*(1-n*x**2) <= (1-x)**n" --var x=0:1 '
        "--int n=1:200",
    )
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="registered claim ids or result ids (default: all)")
    p.add_argument("--claim", default=None, metavar="TEXT",
                   help='your claim, e.g. "2*x/(2+x) <= log(1+x)"')
    p.add_argument("--var", action="append", default=[], type=_range_arg("--var"),
                   metavar="NAME=LO:HI", help="a real variable and its range (repeatable); "
                   "ends may be negative, decimal or rational: x=-0.99:1000")
    p.add_argument("--int", action="append", default=[], type=_range_arg("--int"),
                   metavar="NAME=LO:HI", help="an integer variable and its range "
                   "(repeatable): n=1:200")
    p.add_argument("--timeout", default=None, metavar="S",
                   help="seconds, at most 10^6: for --claim the whole check, every phase "
                   "included (default 120; the run ends within S + 2 s), for registered "
                   "claims each claim (default: none)")
    add_common(p, dps=False)
    p.set_defaults(func=run)


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _row(rep, claim_id: str | None = None) -> dict:
    return {
        "id": claim_id or rep.claim,
        "statement": _short(rep.statement, 60),
        "method": _short(rep.method, 70),
        "domain": _short(rep.domain, 50),
        "status": rep.label(references=False) + (" (reconstructed)" if rep.reconstructed
                                                 else ""),
        "time": f"{rep.seconds:.2f}s",
    }


def run(args):
    from ..output import Table

    if args.claim is None:
        if args.var or args.int:
            raise InputError("--var/--int need --claim")
        return _run_registered(args, Table)
    if args.ids:
        raise InputError("give either claim/result IDs or --claim, not both")
    return _run_user(args, Table)


def _run_user(args, Table):
    from proofs_check.status import Status
    from proofs_check.verify import verify

    vars_: dict[str, str] = {}
    ints: dict[str, str] = {}
    for store, items, kind in ((vars_, args.var, "--var"), (ints, args.int, "--int")):
        for name, rng in items:
            if name in vars_ or name in ints:
                raise InputError(f"{kind} {name}: variable declared twice")
            store[name] = rng
    rep = verify(args.claim, vars=vars_, ints=ints, timeout=args.timeout)
    if rep.status is Status.FAILED:
        args.exit_code = 1
    if args.json:
        obj = {"command": "verify", "params": {"claim": args.claim, "var": vars_,
                                               "int": ints}}
        obj.update(rep.to_json())
        obj["rows"] = [dict(_row(rep, "claim"), counterexample=rep.counterexample,
                            margin=rep.margin)]
        json.dump(obj, sys.stdout)
        sys.stdout.write("\n")
        return None
    notes = []
    if rep.counterexample is not None:
        pt = ", ".join(f"{k} = {v}" for k, v in rep.counterexample.items())
        notes.append(f"counterexample: {pt}; rhs - lhs there = {rep.margin}")
    elif rep.margin is not None:
        notes.append(f"margin: {rep.margin} (certified lower bound)")
    notes.append(f"method: {rep.method}")
    if rep.detail:
        notes.append(rep.detail)
    params = {"claim": args.claim}
    return Table("verify", params, ["id", "statement", "method", "domain", "status", "time"],
                 [_row(rep, "claim")], notes=notes)


def _run_registered(args, Table):
    try:
        from proofs_check import claims
    except ImportError:  # pragma: no cover - the claims package ships with rmc
        raise InputError("the registered claims (proofs_check.claims) are not available") \
            from None
    from proofs_check.status import Status
    from proofs_check.verify import parse_timeout

    progress = (not args.json) and sys.stderr.isatty()
    timeout = None if args.timeout is None else parse_timeout(args.timeout)
    reports = claims.check_all(args.ids or None, progress=progress, timeout=timeout)
    if any(r.status is Status.FAILED for r in reports):
        args.exit_code = 1
    if args.json:
        rows = []
        for r in reports:
            row = r.to_json()
            row["id"] = r.claim
            row["time"] = round(r.seconds, 3)
            rows.append(row)
        json.dump({"command": "verify", "params": {"ids": list(args.ids)}, "rows": rows},
                  sys.stdout)
        sys.stdout.write("\n")
        return None
    rows = [_row(r) for r in reports]
    notes = [f"{r.claim}: {r.label()}" for r in reports if r.cites]
    for r in reports:
        if r.status is Status.FAILED and r.counterexample:
            pt = ", ".join(f"{k} = {v}" for k, v in r.counterexample.items())
            notes.append(f"{r.claim} FAILED at {pt} (margin {r.margin})")
    counts: dict[str, int] = {}
    for r in reports:
        counts[str(r.status)] = counts.get(str(r.status), 0) + 1
    notes.append(", ".join(f"{k}: {v}" for k, v in counts.items()) + "; " + _STATUS_HELP)
    return Table("verify", {}, ["id", "statement", "method", "domain", "status", "time"],
                 rows, notes=notes)
