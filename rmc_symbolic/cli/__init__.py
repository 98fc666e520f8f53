"""The ``rmc`` command line.

Each sub-command lives in its own module of this package (named in :data:`COMMANDS`) with
a ``register(sub)`` function. Bad input raises :class:`rmc_symbolic.errors.InputError`,
which becomes a one-line message and exit code 2.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

from ..errors import InputError
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        result = args.func(args)
        if result is not None:
            from ..output import emit

            emit(result, getattr(args, "json", False))
    except InputError as e:
        sub = getattr(args, "model", None)  # e.g. "rmc exact bernoulli"
        name = f"{args.command} {sub}" if isinstance(sub, str) else args.command
        sys.stderr.write(f"rmc {name}: error: {e}\n")
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
