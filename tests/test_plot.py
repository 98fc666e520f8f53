"""``rmc plot`` and rmc_symbolic.plot: files are written headless, and what is drawn is
exactly what the model command computes (nothing retyped)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rmc_symbolic.cli import main
from rmc_symbolic.errors import InputError
from rmc_symbolic.plot import command_table, new_figure, plot_model, plot_paths, render_table
from rmc_symbolic.simulate import bernoulli_paths

PNG = b"\x89PNG\r\n\x1a\n"


def test_cli_plot_bernoulli_writes_png(tmp_path, capsys):
    out = tmp_path / "fig3.png"
    assert main(["plot", "bernoulli", "--n", "100", "--p0", "0.01", "--k", "1:8",
                 "--mc", "200", "--seed", "1", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(PNG) and out.stat().st_size > 10_000
    assert "wrote" in capsys.readouterr().out


def test_cli_plot_json_returns_the_table(tmp_path, capsys):
    out = tmp_path / "p.svg"
    assert main(["plot", "poisson", "--n", "10", "--lambda0", "1", "--k", "1,10,100",
                 "--mc", "100", "--seed", "2", "--out", str(out), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["command"] == "poisson" and len(obj["rows"]) == 3
    assert out.read_text().lstrip().startswith("<?xml")


def test_drawn_lines_are_the_command_values():
    fig, table = plot_model("bernoulli", "--n 100 --p0 0.01 --k 1:10 --mc 100 --seed 3")
    assert len(fig.axes) == 2  # Pr(P_k != 0) and Pr(P_k not in {0,1})
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    y = lines["theorem1 lower"].get_ydata()
    assert np.allclose(y, [float(r["theorem1_lower"]) for r in table.rows], rtol=0, atol=0)
    x = lines["theorem1 lower"].get_xdata()
    assert list(x) == list(range(1, 11))
    # the simulation is drawn with error bars from its interval columns
    containers = fig.axes[0].containers
    assert len(containers) == 1
    data_line = containers[0].lines[0]
    assert np.allclose(data_line.get_ydata(), [r["mc"] for r in table.rows])
    labels2 = {ln.get_label() for ln in fig.axes[1].get_lines()}
    assert {"seddik lower", "seddik upper", "ext lower", "ext upper"} <= labels2


def test_columns_option_and_log_scales(tmp_path):
    fig, _ = plot_model("poisson", "--n 10 --lambda0 1 --k 1:50", columns=["exact"],
                        logx=True, logy=True, out=tmp_path / "x.png")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [ln.get_label() for ln in ax.get_lines()] == ["exact"]
    with pytest.raises(InputError, match="not in the table"):
        plot_model("poisson", "--n 10 --lambda0 1 --k 1:5", columns=["nope"])


def test_discrete_plot_from_a_zipf_pmf():
    fig, table = plot_model("discrete", "--zipf 1,2.7,50 --n 50 --k 1:5 --mc 20 --seed 1")
    labels = {ln.get_label() for ln in fig.axes[0].get_lines()}
    assert "corollary1 lower" in labels and "corollary1 upper" in labels
    assert table.params["m"] == 50


@pytest.mark.parametrize("model,argv", [
    ("gaussian", "--n 10 --sigma0 1 --eps 0.1 --k 1:200:50 --mc 50 --seed 1"),
])
def test_gaussian_defaults_to_log_y(model, argv):
    pytest.importorskip(f"rmc_symbolic.cli.{model}")
    try:
        fig, table = plot_model(model, argv)
    except SystemExit:  # the model command's options differ: nothing to check here
        pytest.skip(f"rmc {model} takes other options")
    assert fig.axes[0].get_yscale() == "log"
    assert any(c.startswith("mc") for c in table.columns)


def test_render_into_given_axes_and_paths():
    fig = new_figure(2)
    table = command_table("poisson", ["--n", "10", "--lambda0", "1", "--k", "1:3"])
    render_table(table, "poisson", axes=[fig.axes[1]])
    assert len(fig.axes[1].get_lines()) == 5 and len(fig.axes[0].get_lines()) == 0
    paths = bernoulli_paths(20, "1/2", 10, 5, seed=1)
    plot_paths(fig.axes[0], paths, label="p_k")
    assert len(fig.axes[0].get_lines()) == 5


@pytest.mark.parametrize("out,fragment", [
    ("/nonexistent-dir/x.png", "does not exist"),
    ("{tmp}/x.txt", "no image suffix"),
    ("{tmp}", "no image suffix"),
])
def test_bad_out_is_one_line_exit_2(out, fragment, tmp_path, capsys):
    out = out.replace("{tmp}", str(tmp_path))
    assert main(["plot", "poisson", "--n", "10", "--lambda0", "1", "--k", "1",
                 "--out", out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


def test_plot_needs_a_model_and_out(capsys):
    with pytest.raises(SystemExit) as e:
        main(["plot"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["plot", "poisson", "--n", "10", "--lambda0", "1", "--k", "1"])
    assert e.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_plot_is_headless():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    code = ("import rmc_symbolic.plot as p, sys; p.plot_model('poisson', '--n 10 --lambda0 1 "
            "--k 1:3'); print('pyplot' in str(sorted(sys.modules)))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"  # no pyplot, no GUI backend
