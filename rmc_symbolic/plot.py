"""Figures: bounds, exact values and simulation of one model command on one figure.

The numbers come from the model command itself (:func:`command_table` runs
``rmc MODEL ...``'s own parser and ``run()``), so a figure shows exactly what the table
commands print: every bound is the registry expression the command evaluates, nothing is
retyped here. Drawing uses matplotlib's object API with the Agg canvas (headless; no
pyplot state), or any ``Axes`` a caller (e.g. a notebook) passes in.

Column roles, by name: ``X`` with ``X_lo``/``X_hi`` beside it is a Monte Carlo estimate
(drawn as points with 95% error bars); ``*_lower``/``*_upper`` are bounds (dashed and
dash-dotted lines of one colour per family); a name containing ``exact`` is an exact value
(solid black); any other column is drawn as a solid line.

>>> fig, table = plot_model("poisson", "--n 10 --lambda0 1 --k 1:5")
>>> [ax.get_title() for ax in fig.axes]
['poisson: Pr(Λ_k ≠ 0)  (n=10, lambda0=1)']
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .output import Table

__all__ = ["PANELS", "LOG_DEFAULTS", "command_table", "draw_columns", "render_table",
           "plot_model", "plot_paths", "save_figure", "check_out", "new_figure", "LABELS"]

#: the model commands that can be plotted
MODELS = ("bernoulli", "poisson", "gaussian", "gmm", "discrete")

#: per model: panels (title, columns); models not listed get one panel with every column
PANELS: dict[str, list[tuple[str, list[str]]]] = {
    "bernoulli": [
        ("Pr(P_k ≠ 0)", ["theorem1_lower", "theorem1_upper", "exact", "mc"]),
        ("Pr(P_k ∉ {0,1})", ["ext_lower", "ext_upper", "seddik_lower", "seddik_upper",
                             "exact_transient", "mc_transient"]),
    ],
    "poisson": [
        ("Pr(Λ_k ≠ 0)", ["lemma2_lower", "lemma2_upper", "sharp_lower", "sharp_upper",
                         "exact", "mc"]),
    ],
    "discrete": [
        ("E[uniq_k]", ["corollary1_lower", "corollary1_upper", "corollary2", "mc",
                       "mc_poisson"]),
    ],
    "gaussian": [
        ("Pr(Σ_k > ε)", ["markov_bound", "theorem3", "gurland_bound", "markov_s_bound",
                         "optimized_bound", "exact", "mc"]),
    ],
    "gmm": [("Pr(Σ_k > ε)", ["theorem4", "mc", "mc_joint"])],
}

#: default axis scales (logx, logy) per model: probabilities that decay geometrically and
#: bounds that start above 1 (sigma0/eps) are read on a log axis
LOG_DEFAULTS: dict[str, tuple[bool, bool]] = {
    "bernoulli": (False, False),
    "poisson": (False, False),
    "discrete": (False, False),
    "gaussian": (False, True),
    "gmm": (False, True),
}

#: panels whose quantity is a probability (the y axis is capped just above 1)
_PROBABILITY = ("Pr(",)


# --------------------------------------------------------------------------- data


def command_table(model: str, argv: Sequence[str] | str) -> Table:
    """Run ``rmc MODEL ARGV`` in this process (its own parser and ``run()``) and return its
    :class:`~rmc_symbolic.output.Table`. ``argv`` is a list or a shell-like string."""
    import importlib
    import importlib.util

    from .cli.common import OneLineParser

    if model not in MODELS:
        raise InputError(f"model {model!r} cannot be plotted (known: {', '.join(MODELS)})")
    modname = f"rmc_symbolic.cli.{model}"
    if importlib.util.find_spec(modname) is None:
        raise InputError(f"the command 'rmc {model}' is not available in this installation")
    if isinstance(argv, str):
        argv = shlex.split(argv)
    parser = OneLineParser(prog="rmc")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    importlib.import_module(modname).register(sub)
    args = parser.parse_args([model, *argv])
    table = args.func(args)
    if table is None:  # pragma: no cover - model commands always return a table
        raise InputError(f"'rmc {model}' returned no table")
    return table


def _number(v: Any) -> float:
    if v is None:
        return math.nan
    try:
        if isinstance(v, Fraction):
            return v.numerator / v.denominator
        return float(v)
    except OverflowError:  # beyond the float range (k = 10**400)
        return math.inf if v > 0 else -math.inf
    except (TypeError, ValueError):
        return math.nan


def _is_numeric_column(table: Table, col: str) -> bool:
    vals = [r.get(col) for r in table.rows]
    ok = [v for v in vals if v is not None]
    return bool(ok) and all(not isinstance(v, (str, bool)) and not math.isnan(_number(v))
                            for v in ok)


def _mc_bases(table: Table) -> set[str]:
    cols = set(table.columns)
    return {c for c in cols if f"{c}_lo" in cols and f"{c}_hi" in cols}


def _panel_columns(model: str, table: Table, columns: Sequence[str] | None):
    """The panels to draw: ``[(title, [columns present in the table])]``."""
    mc = _mc_bases(table)
    interval = {f"{b}_lo" for b in mc} | {f"{b}_hi" for b in mc}
    every = [c for c in table.columns if c != "k" and c not in interval
             and _is_numeric_column(table, c)]
    if columns:
        unknown = [c for c in columns if c not in table.columns]
        if unknown:
            raise InputError(f"columns: {', '.join(unknown)} not in the table (it has: "
                             f"{', '.join(table.columns)})")
        return [(_default_title(model), list(columns))]
    spec = PANELS.get(model)
    if not spec:
        return [(_default_title(model), every)]
    out = []
    for title, wanted in spec:
        present = [c for c in wanted if c in table.columns] if wanted else [
            c for c in every if not c.startswith("fraction")]
        if present:
            out.append((title, present))
    return out or [(_default_title(model), every)]


def _default_title(model: str) -> str:
    spec = PANELS.get(model)
    return spec[0][0] if spec else model


# --------------------------------------------------------------------------- drawing


#: legend labels of well-known columns (others: the column name with spaces)
LABELS = {
    "mc": "simulation (95% CI)",
    "mc_transient": "simulation (95% CI)",
    "mc_poisson": "simulation, Poisson sampling (95% CI)",
    "mc_joint": "simulation, joint ML (95% CI)",
    "exact": "exact",
    "exact_transient": "exact (Markov chain)",
    "corollary2": "corollary2 (exact for Poisson sampling)",
}


#: per-model legend labels that override :data:`LABELS`
MODEL_LABELS = {"gmm": {"mc": "simulation, approximate ML (95% CI)"}}


def _label(col: str, table: Table) -> str:
    special = MODEL_LABELS.get(table.command, {})
    if col in special:
        return special[col]
    if col in LABELS:
        return LABELS[col]
    if col == "mc" or col.startswith("mc_"):
        return f"simulation {col.replace('_', ' ')} (95% CI)"
    return col.replace("_", " ")


def draw_columns(ax: Axes, table: Table, columns: Sequence[str], logx: bool = False,
                 logy: bool = False, title: str | None = None,
                 probability: bool = False, label_suffix: str = "") -> Axes:
    """Draw ``columns`` of ``table`` against its ``k`` column on ``ax``.

    Bounds are lines (one colour per family, lower dashed, upper dash-dotted), exact values
    solid black, Monte Carlo columns points with their ``_lo``/``_hi`` error bars.
    ``probability`` caps the y axis just above 1 (bounds above 1 are vacuous there).
    """
    import numpy as np

    ks = np.array([_number(r["k"]) for r in table.rows])
    if not np.isfinite(ks).all():
        raise InputError("plot: generations beyond 1.8e308 cannot be drawn (use smaller k)")
    mc = _mc_bases(table)
    colours = {}
    palette = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink",
               "tab:olive", "tab:cyan", "tab:gray"]
    mc_palette = ["tab:red", "tab:cyan", "tab:olive"]
    n_mc = 0
    top = -math.inf
    for col in columns:
        y = np.array([_number(r.get(col)) for r in table.rows])
        if logy:
            y = np.where(y > 0, y, np.nan)
        finite = y[np.isfinite(y)]
        if finite.size:
            top = max(top, float(finite.max()))
        label = _label(col, table) + label_suffix
        if col in mc:
            lo = np.array([_number(r.get(f"{col}_lo")) for r in table.rows])
            hi = np.array([_number(r.get(f"{col}_hi")) for r in table.rows])
            if logy:
                lo = np.where(lo > 0, lo, np.nan)
            err = np.vstack([np.nan_to_num(y - lo), np.nan_to_num(hi - y)])
            err = np.clip(err, 0, None)
            ax.errorbar(ks, y, yerr=err, fmt="o", ms=3, capsize=2, lw=1,
                        color=mc_palette[n_mc % len(mc_palette)], label=label, zorder=3)
            n_mc += 1
        elif "exact" in col or col in ("corollary2",):
            ax.plot(ks, y, "-", color="black" if "transient" not in col else "dimgray",
                    lw=1.8, label=label, zorder=2)
        elif col.endswith("_lower") or col.endswith("_upper"):
            family = col.rsplit("_", 1)[0]
            if family not in colours:
                colours[family] = palette[len(colours) % len(palette)]
            style = "--" if col.endswith("_lower") else "-."
            ax.plot(ks, y, style, color=colours[family], lw=1.4, label=label)
        else:
            colours.setdefault(col, palette[len(colours) % len(palette)])
            ax.plot(ks, y, "-", color=colours[col], lw=1.4, label=label)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if probability and math.isfinite(top) and top > 1:
        lo, _ = ax.get_ylim()
        ax.set_ylim(lo, 1.5 if logy else 1.05)
    ax.set_xlabel("generation k")
    if title:
        ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def new_figure(panels: int = 1, width: float = 6.4, height: float = 4.4) -> Figure:
    """A headless figure (Agg canvas) with ``panels`` axes side by side."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * panels, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.subplots(1, panels, squeeze=False)
    return fig


