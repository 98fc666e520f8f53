"""Claims for registry statements that no dedicated check covers.

Every statement of the registry gets a claim id. A statement added to the registry after
the dedicated checks were written still appears (``RESULT.STATEMENT``); its check tries
the one generic method that is sound without knowing the statement's meaning — an
equation whose two sides SymPy simplifies to the same expression is EXACT — and otherwise
reports UNDECIDED ("no dedicated check").
"""

from __future__ import annotations

import sympy as sp

from rmc_symbolic import all_results

from ..status import Report, Status
from ._core import REGISTRY, Ctx, claim, report
from ._tools import identity_step, simplifies_to_zero

#: statements that are definitions, not claims
DEFINITIONS = {("eq2", "recursion")}


def _covered() -> set[tuple[str, str]]:
    out = set()
    for spec in REGISTRY.values():
        if spec.statements:
            out.update((spec.result_id, s) for s in spec.statements)
        else:
            from rmc_symbolic import get

            out.update((spec.result_id, s) for s in get(spec.result_id).statements)
    return out


def _generic_check(claim_id: str, rid: str, name: str):
    def fn(ctx: Ctx) -> Report:
        from rmc_symbolic import get

        st = get(rid).statements[name]
        ok = isinstance(st, sp.Equality) and not st.has(sp.Integral, sp.Limit) and \
            simplifies_to_zero(st.lhs - st.rhs)
        steps = [identity_step("identity", "both sides simplify to the same expression", ok,
                               where=get(rid).domain.text)]
        return report(claim_id, "SymPy: both sides simplify to the same expression",
                      get(rid).domain.text, "" if ok else "This statement has no dedicated "
                      "check in proofs_check.claims yet.", steps=steps)

    return fn


def register_uncovered() -> None:
    """Register a generic claim for every registry statement not yet covered."""
    covered = _covered()
    for r in all_results():
        for name in r.statements:
            if (r.id, name) in covered or (r.id, name) in DEFINITIONS:
                continue
            cid = f"{r.id}.{name}"
            if cid in REGISTRY:
                continue
            claim(cid, r.id, [name], expected=Status.UNDECIDED)(
                _generic_check(cid, r.id, name))
