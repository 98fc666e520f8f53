"""Shared pieces of the ``rmc`` command line: argument types, common options, errors.

Every command module in this package defines ``register(sub)`` that adds its parser to the
``rmc`` sub-parsers and sets ``func`` to a function ``run(args) -> Table | None``.
Heavy imports (SymPy, NumPy, python-flint) happen inside ``run``, never at import time,
so that ``rmc --help`` and start-up stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ..errors import InputError

__all__ = [
    "OneLineParser", "add_common", "add_klist", "add_mc", "add_n", "exact_type", "int_type",
    "klist_type", "InputError", "mc_columns", "mc_plan", "max_seconds_type",
]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _wrap(fn: Callable[[str], object]) -> Callable[[str], object]:
    def inner(text: str):
        try:
            return fn(text)
        except InputError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    inner.__name__ = getattr(fn, "__name__", "value")
    return inner


def exact_type(name: str, lo=None, hi=None, lo_open: bool = False, hi_open: bool = False):
    """An argparse type reading an exact rational (``0.01`` is 1/100) in a stated range."""
    from ..parsing import parse_exact

    return _wrap(lambda t: parse_exact(t, name, lo, hi, lo_open, hi_open))


#: the largest --max-seconds (a year): beyond it a limit means nothing
MAX_SECONDS_CAP = 365 * 24 * 3600


def max_seconds_type():
    """An argparse type reading a time limit in seconds: a positive exact number."""
    from ..parsing import parse_exact

    return _wrap(lambda t: float(parse_exact(t, "max-seconds", 0, MAX_SECONDS_CAP,
                                             lo_open=True)))


def int_type(name: str, lo: int | None = None, hi: int | None = None):
    """An argparse type reading an integer in ``[lo, hi]``."""
    from ..parsing import parse_int

    return _wrap(lambda t: parse_int(t, name, lo, hi))


def klist_type(name: str = "k", lo: int = 1):
    """An argparse type reading a k-list (``1,5,10``, ``1:50``, ``1:1000:10``)."""
    from ..parsing import parse_klist

    return _wrap(lambda t: parse_klist(t, name, lo))


def add_klist(p: argparse.ArgumentParser, required: bool = True) -> None:
    """Add ``--k KS`` (a k-list of generations)."""
    p.add_argument("--k", type=klist_type(), required=required, metavar="KS",
                   help="generations: 1,5,10 or 1:50 (inclusive) or 1:1000:10")


def add_n(p: argparse.ArgumentParser, lo: int = 1, required: bool = True,
          default: int | None = None) -> None:
    """Add ``--n N`` (samples per generation, an integer >= lo)."""
    p.add_argument("--n", type=int_type("n", lo), required=required, default=default,
                   help=f"samples per generation (integer >= {lo})")


def add_common(p: argparse.ArgumentParser, dps: bool = True) -> None:
    """Add ``--dps`` and ``--json`` to a sub-command."""
    if dps:
        p.add_argument(
            "--dps", type=int_type("dps", 1, 100000), default=15, metavar="D",
            help="significant decimal digits of every printed number (default 15)",
        )
    p.add_argument("--json", action="store_true",
                   help='print one JSON object {"command", "params", "rows"}')


def add_mc(p: argparse.ArgumentParser) -> None:
    """Add ``--mc T`` and ``--seed S`` (Monte Carlo columns ``mc``, ``mc_lo``, ``mc_hi``)."""
    p.add_argument("--mc", type=int_type("mc (trajectories)", 1, 10**15), default=None,
                   metavar="T",
                   help="add a Monte Carlo estimate over T trajectories with its 95%% Wilson "
                   "interval (columns mc, mc_lo, mc_hi)")
    p.add_argument("--seed", type=int_type("seed", 0), default=None, metavar="S",
                   help="seed of the Monte Carlo (numpy.random.Generator); default: random")


def mc_plan(model: str, params: dict, ks: list[int], args) -> list[tuple[float, str, str]]:
    """The ``--mc`` simulation as a planned phase ``[(seconds, what, cheaper)]`` for
    :func:`rmc_symbolic.limits.rows` (empty without ``--mc``), checked before any other
    work: a simulation that alone does not fit is refused here."""
    if getattr(args, "mc", None) is None:
        return []
    from .. import simulate

    secs = simulate.require_mc(model, params, ks, args.mc)
    return [(secs, f"the Monte Carlo simulation (--mc {args.mc})",
             "use fewer trajectories (--mc) or fewer generations")]


def mc_columns(model: str, params: dict, ks: list[int], args) -> dict[str, list] | None:
    """The Monte Carlo columns for a model command, or ``None`` when ``--mc`` is absent.

    Delegates to :func:`rmc_symbolic.simulate.mc_columns` (the same quantity as the
    command's bound columns).
    """
    if getattr(args, "mc", None) is None:
        return None
    from .. import simulate

    progress = (not args.json) and sys.stderr.isatty()
    return simulate.mc_columns(model, params, ks, trajectories=args.mc, seed=args.seed,
                               progress=progress)
