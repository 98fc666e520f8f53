"""``rmc eval``: evaluate any part of any result at an exact point, at any precision."""

from __future__ import annotations

from .common import add_common


def register(sub) -> None:
    p = sub.add_parser(
        "eval", help="evaluate a part of a result at a point (any precision)",
        description="Evaluate the parts of a result (its SymPy expressions) at an exact point, "
        "to --dps correct significant digits. Example: rmc eval theorem1 n=100 p0=0.01 k=10 "
        "--dps 50. Parameters are exact (0.01 is 1/100).",
    )
    p.add_argument("id", metavar="ID", help="result id (see 'rmc show')")
    p.add_argument("point", nargs="*", metavar="NAME=VALUE",
                   help="parameter values, e.g. n=100 p0=0.01 k=10")
    p.add_argument("--part", action="append", default=None, metavar="NAME",
                   help="part(s) to evaluate (default: every part that the point determines)")
    add_common(p)
    p.set_defaults(func=run)


def run(args):
    import sympy as sp

    from ..errors import InputError
    from ..evaluate import evaluate
    from ..output import Table
    from ..parsing import parse_exact
    from ..registry import Quantity, get
    from ..symbols import PARAMS

    r = get(args.id)
    point = {}
    for item in args.point:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise InputError(f"point: {item!r} is not of the form NAME=VALUE (e.g. n=100)")
        if name not in PARAMS:
            raise InputError(f"point: unknown parameter {name!r} (known: {', '.join(PARAMS)})")
        point[name] = parse_exact(value, name)
        rng = r.domain.ranges.get(name)
        if rng is not None:  # the result's own domain (RESULTS.md): nothing outside it
            lo, hi, integer = rng
            where = f"the domain of {r.id} ({r.domain.text})"
            if integer and point[name].denominator != 1:
                raise InputError(f"{name} = {value} is not an integer, outside {where}")
            if (lo is not None and point[name] < lo) or (hi is not None and point[name] > hi):
                raise InputError(f"{name} = {value} is outside {where}")
    parts = args.part or list(r.parts)
    given = {PARAMS[k] for k in point}
    rows = []
    for name in parts:
        e = r.part(name)
        if isinstance(e, Quantity) or e.has(sp.Indexed) or e.has(sp.oo):
            if args.part:
                raise InputError(f"part {name!r} of {r.id} is not a closed formula "
                                 "(a random quantity, a sum over data or an infinite "
                                 "series)")
            continue
        missing = sorted(str(s) for s in e.free_symbols - given)
        if missing:
            if args.part:
                raise InputError(f"part {name!r} needs parameter(s): {', '.join(missing)}")
            continue
        try:
            value = evaluate(e, point, args.dps)
        except InputError:
            raise
        except (ZeroDivisionError, ValueError, ArithmeticError, NotImplementedError) as exc:
            # a pole, a division by zero or a form mpmath cannot evaluate at this point
            why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            if "Product" in why or "Sum" in why:
                why = "its finite sum or product needs integer limits"
            raise InputError(f"part {name!r} of {r.id} cannot be evaluated at this point "
                             f"({why})") from None
        rows.append({"part": name, "value": value})
    if not rows:
        raise InputError(f"no part of {r.id} is determined by the point given "
                         f"(parameters of {r.id}: {', '.join(r.params)})")
    return Table("eval", {"id": r.id, **point}, ["part", "value"], rows, digits=args.dps)
