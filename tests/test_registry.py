"""The formula registry: every id of RESULTS.md §1–5, declared symbols, lookups."""

from __future__ import annotations

import pytest
import sympy as sp

import rmc_symbolic
from rmc_symbolic.errors import InputError
from rmc_symbolic.registry import PROVENANCE
from rmc_symbolic.symbols import PARAMS

ISSUE_IDS = ["eq2", "lemma2", "lemma2_sharp", "lemma1", "lemma3", "lemma4", "theorem1",
             "theorem1_ext", "seddik", "absorption", "wf_heterozygosity", "corollary1",
             "theorem2", "corollary2", "gamma_moment", "eq3", "eq15", "theorem3", "lemma7",
             "theorem4"]


def test_every_formula_id_is_registered():
    ids = rmc_symbolic.ids()
    for rid in ISSUE_IDS:
        assert rid in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rid", ISSUE_IDS)
def test_result_fields(rid):
    r = rmc_symbolic.get(rid)
    assert r.id == rid
    assert r.provenance in PROVENANCE
    assert r.description and r.domain.text
    assert r.parts
    for e in r.parts.values():
        assert isinstance(e, sp.Basic)
    for s in r.statements.values():
        assert isinstance(s, (sp.core.relational.Relational, sp.logic.boolalg.Boolean))


def test_provenance_tags_match_results_md():
    expected = {"lemma1": "R", "lemma3": "R", "lemma4": "R", "lemma2_sharp": "+",
                "wf_heterozygosity": "D", "gamma_moment": "D", "eq3": "D", "eq15": "D",
                "theorem1": "A", "theorem2": "A", "lemma7": "A", "theorem4": "A"}
    for rid, tag in expected.items():
        assert rmc_symbolic.get(rid).provenance == tag
    assert rmc_symbolic.get("lemma1").reconstructed


def test_symbols_have_assumptions():
    assert PARAMS["n"].is_integer and PARAMS["n"].is_positive
    assert PARAMS["k"].is_integer and PARAMS["k"].is_positive
    assert PARAMS["sigma0"].is_positive and PARAMS["eps"].is_positive
    assert PARAMS["p0"].is_nonnegative


def test_two_sided_statements_use_the_parts_themselves():
    r = rmc_symbolic.get("theorem1")
    assert r.statements["lower"].lhs is r.parts["lower"]
    assert r.statements["upper"].rhs is r.parts["upper"]


def test_theorem2_bounds_are_substitutions_of_lemma2():
    t2, l2 = rmc_symbolic.get("theorem2"), rmc_symbolic.get("lemma2")
    gk = l2.parts["value"]
    assert t2.parts["lemma2_lower"] == t2.parts["exact"].subs(gk, l2.parts["lower"])
    assert rmc_symbolic.get("corollary2").parts["exact"] == rmc_symbolic.get(
        "corollary1").parts["lower"]


def test_unknown_id():
    with pytest.raises(InputError, match="unknown result id 'nope'"):
        rmc_symbolic.get("nope")
    with pytest.raises(InputError, match="has no part"):
        rmc_symbolic.get("lemma2").part("middle")


def test_doctests_of_foundation_modules():
    import doctest

    from rmc_symbolic import corpus, evaluate, iterated_map, latex, parsing

    for mod in (rmc_symbolic, corpus, evaluate, iterated_map, latex, parsing):
        res = doctest.testmod(mod)
        assert res.failed == 0, mod.__name__


def test_static_module_map_matches_what_modules_register():
    from rmc_symbolic.registry import _MODULE_OF, _REGISTRY, ids

    ids()
    assert set(_MODULE_OF) == set(_REGISTRY)
    import subprocess
    import sys

    # looking up theorem2 imports only the modules it needs, not the Gaussian ones
    code = ("import sys, rmc_symbolic; rmc_symbolic.get('theorem2'); "
            "print('rmc_symbolic.gaussian' in sys.modules, 'rmc_symbolic.gmm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"], out.stderr
