"""The formula registry: one :class:`Result` per id of ``RESULTS.md``.

A result holds SymPy expressions (``parts``: the bounds, the exact value, the quantity's
parameters), the statement(s) it makes as SymPy relationals (``statements``), its domain,
its provenance tag and a one-line description. Everything else — numbers, LaTeX, checks,
plots — is derived from these expressions; no formula is typed twice.

Provenance tags (RESULTS.md): ``A`` authors' notebook/code, ``D`` derived from the paper's
definitions, ``R`` reconstructed from the proof text, ``+`` beyond the paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .errors import InputError

PROVENANCE = {
    "A": "stated in the authors' public notebook/code",
    "D": "derived from the paper's definitions",
    "R": "reconstructed from the proof text",
    "+": "beyond the paper",
}


class Quantity(sp.Symbol):
    """A named random quantity (e.g. ``Pr(P_k ≠ 0)``) that a bound is about.

    It is a plain SymPy symbol for algebra, with its own LaTeX and text.
    """

    def __new__(cls, name: str, latex: str, **assumptions):
        obj = super().__new__(cls, name, **assumptions)
        obj._latex_text = latex
        return obj

    def __getnewargs_ex__(self):
        return ((self.name, self._latex_text), {})

    def _latex(self, printer):
        return self._latex_text


@dataclass(frozen=True)
class Domain:
    """The domain of a result: each symbol's range, ``(lo, hi)`` with ``None`` for infinite,
    and whether it is an integer. ``text`` is the human statement of the domain."""

    ranges: dict[str, tuple[object, object, bool]]
    text: str


@dataclass(frozen=True)
class Result:
    """One result of the paper (or beyond it), keyed by its RESULTS.md id.

    parts:      named SymPy expressions (``lower``, ``upper``, ``exact``, ``value``, ...)
    statements: named SymPy relationals that the result asserts on ``domain``
    quantity:   the random quantity the bounds are about (or ``None``)
    params:     the user-facing parameter names, in order, mapped to their symbols
    sample:     a sample parameter point (the paper's own setting where it has one)
    """

    id: str
    provenance: str
    description: str
    domain: Domain
    parts: dict[str, sp.Expr]
    statements: dict[str, sp.Basic] = field(default_factory=dict)
    quantity: sp.Expr | None = None
    params: dict[str, sp.Symbol] = field(default_factory=dict)
    sample: dict[str, object] = field(default_factory=dict)
    section: str = ""
    notes: str = ""

    @property
    def reconstructed(self) -> bool:
        return self.provenance == "R"

    def part(self, name: str) -> sp.Expr:
        try:
            return self.parts[name]
        except KeyError:
            raise InputError(
                f"result {self.id!r} has no part {name!r} (it has: {', '.join(self.parts)})"
            ) from None


def sandwich(lower: sp.Expr | None, value: sp.Expr, upper: sp.Expr | None, **extra: sp.Expr):
    """Parts and statements of a two-sided bound ``lower <= value <= upper``.

    Returns ``(parts, statements)``; the statements are built from the very same
    expressions as the parts. Either side may be ``None`` (one-sided bound).
    """
    parts: dict[str, sp.Expr] = {}
    statements: dict[str, sp.Basic] = {}
    if lower is not None:
        parts["lower"] = lower
        statements["lower"] = sp.Le(lower, value, evaluate=False)
    parts["value"] = value
    if upper is not None:
        parts["upper"] = upper
        statements["upper"] = sp.Le(value, upper, evaluate=False)
    parts.update(extra)
    return parts, statements


_REGISTRY: dict[str, Result] = {}
_LOADED: set[str] = set()

#: the modules that define results, in RESULTS.md order, with the ids each registers.
#: Modules are imported only when one of their ids is asked for (building SymPy
#: expressions costs time at start-up); ``ids()`` and ``all_results()`` load them all.
MODULES: dict[str, tuple[str, ...]] = {
    "iterated_results": ("eq2", "lemma2", "lemma2_sharp"),
    "bernoulli": ("lemma1", "lemma3", "lemma4", "theorem1", "theorem1_ext", "seddik",
                  "absorption", "wf_heterozygosity", "corollary1"),
    "poisson": ("theorem2", "corollary2"),
    "gaussian": ("gamma_moment", "eq3", "eq15", "theorem3", "gaussian_exact"),
    "gmm": ("lemma5", "lemma6", "lemma7", "theorem4"),
}
_MODULE_OF = {rid: mod for mod, rids in MODULES.items() for rid in rids}


def register(result: Result) -> Result:
    """Add ``result`` to the registry (ids are unique)."""
    if result.provenance not in PROVENANCE:
        raise ValueError(f"unknown provenance {result.provenance!r} for {result.id}")
    if result.id in _REGISTRY:
        raise ValueError(f"result id {result.id!r} registered twice")
    _REGISTRY[result.id] = result
    return result


def _load(module: str | None = None) -> None:
    """Import one result module (or all of them)."""
    import importlib

    for mod in [module] if module else list(MODULES):
        if mod not in _LOADED:
            importlib.import_module(f"rmc_symbolic.{mod}")
            _LOADED.add(mod)


def get(result_id: str) -> Result:
    """The result registered under ``result_id`` (e.g. ``"theorem1"``).

    >>> get("lemma2").provenance
    'A'
    """
    _load(_MODULE_OF.get(result_id))
    if result_id not in _REGISTRY:
        _load()
    try:
        return _REGISTRY[result_id]
    except KeyError:
        raise InputError(
            f"unknown result id {result_id!r} (known: {', '.join(_REGISTRY)})"
        ) from None


def ids() -> list[str]:
    """All registered ids, in RESULTS.md order."""
    _load()
    order = {rid: i for i, rid in enumerate(_MODULE_OF)}
    return sorted(_REGISTRY, key=lambda r: order.get(r, len(order)))


def all_results() -> list[Result]:
    """All registered results, in RESULTS.md order."""
    return [_REGISTRY[r] for r in ids()]
