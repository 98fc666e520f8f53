"""The ``rmc`` command line.

Each sub-command lives in its own module of this package (named in :data:`COMMANDS`) with
a ``register(sub)`` function. Bad input raises :class:`rmc_symbolic.errors.InputError`,
which becomes a one-line message and exit code 2.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from .. import limits
from ..errors import InputError
from ..limits import DEFAULT_MAX_SECONDS
from .common import OneLineParser

#: sub-command modules, in the order ``rmc --help`` lists them
COMMANDS = (
    "report", "show", "evalf", "latex", "gk", "bernoulli", "poisson", "gaussian", "discrete",
    "exact", "gmm", "collapse_time", "forget", "plot", "verify",
)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="rmc",
        description="Symbolic, arbitrary-precision and verified bounds for 'Rate of Model "
        "Collapse in Recursive Training' (Suresh, Thangaraj, Khandavally, AISTATS 2025).",
        epilog="Run 'rmc COMMAND --help' for each command. Parameters are exact: 0.01 is "
        "1/100, and 1/3 is accepted.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"rmc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMANDS:
        modname = f"{__name__}.{name}"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(sub)
    for name, p in sub.choices.items():
        if name != "verify":  # rmc verify has its own --timeout
            _add_max_seconds(p)
    return parser


def _add_max_seconds(p) -> None:
    """``--max-seconds S`` on ``p`` and every sub-command below it (where absent)."""
    import argparse

    from .common import max_seconds_type

    if "--max-seconds" not in p._option_string_actions:
        p.add_argument("--max-seconds", type=max_seconds_type(), default=None, metavar="S",
                       help="time limit of the whole command in seconds (default "
                       f"{DEFAULT_MAX_SECONDS:g}): costs are estimated first and the command "
                       "refuses work that would not fit; nothing runs past it")
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_max_seconds(child)


def _time_limit(args) -> float | None:
    """The time limit of this run: ``--max-seconds``, else the command's own default."""
    if args.command == "verify":
        return None
    secs = getattr(args, "max_seconds", None)
    if secs is None:
        default = getattr(args, "time_limit", None)
        secs = default(args) if callable(default) else DEFAULT_MAX_SECONDS
    return float(secs)


def _name(args) -> str:
    sub = getattr(args, "model", None)  # e.g. "rmc exact bernoulli"
    return f"{args.command} {sub}" if isinstance(sub, str) else args.command


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    progress = (not getattr(args, "json", False)) and sys.stderr.isatty()
    seconds = _time_limit(args)
    try:
        with limits.deadline(seconds, progress=progress):
            result = args.func(args)
            if result is not None:
                from ..output import emit

                with limits.phase("printing the result"):
                    emit(result, getattr(args, "json", False))
    except InputError as e:
        sys.stderr.write(f"rmc {_name(args)}: error: {e}\n")
        return 2
    except limits.DeadlineExceeded:
        where = limits.last_phase()
        where = f" while computing {where}" if where else ""
        sys.stderr.write(f"rmc {_name(args)}: error: stopped at the time limit of {seconds:g} s "
                         f"(--max-seconds){where}: raise --max-seconds or ask for less\n")
        return 2
    except (MemoryError, RecursionError) as e:
        where = limits.last_phase()
        where = f" while computing {where}" if where else ""
        what = "out of memory" if isinstance(e, MemoryError) else "nesting too deep"
        sys.stderr.write(f"rmc {_name(args)}: error: {what}{where}: ask for less (fewer k, "
                         "trajectories, digits or a smaller file)\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("rmc: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    code = getattr(args, "exit_code", 0)
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
