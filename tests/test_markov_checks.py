"""first_violation / check_chain: the registry's Bernoulli results against the exact chain,
and the checker's ability to find (and locate) a violation when a bound is wrong."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
import sympy as sp

from rmc_symbolic import registry
from rmc_symbolic.errors import InputError
from rmc_symbolic.markov import CHECKED_RESULTS, check_chain, first_violation


@pytest.mark.parametrize("rid", CHECKED_RESULTS)
def test_results_hold_on_small_ranges(rid):
    rep = check_chain(rid, n_max=9, k_max=25)
    assert rep.violation is None and not rep.undecided, rep.description()
    assert rep.holds
    assert rep.comparisons == rep.by_exact + rep.by_enclosure
    expected_cases = sum(n + 1 for n in range(1, 10)) * (1 if rid == "absorption" else 25)
    if rid == "wf_heterozygosity":
        expected_cases += 9  # the eigenvalues, once per n
    assert rep.cases == expected_cases
    assert first_violation(rid, 4, 5) is None


def test_equalities_are_decided_not_left_open():
    """p0 = 0 or 1 makes theorem1's sides equal to the exact value; seddik's lower side is
    exact at n = 2 (both 2^-k): all decided, none undecided."""
    for rid in ("theorem1", "theorem1_ext", "seddik"):
        rep = check_chain(rid, n_max=3, k_max=6)
        assert rep.holds and not rep.undecided


def _patched(monkeypatch, rid: str, **parts: sp.Expr) -> None:
    registry._load()
    res = registry._REGISTRY[rid]
    new = dataclasses.replace(res, parts={**res.parts, **parts})
    monkeypatch.setitem(registry._REGISTRY, rid, new)


def test_a_wrong_rational_bound_is_found_where_it_first_fails(monkeypatch):
    res = registry.get("seddik")
    _patched(monkeypatch, "seddik", upper=res.parts["lower"] / 2)
    v = first_violation("seddik", n_max=5, k_max=5)
    # the first case with a positive transient mass: n = 2, i0 = 1, k = 1 (value 1/2)
    assert v is not None and v.decided
    assert (v.n, v.i0, v.k, v.side) == (2, 1, 1, "upper")
    assert v.exact == Fraction(1, 2) and v.p0 == Fraction(1, 2)
    assert v.margin.startswith("-")


def test_a_wrong_transcendental_bound_is_found_by_enclosures(monkeypatch):
    res = registry.get("theorem1")
    _patched(monkeypatch, "theorem1", upper=res.parts["lower"] / 2)
    rep = check_chain("theorem1", n_max=3, k_max=4)
    v = rep.violation
    # n = 1, i0 = 0: Pr(P_k != 1) = 1 > (1 - e^{-g_k}) / 2 (the side with p0 -> 1 - p0)
    assert v is not None and v.decided and (v.n, v.i0, v.k, v.side) == (1, 0, 1, "upper_one")
    assert v.exact == 1
    assert rep.by_enclosure >= 1 and "[" in v.bound
    assert rep.stopped_early


def test_a_wrong_identity_is_found(monkeypatch):
    from rmc_symbolic.symbols import k, n, p0

    _patched(monkeypatch, "wf_heterozygosity", exact=p0 * (1 - p0) * (1 - 1 / n) ** (k + 1))
    v = first_violation("wf_heterozygosity", n_max=4, k_max=3)
    assert v is not None and (v.n, v.i0, v.k, v.side) == (2, 1, 1, "exact")


def test_wrong_eigenvalues_are_found(monkeypatch):
    from rmc_symbolic.symbols import i, j, n

    _patched(monkeypatch, "wf_heterozygosity",
             eigenvalue=sp.Product(1 - i / (n + 1), (i, 0, j - 1)))
    v = first_violation("wf_heterozygosity", n_max=4, k_max=2)
    assert v is not None and v.side == "eigenvalue" and v.n == 2


def test_bad_arguments():
    with pytest.raises(InputError):
        first_violation("lemma1")
    with pytest.raises(InputError):
        first_violation("seddik", n_max=0)
    with pytest.raises(InputError):
        first_violation("seddik", k_max=0)


@pytest.mark.slow
@pytest.mark.parametrize("rid", CHECKED_RESULTS)
def test_results_hold_for_n_to_30_and_k_to_100(rid):
    rep = check_chain(rid, n_max=30, k_max=100)
    assert rep.holds, rep.description()
