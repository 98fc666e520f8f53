"""Section 1 of RESULTS.md: the iterated map ``g`` and the bounds on ``g_k``.

Results: ``eq2`` [A], ``lemma2`` [A], ``lemma2_sharp`` [+].
"""

from __future__ import annotations

import sympy as sp

from .iterated_map import g, gk
from .registry import Domain, Result, register, sandwich
from .symbols import k, x

K_DOMAIN = Domain({"k": (1, None, True)}, "integer k >= 1")

eq2 = register(
    Result(
        id="eq2",
        provenance="A",
        section="1",
        description="the iterated map g(x) = 1 - e^{-x}; g_1 = 1, g_{k+1} = g(g_k)",
        domain=Domain({"k": (1, None, True), "x": (0, None, False)}, "x >= 0; integer k >= 1"),
        parts={"g": g(x), "g_k": gk(k)},
        statements={"recursion": sp.Eq(gk(k + 1), g(gk(k)))},
        params={"x": x, "k": k},
        sample={"x": 1, "k": 10},
    )
)

_parts, _stmts = sandwich(1 / k, gk(k), 3 / k)
lemma2 = register(
    Result(
        id="lemma2",
        provenance="A",
        section="1",
        description="1/k <= g_k <= 3/k for every integer k >= 1",
        domain=K_DOMAIN,
        parts=_parts,
        statements=_stmts,
        params={"k": k},
        sample={"k": 10},
    )
)

_parts, _stmts = sandwich(2 / (k + 1 + sp.log(k) / 3), gk(k), 2 / (k + 1))
lemma2_sharp = register(
    Result(
        id="lemma2_sharp",
        provenance="+",
        section="1",
        description="2/(k + 1 + ln(k)/3) <= g_k <= 2/(k + 1), both tight at k = 1",
        domain=K_DOMAIN,
        parts=_parts,
        statements=_stmts,
        params={"k": k},
        sample={"k": 10},
    )
)
