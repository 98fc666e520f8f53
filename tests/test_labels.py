"""Labels of the paper's claims (issue 9 §4): a claim's status is the weakest of its steps;
steps asserted rather than checked appear as explicit steps (a textbook fact as CITED,
with its reference), and the report says "PROVED, citing ..." instead of a bare EXACT;
no SymPy assumption query, evalf, nsimplify or float decides anything in the claims."""

from __future__ import annotations

import io
import pathlib
import re
import tokenize

import pytest
import sympy as sp

from proofs_check import Report, Status
from proofs_check import claims as C
from proofs_check.claims._cited import FACTS, SOURCES, cite
from proofs_check.claims._core import part, report
from proofs_check.claims._sign import NEG, NONNEG, NONPOS, NONZERO, POS, certify_sign, sign_of
from proofs_check.status import Step, combine

CLAIMS_DIR = pathlib.Path(C.__file__).parent


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {r.claim: r for r in C.check_all()}


def _step(rep: Report, name: str) -> Step:
    found = [st for st in rep.steps if st.name == name]
    assert len(found) == 1, (rep.claim, name, [st.name for st in rep.steps])
    return found[0]


# --------------------------------------------------------------- the four named cases


def test_theorem2_cites_tower_property_and_bounded_convergence(reports):
    rep = reports["theorem2"]
    tower = _step(rep, "tower property")
    bdd = _step(rep, "bounded convergence theorem")
    assert tower.status is Status.CITED and tower.reference == "Williams 1991, §9.7"
    assert bdd.status is Status.CITED and "Williams 1991" in bdd.reference
    # the induction's own algebra is checked, not cited
    assert _step(rep, "induction").status is Status.EXACT
    assert _step(rep, "Poisson Laplace transform").status is Status.EXACT
    assert rep.status is Status.PROVED  # no longer a bare EXACT
    assert rep.label().startswith("PROVED, citing tower property (Williams 1991, §9.7); "
                                  "bounded convergence theorem (Williams 1991, §6.2)")


def test_absorption_almost_sure_is_a_cited_step(reports):
    rep = reports["absorption"]
    a_s = _step(rep, "absorption of finite chains")
    assert a_s.status is Status.CITED and "Grinstead & Snell 1997" in a_s.reference
    # what rmc does check: the martingale identity and a positive one-step absorption
    # probability (by structure); the agreement of two registry formulas is one step only
    assert _step(rep, "martingale").status is Status.EXACT
    hit = _step(rep, "one-step absorption")
    assert hit.status is Status.EXACT and "sign by structure" in hit.method
    assert _step(rep, "registry formulas").status is Status.EXACT
    assert rep.status is Status.PROVED
    assert {c.name for c in rep.cites} == {"absorption of finite chains", "tower property",
                                           "bounded convergence theorem"}
    assert "citing absorption of finite chains (Grinstead & Snell 1997, Thm 11.3)" in \
        rep.label()


def test_root_exists_cites_the_intermediate_value_theorem(reports):
    rep = reports["lemma6.root_exists"]
    ivt = _step(rep, "intermediate value theorem")
    assert ivt.status is Status.CITED and ivt.reference == "Rudin 1976, Thm 4.23"
    assert _step(rep, "continuity").status is Status.EXACT
    imp = _step(rep, "implication")
    assert imp.status is Status.EXACT and "assumption query" in imp.method
    assert rep.status is Status.PROVED
    assert rep.label() == "PROVED, citing intermediate value theorem (Rudin 1976, Thm 4.23)"


def test_lemma4_lower2_checks_g_in_unit_interval(reports):
    rep = reports["lemma4.lower2"]
    unit = _step(rep, "0 <= g(s) <= 1")
    assert unit.status is Status.EXACT and "sign by structure" in unit.method
    assert _step(rep, "0 < E <= 1").status is Status.EXACT
    assert rep.status is Status.EXACT and not rep.cites  # every step machine-checked
    assert rep.label() == "EXACT"


# --------------------------------------------------------------- the combination rule


_ORDER = ["FAILED", "UNDECIDED", "CHECKED", "STATISTICAL", "PROVED", "EXACT"]


