"""``rmc plot MODEL ...``: bounds, exact values and simulation of a model command on one
figure (headless, Agg).

``rmc plot bernoulli --n 100 --p0 0.01 --k 1:50 --mc 1000 --seed 1 --out fig3.png`` takes
exactly the options of ``rmc bernoulli`` (the model's own parser is reused), runs that
command and draws its table (:mod:`rmc_symbolic.plot`), so the figure shows the numbers the
table command prints.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from .common import OneLineParser

#: the model commands ``rmc plot`` wraps
MODELS = ("bernoulli", "poisson", "gaussian", "gmm", "discrete")


def register(sub) -> None:
    p = sub.add_parser(
        "plot", help="draw a model command's bounds, exact values and simulation to a file",
        description="Run a model command (same options) and draw its columns against k: "
        "bounds as lines, exact values in black, Monte Carlo (--mc T) as points with 95% "
        "error bars. Log scale by default for gaussian and gmm; --logx/--logy override.",
    )
    models = p.add_subparsers(dest="model", metavar="MODEL", parser_class=OneLineParser)
    models.required = True
    for name in MODELS:
        modname = f"{__package__}.{name}"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(models)
        mp = models.choices[name]
        mp.prog = f"rmc plot {name}"
        mp.add_argument("--out", required=True, metavar="FILE",
                        help="the image to write (.png, .pdf or .svg)")
        mp.add_argument("--columns", default=None, metavar="C1,C2",
                        help="draw only these columns (one panel); Monte Carlo columns "
                        "bring their _lo/_hi error bars")
        mp.add_argument("--logx", action=argparse.BooleanOptionalAction, default=None,
                        help="log scale on the k axis")
        mp.add_argument("--logy", action=argparse.BooleanOptionalAction, default=None,
                        help="log scale on the value axis")
        mp.add_argument("--title", default=None, help="figure title (default: model, "
                        "quantity and parameters)")
        mp.set_defaults(model_run=mp.get_default("func"), func=run)


def run(args):
    from ..plot import check_out, render_table, save_figure

    check_out(args.out)
    table = args.model_run(args)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns \
        else None
    fig = render_table(table, args.model, columns, args.logx, args.logy, args.title)
    out = save_figure(fig, args.out)
    if getattr(args, "json", False):
        return table
    sys.stdout.write(f"wrote {out} ({len(table.rows)} generations; columns: "
                     f"{', '.join(c for c in table.columns if c != 'k')})\n")
    return None
