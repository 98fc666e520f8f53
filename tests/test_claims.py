"""proofs_check.claims: every registered paper claim's status, the API, and the claims'
invariants (statuses say exactly what was established)."""

from __future__ import annotations

import importlib.util

import pytest

import rmc_symbolic
from proofs_check import Report, Status
from proofs_check import claims as C
from proofs_check.claims.bernoulli import NEEDS_MARKOV
from rmc_symbolic.errors import InputError

HAS_MARKOV = importlib.util.find_spec("rmc_symbolic.markov") is not None


def expected_status(cid: str) -> Status:
    if cid in NEEDS_MARKOV and not HAS_MARKOV:
        return Status.UNDECIDED
    return C.expected(cid)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {r.claim: r for r in C.check_all()}


#: the claim ids the issue names, with the status this implementation must establish
ISSUE_CLAIMS = {
    "lemma1.lower": Status.PROVED, "lemma1.upper": Status.PROVED,
    "lemma2.lower": Status.PROVED, "lemma2.upper": Status.PROVED,
    "lemma2_sharp.lower": Status.PROVED, "lemma2_sharp.upper": Status.PROVED,
    "lemma3.identity": Status.EXACT, "lemma3.upper": Status.PROVED,
    "lemma3.g_le_min": Status.PROVED,
    "lemma4.lower": Status.PROVED, "lemma4.lower2": Status.EXACT,
    "lemma4.sum_g2": Status.PROVED,
    # PROVED, citing textbook facts (tower property, bounded convergence, Markov's
    # inequality, log-convexity of Gamma, ...): machine-checked except the cited facts
    "theorem1": Status.PROVED, "theorem1_ext": Status.PROVED, "seddik": Status.PROVED,
    "absorption": Status.PROVED, "wf_heterozygosity": Status.PROVED,
    "theorem2": Status.PROVED, "corollary2": Status.PROVED,
    "gamma_moment.chi2_moment": Status.EXACT,
    "eq3.expected_sigma": Status.PROVED, "eq3.r_lt_1": Status.PROVED,
    "eq3.markov": Status.PROVED,
    "eq15.gurland": Status.PROVED, "eq15.r_sqrt": Status.PROVED, "eq15.sqrt_exp": Status.PROVED,
    "theorem3": Status.PROVED,
    "lemma7.validity": Status.EXACT, "lemma7.shape": Status.EXACT,
    "lemma7.moment": Status.EXACT,
    "theorem4": Status.STATISTICAL,
}


def test_issue_claims_registered_with_expected_status():
    for cid, st in ISSUE_CLAIMS.items():
        assert cid in C.CLAIMS, cid
        assert C.expected(cid) is st, cid


@pytest.mark.parametrize("cid", list(C.CLAIMS))
def test_claim_status(cid, reports):
    rep = reports[cid]
    assert rep.status is expected_status(cid), (cid, rep.status, rep.method, rep.detail)


@pytest.mark.parametrize("cid", list(C.CLAIMS))
def test_report_fields(cid, reports):
    rep = reports[cid]
    spec = C.CLAIMS[cid]
    assert rep.claim == cid and rep.statement == spec.text
    assert rep.method and rep.domain
    assert rep.reconstructed is (rmc_symbolic.get(spec.result_id).provenance == "R")
    if rep.reconstructed:
        assert "reconstructed" in rep.detail.lower()
    if rep.status in (Status.EXACT, Status.PROVED):
        # a proof rests on established steps only; cross-checks are at least sampled
        assert rep.steps, cid
        for st in rep.steps:
            assert st.status in (Status.EXACT, Status.PROVED, Status.CITED), (cid, st.name)
        for st in rep.cross_checks:
            assert st.status in (Status.EXACT, Status.PROVED, Status.CHECKED), (cid, st.name)
        assert "nothing" not in rep.domain
    if rep.status is Status.FAILED:
        assert rep.counterexample


def test_every_registry_statement_has_a_claim():
    covered = set()
    for spec in C.CLAIMS.values():
        r = rmc_symbolic.get(spec.result_id)
        covered.update((spec.result_id, s) for s in (spec.statements or r.statements))
    for r in rmc_symbolic.all_results():
        for s in r.statements:
            if (r.id, s) == ("eq2", "recursion"):
                continue  # a definition
            assert (r.id, s) in covered, (r.id, s)


def test_ids_for_and_check_all_selection(reports):
    assert C.ids_for("lemma2") == ["lemma2.lower", "lemma2.upper"]
    assert C.ids_for("theorem1") == ["theorem1"]
    assert C.ids_for("eq2") == []
    got = [r.claim for r in C.check_all(["lemma2_sharp", "eq15.gurland", "eq2"])]
    assert got == ["lemma2_sharp.lower", "lemma2_sharp.upper", "eq15.gurland"]
    for bad in ("nope", "lemma2.nope"):
        with pytest.raises(InputError):
            C.check_all([bad])
    with pytest.raises(InputError):
        C.check("lemma2")  # a result id, not a claim id
    with pytest.raises(InputError):
        C.ids_for("nope")


def test_order_follows_results_md():
    order = {rid: i for i, rid in enumerate(rmc_symbolic.ids())}
    pos = [order[C.CLAIMS[c].result_id] for c in C.CLAIMS]
    assert pos == sorted(pos)


def test_timeout_gives_undecided(monkeypatch, reports):
    monkeypatch.setattr(C, "_CACHE", {})
    rep = C.check("lemma2_sharp.lower", timeout=1e-9)
    assert rep.status is Status.UNDECIDED and "time limit" in rep.detail
    with pytest.raises(InputError):
        C.check("lemma2.lower", timeout=0)


def test_json_round_trip(reports):
    import json

    for rep in reports.values():
        d = json.loads(json.dumps(rep.to_json()))
        assert d["status"] == str(rep.status)


def test_specific_contents(reports):
    s = reports["lemma4.sum_g2"]
    assert "2.417" in s.detail and "pi" in s.detail
    g = reports["eq15.gurland"]
    assert g.domain == "every real x > 0"
    assert any("Arb cross-check" in p.name and p.status is Status.PROVED
               for p in g.cross_checks)
    t4 = reports["theorem4"]
    assert "confidence" in t4.method and "n = 10" in t4.domain
    l2 = reports["lemma2_sharp.lower"]
    assert "every integer k >= 1" in l2.domain
    if not HAS_MARKOV:
        assert "not available" in reports["theorem1"].steps[-1].method


@pytest.mark.slow
def test_gurland_certified_on_the_issue_domain():
    """eq15 in log form certified by Arb branch-and-bound on x in (0, 10^6] (the issue's
    domain; the claim itself is proved symbolically for every x > 0)."""
    from proofs_check.claims._tools import certify_positive
    from proofs_check.claims.gaussian import _gurland_log_form
    from rmc_symbolic.symbols import x

    c = certify_positive(_gurland_log_form(), x, 0, 10**6, taylor_order=4)
    assert c.status is Status.PROVED