def _weakest_by_hand(statuses) -> str:
    """The rule of proofs_check.status, restated independently: CITED counts as PROVED,
    the weakest wins, a FAILED or UNDECIDED step leaves the claim UNDECIDED."""
    vals = ["PROVED" if s == "CITED" else s for s in statuses]
    if not vals:
        return "UNDECIDED"
    w = min(vals, key=_ORDER.index)
    return "UNDECIDED" if w in ("FAILED", "UNDECIDED") else w


@pytest.mark.parametrize("cid", list(C.CLAIMS))
def test_status_is_the_weakest_step(cid, reports):
    rep = reports[cid]
    assert rep.steps, cid
    if rep.status is Status.FAILED:
        assert rep.counterexample  # refuted by a certified counterexample
        return
    assert str(rep.status) == _weakest_by_hand([str(st.status) for st in rep.steps]), cid
    assert rep.status is not Status.CITED


@pytest.mark.parametrize("cid", list(C.CLAIMS))
def test_cited_steps_are_never_a_bare_exact(cid, reports):
    rep = reports[cid]
    cited = {st.name for st in rep.steps if st.status is Status.CITED}
    inherited = {c.name for st in rep.steps for c in st.cites}
    assert {c.name for c in rep.cites} == cited | inherited, cid
    if rep.cites and rep.status in (Status.FAILED, Status.UNDECIDED):
        assert rep.label() == str(rep.status)  # nothing established: no "citing"
    elif rep.cites:
        assert rep.status is not Status.EXACT, cid
        label = rep.label()
        assert label.startswith(f"{rep.status}, citing "), (cid, label)
        for c in rep.cites:
            assert f"{c.name} ({c.reference})" in label, (cid, c.name)
    else:
        assert rep.label() == str(rep.status)


def test_cites_are_inherited_through_used_claims(reports):
    t3 = reports["theorem3"]
    names = {c.name for c in t3.cites}
    assert {"Markov's inequality", "log-convexity of Gamma", "tower property"} <= names
    # theorem2.bounds rests on theorem2, so it cites what theorem2 cites
    assert {c.name for c in reports["theorem2.bounds"].cites} >= {"tower property"}


def test_combine_and_report_rules():
    E, P, Ci, Ch, U, F = (Status.EXACT, Status.PROVED, Status.CITED, Status.CHECKED,
                          Status.UNDECIDED, Status.FAILED)
    assert combine([E, E]) is E
    assert combine([E, Ci]) is P  # never "EXACT, citing"
    assert combine([E, P, Ci]) is P
    assert combine([Ch, Ci]) is Ch
    assert combine([E, U]) is U and combine([E, F]) is U  # a broken argument
    assert combine([]) is U
    with pytest.raises(ValueError):
        Step("x", "x", Status.CITED, "cited")  # a CITED step needs its reference
    with pytest.raises(ValueError):
        Step("x", "x", Status.EXACT, "SymPy", reference="Rudin 1976")
    ok = part("a", "a", E, "SymPy", "all")
    rep = report("lemma2.lower", "m", "d", steps=[ok, cite("tower property", "")])
    assert rep.status is P and rep.label() == "PROVED, citing tower property " \
        "(Williams 1991, §9.7)"
    bad = part("direct", "x", F, "Arb", "k = 7", counterexample={"k": "7"}, margin="-1e-3")
    rep = report("lemma2.lower", "m", "d", steps=[ok], cross_checks=[bad], refuted_by=bad)
    assert rep.status is F and rep.counterexample == {"k": "7"} and rep.label() == "FAILED"
    rep = report("lemma2.lower", "m", "d", steps=[ok, part("b", "b", U, "?", "")])
    assert rep.status is U and rep.domain == "nothing certified" and "b" in rep.detail


def test_every_reference_names_a_source():
    for name, fact in FACTS.items():
        assert any(fact.reference.startswith(src) for src in SOURCES), name


# --------------------------------------------------------------- presentation


def test_verify_cli_prints_citing(rmc):
    code, out, _ = rmc("verify", "theorem2", "lemma4.lower2")
    assert code == 0
    assert "PROVED, citing tower property, bounded convergence theorem" in out  # the table
    assert "theorem2: PROVED, citing tower property (Williams 1991, §9.7)" in out  # a note
    row = next(line for line in out.splitlines() if line.startswith("lemma4.lower2"))
    assert "EXACT" in row and "citing" not in row


