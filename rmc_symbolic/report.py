"""The report: every result with its provenance, a sample evaluation at the paper's own
parameters, and its verification status (from :mod:`proofs_check`)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import sympy as sp

from .evaluate import evaluate
from .registry import Quantity, Result, all_results

__all__ = ["sample_evaluation", "verification_status", "status_text", "report_rows"]

SAMPLE_DIGITS = 6


def _pmf_for(sample: dict):
    if "zipf" not in sample:
        return None
    from .corpus import zipf_mandelbrot
    from .parsing import parse_exact, parse_int

    a, b, m = sample["zipf"].split(",")
    return zipf_mandelbrot(parse_exact(a), parse_exact(b), parse_int(m), 30)


def sample_evaluation(result: Result, dps: int = SAMPLE_DIGITS) -> tuple[str, str]:
    """``(point, values)``: the sample point (the paper's setting where it has one) and
    the values of the result's closed-form parts there."""
    import mpmath

    point = {k: v for k, v in result.sample.items() if k != "zipf"}
    pmf = _pmf_for(result.sample)
    from .symbols import PARAMS

    given = {PARAMS[k] for k in point if k in PARAMS}
    if pmf is not None:
        given.add(PARAMS["m"])  # the support size is the pmf's length
    values = []
    for name, e in result.parts.items():
        if isinstance(e, Quantity) or e.has(sp.oo):
            continue
        if e.has(sp.Indexed) and (pmf is None or any(
                ix.base.label.name != "p" for ix in e.atoms(sp.Indexed))):
            continue
        labels = {ix.base.label for ix in e.atoms(sp.Indexed)}
        free = {s for s in e.free_symbols if not isinstance(s, sp.Indexed)} - labels
        if free - given or not e.free_symbols - labels:
            continue
        try:
            v = evaluate(e, point, dps, pmf=pmf)
        except Exception:  # a part outside its domain at this point: not shown
            continue
        values.append(f"{name}={mpmath.nstr(v, dps)}")
    exact = _EXACT.get(result.id)
    if exact is not None:
        try:
            label, v = exact(result.sample, dps)
            values.append(f"{label}={mpmath.nstr(v, dps)}")
        except Exception:  # an exact method unavailable at this point: not shown
            pass
    where = ", ".join(f"{k}={v}" for k, v in result.sample.items())
    return where, "; ".join(values)


def _bernoulli_exact(which: str):
    def f(sample: dict, dps: int):
        from fractions import Fraction

        import mpmath

        from .markov import absorption_exact
        from .parsing import parse_exact

        n, p0, k = int(sample["n"]), parse_exact(str(sample["p0"])), int(sample["k"])
        ex = absorption_exact(n, int(p0 * n), [k])
        q = 1 - ex["p_zero"][0] if which == "alive" else ex["p_alive"][0]
        assert isinstance(q, Fraction)
        with mpmath.workdps(dps + 5):
            return (f"exact Pr({'P_k != 0' if which == 'alive' else 'P_k not in {0,1}'})",
                    mpmath.mpf(q.numerator) / q.denominator)

    return f


def _gaussian_exact(sample: dict, dps: int):
    from .gaussian_exact import tail_probability

    return ("exact Pr(Sigma_k > eps)",
            tail_probability(sample["n"], sample["sigma0"], sample["eps"], sample["k"],
                             dps).value)


#: the exact value beside a bound, at the sample point, where rmc can compute it
_EXACT = {
    "theorem1": _bernoulli_exact("alive"),
    "theorem1_ext": _bernoulli_exact("transient"),
    "seddik": _bernoulli_exact("transient"),
    "eq3": _gaussian_exact,
    "theorem3": _gaussian_exact,
}


def verification_status(ids: list[str], progress: bool = False) -> dict[str, list[dict]]:
    """``{result id: [{"claim", "status", "label", "domain", "method", "cites", "steps"},
    ...]}`` from :func:`proofs_check.claims.check_all`: what was established, on which
    domain, citing which textbook facts ("label": "PROVED, citing ..."); empty when the
    claims package is not available."""
    if importlib.util.find_spec("proofs_check.claims") is None:
        return {}
    from proofs_check import claims

    out: dict[str, list[dict]] = {}
    for rep in claims.check_all(ids, progress=progress):
        rid = claims.CLAIMS[rep.claim].result_id if rep.claim in claims.CLAIMS else rep.claim
        out.setdefault(rid, []).append({
            "claim": rep.claim, "status": str(rep.status), "label": rep.label(),
            "domain": rep.domain, "method": rep.method, "reconstructed": rep.reconstructed,
            "cites": [{"name": c.name, "reference": c.reference} for c in rep.cites],
            "steps": [{"name": st.name, "status": str(st.status), "method": st.method,
                       "reference": st.reference, "uses": st.uses} for st in rep.steps]})
    return out


def status_text(checks: list[dict]) -> str:
    """One line: each claim's status with the domain it covers, and the textbook facts it
    cites ("PROVED on every ..., citing tower property (Williams 1991, ...)")."""
    def one(c: dict) -> str:
        name = c["claim"].split(".", 1)[1] + ": " if "." in c["claim"] else ""
        cites = "; ".join(f"{f['name']} ({f['reference']})" for f in c.get("cites", []))
        return f"{name}{c['status']} on {c['domain']}" + (f", citing {cites}" if cites else "")

    return "; ".join(one(c) for c in checks)


def report_rows(verify: bool = True, progress: bool = False,
                on_result: Callable[[str], None] | None = None) -> list[dict]:
    """One row per result: id, provenance, description, sample point, values, status."""
    results = all_results()
    status = verification_status([r.id for r in results], progress) if verify else {}
    rows = []
    for r in results:
        if on_result:
            on_result(r.id)
        where, values = sample_evaluation(r)
        row = {"id": r.id, "provenance": r.provenance, "description": r.description,
               "sample_point": where, "sample_values": values}
        if verify:
            checks = status.get(r.id, [])
            row["status"] = status_text(checks) if checks else "no registered claim"
            row["checks"] = checks
        rows.append(row)
    return rows