def _params_text(table: Table) -> str:
    from .output import fmt

    skip = {"corpus", "counts", "pmf"}
    items = [f"{k}={fmt(v, 6)}" for k, v in table.params.items() if k not in skip]
    return ", ".join(items)


def render_table(table: Table, model: str, columns: Sequence[str] | None = None,
                 logx: bool | None = None, logy: bool | None = None,
                 title: str | None = None, axes: Sequence[Axes] | None = None) -> Figure:
    """Draw a model command's table: one panel per quantity (see :data:`PANELS`).

    ``axes`` (one per panel) draws into an existing figure; otherwise a new headless
    figure is made. ``logx``/``logy`` default to :data:`LOG_DEFAULTS`.
    """
    dx, dy = LOG_DEFAULTS.get(model, (False, False))
    logx = dx if logx is None else logx
    logy = dy if logy is None else logy
    panels = _panel_columns(model, table, columns)
    if axes is None:
        fig = new_figure(len(panels))
        axes = fig.axes
    else:
        axes = list(axes)
        if len(axes) < len(panels):
            raise ValueError(f"need {len(panels)} axes, got {len(axes)}")
        fig = axes[0].figure
    head = _params_text(table)
    for ax, (ptitle, cols) in zip(axes, panels, strict=False):
        t = title or f"{model}: {ptitle}" + (f"  ({head})" if head else "")
        draw_columns(ax, table, cols, logx=logx, logy=logy, title=t,
                     probability=ptitle.startswith(_PROBABILITY))
        ax.set_ylabel(ptitle)
    return fig