def test_verify_json_has_steps_and_cites(rmc_json):
    obj = rmc_json("verify", "absorption")
    row = obj["rows"][0]
    assert row["status"] == "PROVED" and row["label"].startswith("PROVED, citing ")
    steps = {s["name"]: s for s in row["steps"]}
    assert steps["absorption of finite chains"]["status"] == "CITED"
    assert steps["absorption of finite chains"]["reference"].startswith("Grinstead")
    assert any(s["name"].startswith("exact chain") for s in row["cross_checks"])
    assert {c["name"] for c in row["cites"]} >= {"bounded convergence theorem"}


def test_report_prints_citing():
    from rmc_symbolic.cli.report import _Blocks
    from rmc_symbolic.report import status_text, verification_status

    st = verification_status(["theorem2"])["theorem2"]
    exact = next(c for c in st if c["claim"] == "theorem2")
    assert exact["label"].startswith("PROVED, citing tower property (Williams 1991, §9.7)")
    assert "citing tower property (Williams 1991, §9.7)" in status_text(st)
    row = {"id": "theorem2", "provenance": "A", "description": "d", "sample_point": "",
           "sample_values": "", "checks": st}
    text = _Blocks([row], []).to_text()
    assert "PROVED, citing tower property (Williams 1991, §9.7)" in text


# --------------------------------------------------------------- no heuristic decides

#: SymPy assumption queries (attributes, not Arb's is_finite()/is_zero() methods)
_QUERIES = {"is_positive", "is_negative", "is_zero", "is_nonnegative", "is_nonpositive",
            "is_nonzero", "is_real", "is_finite", "is_extended_positive",
            "is_extended_negative", "is_extended_nonnegative", "is_extended_real"}
#: names that must not be called in a claim check
_CALLS = {"evalf", "nsimplify", "float", "N", "maximum", "minimum", "solve", "ask"}

#: (file, name, a fragment of the line) -> why the use decides nothing
ALLOWED = {
    ("gaussian.py", "solve", "nt = sp.solve"): "solves t = 1/(2n-1) for an assumption-free "
    "symbol; the root is then checked by substitution (identity step 't = 1/(2n-1)')",
    ("gmm.py", "solve", "roots = sp.solve"): "solves the quadratic for an assumption-free "
    "symbol (so no root is dropped by assumptions); each root is checked by substitution "
    "and the degree bounds their number; signs of the roots by structure",
}


