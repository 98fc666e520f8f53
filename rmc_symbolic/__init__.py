"""rmc_symbolic: the formulas of "Rate of Model Collapse in Recursive Training"
(Suresh, Thangaraj, Khandavally, AISTATS 2025) as SymPy expressions, evaluated at any
precision with mpmath, exported as LaTeX, and held against exact Markov chains.

>>> import rmc_symbolic
>>> rmc_symbolic.get("theorem1").provenance
'A'
>>> "lemma2_sharp" in rmc_symbolic.ids()
True
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["get", "ids", "all_results", "evalf", "__version__"]


def get(result_id: str):
    """The :class:`~rmc_symbolic.registry.Result` registered under ``result_id``."""
    from .registry import get as _get

    return _get(result_id)


def ids() -> list[str]:
    """All result ids, in RESULTS.md order."""
    from .registry import ids as _ids

    return _ids()


def all_results():
    from .registry import all_results as _all

    return _all()


def evalf(expr, params, dps: int = 15, pmf=None):
    """Evaluate a registry expression at an exact point to ``dps`` correct digits
    (:func:`rmc_symbolic.evaluate.evaluate`).

    >>> import mpmath
    >>> mpmath.nstr(evalf(get("lemma2_sharp").parts["upper"], {"k": 2}, 20), 20)
    '0.66666666666666666667'
    """
    from .evaluate import evaluate as _ev

    return _ev(expr, params, dps, pmf)