#: image formats :func:`save_figure` writes (by suffix)
FORMATS = ("png", "pdf", "svg", "jpg", "jpeg", "eps", "ps", "tif", "tiff", "webp")


def check_out(out: str | Path) -> Path:
    """``out`` as a Path, checked before any work: an image suffix, an existing folder."""
    out = Path(out)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise InputError(f"out: {str(out)!r} has no image suffix (use .png, .pdf or .svg)")
    if not out.parent.is_dir():
        raise InputError(f"out: the folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise InputError(f"out: {str(out)!r} is a directory")
    return out


def save_figure(fig: Figure, out: str | Path, dpi: int = 120) -> Path:
    """Write ``fig`` to ``out`` (format from the suffix: png, pdf, svg); the folder must
    exist and be writable."""
    out = check_out(out)
    try:
        fig.savefig(out, dpi=dpi)
    except OSError as e:
        raise InputError(f"out: {str(out)!r} cannot be written: {e.strerror}") from None
    return out


def plot_model(model: str, argv: Sequence[str] | str, out: str | Path | None = None,
               columns: Sequence[str] | None = None, logx: bool | None = None,
               logy: bool | None = None, title: str | None = None,
               axes: Sequence[Axes] | None = None) -> tuple[Figure, Table]:
    """Run ``rmc MODEL ARGV`` and draw its table; write it to ``out`` if given.

    Returns ``(figure, table)``. Example: ``plot_model("bernoulli", "--n 100 --p0 0.01
    --k 1:50 --mc 1000 --seed 1", out="fig3.png")``.
    """
    if out is not None:
        check_out(out)
    table = command_table(model, argv)
    fig = render_table(table, model, columns, logx, logy, title, axes)
    if out is not None:
        save_figure(fig, out)
    return fig, table


def plot_paths(ax: Axes, paths, label: str = "", alpha: float = 0.6,
               lw: float = 0.9) -> Axes:
    """Draw trajectories (rows of ``paths``, shape ``(T, K + 1)``) against k = 0..K
    (Fig. 2)."""
    import numpy as np

    paths = np.asarray(paths)
    ks = np.arange(paths.shape[1])
    for row in paths:
        ax.plot(ks, row, lw=lw, alpha=alpha)
    ax.set_xlabel("generation k")
    if label:
        ax.set_ylabel(label)
    ax.grid(True, alpha=0.3)
    return ax