def _heuristic_uses(path: pathlib.Path) -> list[tuple[str, str, str]]:
    """(name, line, kind) for every assumption query or forbidden call in ``path``'s
    code (strings and comments are skipped: tokens only)."""
    src = path.read_text()
    lines = src.splitlines()
    toks = [t for t in tokenize.generate_tokens(io.StringIO(src).readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]
    out = []
    for i, t in enumerate(toks):
        if t.type != tokenize.NAME:
            continue
        prev = toks[i - 1].string if i else ""
        nxt = toks[i + 1].string if i + 1 < len(toks) else ""
        line = lines[t.start[0] - 1].strip()
        if t.string in _QUERIES and prev == "." and nxt != "(":
            out.append((t.string, line, "query"))
        elif t.string in _CALLS and nxt == "(":
            out.append((t.string, line, "call"))
    return out


def test_no_heuristic_decides_in_claims():
    found = []
    for path in sorted(CLAIMS_DIR.glob("*.py")):
        for name, line, kind in _heuristic_uses(path):
            if any(f == path.name and n == name and frag in line
                   for (f, n, frag) in ALLOWED):
                continue
            found.append(f"{path.name}: {kind} {name}: {line}")
    assert not found, "\n".join(found)


def test_allow_list_is_not_stale():
    for (fname, name, frag), why in ALLOWED.items():
        uses = _heuristic_uses(CLAIMS_DIR / fname)
        assert any(n == name and frag in line for n, line, _ in uses), (fname, frag)
        assert why


def test_heuristic_scanner_finds_what_it_must(tmp_path):
    src = ("import sympy as sp\nx = sp.Symbol('x')\na = (x**2).is_nonnegative\n"
           "b = sp.nsimplify(0.5)\n# x.is_positive in a comment\ns = 'x.evalf()'\n"
           "c = float(x)\nd = arb(1).is_zero()\n")
    p = tmp_path / "probe.py"
    p.write_text(src)
    names = [n for n, _, _ in _heuristic_uses(p)]
    assert names == ["is_nonnegative", "nsimplify", "float"]


# --------------------------------------------------------------- signs by structure


def test_sign_of_a_tiny_constant_sympy_gets_wrong():
    """C = log(1 + 10^-20) - 10^-20 + 10^-40/2 ~ +3.3e-61; SymPy's is_negative says True
    (issue 9 §1). The structural certifier asks Arb, at rising precision."""
    e20 = sp.Integer(10) ** 20
    c = sp.log(1 + 1 / e20) - 1 / e20 + 1 / (2 * e20**2)
    assert sign_of(c) == POS
    xp = sp.Symbol("x", positive=True)
    assert sign_of(xp * c) == POS
    assert sign_of(-c * sp.exp(xp)) == NEG
    # the same constant with the sign of the last term flipped is negative
    assert sign_of(sp.log(1 + 1 / e20) - 1 / e20 - 1 / (2 * e20**2)) == NEG


def test_sign_rules_are_exact_and_refuse_what_they_cannot_show():
    x = sp.Symbol("x", nonnegative=True)
    s = sp.Symbol("s", nonnegative=True)
    y = sp.Symbol("y", real=True)
    third = sp.Rational(1, 3)
    assert sign_of((x - third) ** 2) == NONNEG  # a touch point at 1/3: not > 0
    assert not certify_sign((x - third) ** 2, POS)
    assert sign_of(1 - sp.exp(-s)) == NONNEG and sign_of(sp.exp(-s) - 1) == NONPOS
    assert certify_sign(1 - sp.exp(-s), NONNEG) and not certify_sign(1 - sp.exp(-s), POS)
    assert sign_of(1 / x) is None  # undefined at x = 0
    assert sign_of((1 + 1 / x) ** 2) is None and sign_of(sp.exp(1 / x)) is None
    assert sign_of((1 + 1 / (x + 1)) ** 2) == POS
    assert sign_of(x - 1) is None  # a false claim "x - 1 >= 0" is not decided
    assert sign_of(sp.sqrt(y)) is None  # not real for y < 0
    assert sign_of(sp.log(x + 2)) == POS and sign_of(sp.log(x + 1)) == NONNEG
    assert sign_of(sp.gamma(x + sp.Rational(1, 2))) == POS
    assert sign_of(sp.exp(sp.I * x)) is None  # not real
    assert sign_of(sp.Float(0.5)) is None  # never a float
    big = sp.Integer(10) ** 400
    assert sign_of(big + 1 - big) == POS  # exact integer arithmetic
    assert sign_of(y**2 + 1) == POS and sign_of(-(y**2) - 1) == NEG
    assert certify_sign(y**2 + 1, NONZERO)
    # declared signs may be overridden by explicit premises
    b = sp.Symbol("b")
    assert sign_of(b * x) is None and sign_of(b * x, {b: POS}) == NONNEG


def test_sign_step_is_undecided_when_the_claim_is_false():
    from proofs_check.claims._tools import sign_step

    x = sp.Symbol("x", nonnegative=True)
    st = sign_step("false", x - sp.Rational(1, 10**60), NONNEG)
    assert st.status is Status.UNDECIDED  # x = 0 is a counterexample: never EXACT
    assert sign_step("true", x + sp.Rational(1, 10**60), POS).status is Status.EXACT


def test_claims_modules_name_no_assumption_in_methods(reports):
    """No step's method says its sign came "from assumptions" (the old heuristic)."""
    for rep in reports.values():
        for st in rep.steps:
            assert not re.search(r"sign from assumptions", st.method), (rep.claim, st.name)


@pytest.mark.parametrize("rid", ["theorem1", "theorem1_ext"])
def test_chain_statuses_never_fall_back_to_a_guess(rid, monkeypatch):
    """theorem1's PROVED rests on the exact chain compared with exact rationals or Arb
    enclosures; markov's symbolic fallback (nsimplify) must not be what decides any case
    of the registered grid."""
    import rmc_symbolic.markov as markov
    from proofs_check.claims.bernoulli import CHAIN_K, CHAIN_N

    def refuse(*args, **kwargs):
        raise AssertionError(f"{rid}: a case was left to markov._exact_decide {args[1:4]}")

    monkeypatch.setattr(markov, "_exact_decide", refuse)
    res = markov.check_chain(rid, n_max=CHAIN_N, k_max=CHAIN_K)
    assert res.holds and res.by_enclosure > 0
